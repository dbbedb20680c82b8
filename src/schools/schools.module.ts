import { Module } from '@nestjs/common';
import { PasswordHasher } from '../auth/password.hasher.js';
import { ClassroomRepository } from './classroom.repository.js';
import { SchoolRepository } from './school.repository.js';
import { ClassroomsController, SchoolsController, UsersController } from './schools.controller.js';
import { SchoolsService } from './schools.service.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [SchoolsController, ClassroomsController, UsersController],
  providers: [SchoolRepository, ClassroomRepository, UserRepository, PasswordHasher, SchoolsService, UsersService],
  // Other modules use accounts through UsersService, never the repository.
  exports: [PasswordHasher, UsersService],
})
export class SchoolsModule {}
