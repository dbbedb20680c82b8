import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller.js';
import { CatalogueService } from './catalogue.service.js';
import { CourseRepository } from './course.repository.js';

@Module({
  controllers: [CatalogueController],
  providers: [CourseRepository, CatalogueService],
  exports: [CourseRepository],
})
export class CatalogueModule {}
