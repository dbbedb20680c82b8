import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller.js';
import { CatalogueService } from './catalogue.service.js';
import { CourseRepository } from './course.repository.js';

@Module({
  controllers: [CatalogueController],
  providers: [CourseRepository, CatalogueService],
  // Other modules use the catalogue through its service, never its repository.
  exports: [CatalogueService],
})
export class CatalogueModule {}
