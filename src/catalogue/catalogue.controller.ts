import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CourseDetailDto, CourseSummaryDto, GradeDto, LessonDto, Page, SubjectDto } from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../auth/decorators.js';
import { IdParam, PageQuery } from '../common/id.dto.js';
import { CatalogueService } from './catalogue.service.js';
import { CourseQueryParams, CreateCourseBody, CreateLessonBody, ReorderLessonsBody, UpdateCourseBody, UpdateLessonBody } from './catalogue.dto.js';

@ApiTags('catalogue')
@Controller('api')
export class CatalogueController {
  constructor(private readonly service: CatalogueService) {}

  @Get('subjects')
  @Public()
  subjects(): Promise<SubjectDto[]> {
    return this.service.subjects();
  }

  @Get('grades')
  @Public()
  grades(): Promise<GradeDto[]> {
    return this.service.grades();
  }

  @Get('courses')
  @Public()
  search(@Query() query: CourseQueryParams): Promise<Page<CourseSummaryDto>> {
    return this.service.search(query);
  }

  @Get('courses/mine')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  mine(@CurrentUser() actor: AuthUser, @Query() query: PageQuery): Promise<Page<CourseSummaryDto>> {
    return this.service.mine(actor, query);
  }

  @Get('courses/:id')
  @Public()
  get(@CurrentUser() actor: AuthUser | undefined, @Param() { id }: IdParam): Promise<CourseDetailDto> {
    return this.service.get(actor, id);
  }

  @Post('courses')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateCourseBody): Promise<CourseDetailDto> {
    return this.service.create(actor, body);
  }

  @Patch('courses/:id')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  update(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateCourseBody): Promise<CourseDetailDto> {
    return this.service.update(actor, id, body);
  }

  @Delete('courses/:id')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  @HttpCode(204)
  remove(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<void> {
    return this.service.remove(actor, id);
  }

  /** Archives the course: out of the catalogue, no new classes, its class history kept. */
  @Post('courses/:id/archive')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  @HttpCode(200)
  archive(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CourseDetailDto> {
    return this.service.setArchived(actor, id, true);
  }

  @Post('courses/:id/restore')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  @HttpCode(200)
  restore(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CourseDetailDto> {
    return this.service.setArchived(actor, id, false);
  }

  @Post('courses/:id/lessons')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  addLesson(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: CreateLessonBody): Promise<LessonDto> {
    return this.service.addLesson(actor, id, body);
  }

  @Put('courses/:id/lessons/order')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  reorder(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: ReorderLessonsBody): Promise<LessonDto[]> {
    return this.service.reorderLessons(actor, id, body);
  }

  @Patch('lessons/:id')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  updateLesson(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateLessonBody): Promise<LessonDto> {
    return this.service.updateLesson(actor, id, body);
  }

  @Delete('lessons/:id')
  @ApiBearerAuth()
  @Roles('teacher', 'admin')
  @HttpCode(204)
  removeLesson(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<void> {
    return this.service.removeLesson(actor, id);
  }
}
