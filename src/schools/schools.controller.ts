import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ClassroomDto, Page, SchoolDto, UserDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Roles } from '../auth/decorators.js';
import { IdParam } from '../common/id.dto.js';
import { SchoolsService } from './schools.service.js';
import { CreateClassroomBody, CreateSchoolBody, CreateUserBody, UpdateClassroomBody, UpdateSchoolBody, UpdateUserBody, UserQuery } from './schools.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/schools')
export class SchoolsController {
  constructor(private readonly service: SchoolsService) {}

  @Get()
  list(): Promise<SchoolDto[]> {
    return this.service.list();
  }

  @Get(':id')
  get(@Param() { id }: IdParam): Promise<SchoolDto> {
    return this.service.get(id);
  }

  @Post()
  @Roles('admin')
  create(@Body() body: CreateSchoolBody): Promise<SchoolDto> {
    return this.service.create(body);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param() { id }: IdParam, @Body() body: UpdateSchoolBody): Promise<SchoolDto> {
    return this.service.update(id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param() { id }: IdParam): Promise<void> {
    return this.service.remove(id);
  }

  @Get(':id/classrooms')
  @Roles('admin', 'teacher')
  listClassrooms(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<ClassroomDto[]> {
    return this.service.listClassrooms(id, actor.role === 'admin');
  }

  @Post(':id/classrooms')
  @Roles('admin')
  createClassroom(@Param() { id }: IdParam, @Body() body: CreateClassroomBody): Promise<ClassroomDto> {
    return this.service.createClassroom(id, body);
  }
}

@ApiTags('schools')
@ApiBearerAuth()
@Controller('api/classrooms')
export class ClassroomsController {
  constructor(private readonly service: SchoolsService) {}

  /** A classroom device's own room. */
  @Get('mine')
  @Roles('classroom')
  mine(@CurrentUser() actor: AuthUser): Promise<ClassroomDto> {
    return this.service.classroomOfDevice(actor.id);
  }

  @Get(':id')
  @Roles('admin', 'teacher')
  get(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<ClassroomDto> {
    return this.service.getClassroom(id, actor.role === 'admin');
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param() { id }: IdParam, @Body() body: UpdateClassroomBody): Promise<ClassroomDto> {
    return this.service.updateClassroom(id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param() { id }: IdParam): Promise<void> {
    return this.service.removeClassroom(id);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Get()
  list(@Query() query: UserQuery): Promise<Page<UserDto>> {
    return this.service.list(query);
  }

  @Get(':id')
  get(@Param() { id }: IdParam): Promise<UserDto> {
    return this.service.get(id);
  }

  @Post()
  create(@Body() body: CreateUserBody): Promise<UserDto> {
    return this.service.create(body);
  }

  @Patch(':id')
  update(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateUserBody): Promise<UserDto> {
    return this.service.update(actor, id, body);
  }
}
