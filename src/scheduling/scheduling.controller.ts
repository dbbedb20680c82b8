import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type {
  AttendanceDto,
  AttendanceReportRowDto,
  CalendarFeedDto,
  ClassSessionDto,
  CoverageReportDto,
  CurriculumRequirementDto,
  SeriesDto,
  SeriesResultDto,
  SessionChangeResultDto,
  SuggestionDto,
} from '../contracts/api.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser, Public, Roles } from '../auth/decorators.js';
import { IdParam } from '../common/id.dto.js';
import { AttendanceService } from './attendance.service.js';
import { CalendarService } from './calendar.service.js';
import { CoverageService } from './coverage.service.js';
import {
  AttendanceReportQuery,
  BookClassroomBody,
  CancelSeriesBody,
  ClassroomParam,
  CoverageQueryParams,
  CreateSeriesBody,
  CreateSessionBody,
  RequirementBody,
  SessionQueryParams,
  SuggestionQueryParams,
  UpdateSeriesBody,
  UpdateSessionBody,
} from './scheduling.dto.js';
import { SeriesService } from './series.service.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('scheduling')
@ApiBearerAuth()
@Controller('api/sessions')
export class SessionsController {
  constructor(
    private readonly service: SessionsService,
    private readonly attendance: AttendanceService,
  ) {}

  @Get()
  list(@CurrentUser() actor: AuthUser, @Query() query: SessionQueryParams): Promise<ClassSessionDto[]> {
    return this.service.list(actor, query);
  }

  @Get(':id')
  get(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<ClassSessionDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Roles('admin', 'teacher')
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateSessionBody): Promise<ClassSessionDto> {
    return this.service.create(actor, body);
  }

  @Patch(':id')
  @Roles('admin', 'teacher')
  update(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateSessionBody): Promise<SessionChangeResultDto> {
    return this.service.update(actor, id, body);
  }

  @Post(':id/cancel')
  @Roles('admin', 'teacher')
  @HttpCode(200)
  cancel(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<ClassSessionDto> {
    return this.service.cancel(actor, id);
  }

  @Post(':id/classrooms')
  @Roles('admin', 'teacher')
  book(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: BookClassroomBody): Promise<ClassSessionDto> {
    return this.service.book(actor, id, body);
  }

  @Delete(':id/classrooms/:classroomId')
  @Roles('admin', 'teacher')
  @HttpCode(204)
  unbook(@CurrentUser() actor: AuthUser, @Param() { id, classroomId }: ClassroomParam): Promise<void> {
    return this.service.unbook(actor, id, classroomId);
  }

  @Get(':id/attendance')
  attendanceOf(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<AttendanceDto[]> {
    return this.attendance.forSession(actor, id);
  }
}

@ApiTags('scheduling')
@ApiBearerAuth()
@Roles('admin', 'teacher')
@Controller('api/series')
export class SeriesController {
  constructor(private readonly service: SeriesService) {}

  @Post()
  create(@CurrentUser() actor: AuthUser, @Body() body: CreateSeriesBody): Promise<SeriesResultDto> {
    return this.service.create(actor, body);
  }

  @Get(':id')
  get(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<SeriesDto> {
    return this.service.get(actor, id);
  }

  /** Edit this and all following sessions. */
  @Patch(':id')
  update(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: UpdateSeriesBody): Promise<SessionChangeResultDto> {
    return this.service.updateFollowing(actor, id, body);
  }

  /** Cancel this and all following sessions. */
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam, @Body() body: CancelSeriesBody): Promise<SessionChangeResultDto> {
    return this.service.cancelFollowing(actor, id, body);
  }
}

@ApiTags('coverage')
@ApiBearerAuth()
@Controller('api')
export class CoverageController {
  constructor(
    private readonly service: CoverageService,
    private readonly attendance: AttendanceService,
  ) {}

  @Get('curriculum-requirements')
  requirements(): Promise<CurriculumRequirementDto[]> {
    return this.service.requirements();
  }

  @Put('curriculum-requirements')
  @Roles('admin')
  setRequirement(@Body() body: RequirementBody): Promise<CurriculumRequirementDto> {
    return this.service.setRequirement(body);
  }

  @Get('coverage')
  @Roles('admin')
  report(@Query() query: CoverageQueryParams): Promise<CoverageReportDto> {
    return this.service.report(query);
  }

  @Get('coverage.csv')
  @Roles('admin')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async csv(@Query() query: CoverageQueryParams, @Res({ passthrough: true }) res: Response): Promise<string> {
    res.setHeader('Content-Disposition', `attachment; filename="coverage-${query.from}-${query.to}.csv"`);
    return this.service.reportCsv(query);
  }

  @Get('coverage/suggestions')
  @Roles('admin')
  suggestions(@Query() query: SuggestionQueryParams): Promise<SuggestionDto[]> {
    return this.service.suggestions(query);
  }

  @Get('attendance/report')
  @Roles('admin')
  attendanceReport(@Query() query: AttendanceReportQuery): Promise<AttendanceReportRowDto[]> {
    return this.attendance.report(query);
  }
}

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('api')
export class CalendarController {
  constructor(private readonly service: CalendarService) {}

  @Get('classrooms/:id/calendar-feed')
  classroomFeed(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CalendarFeedDto> {
    return this.service.feed(actor, { kind: 'classroom', id });
  }

  @Post('classrooms/:id/calendar-feed')
  @HttpCode(200)
  rotateClassroomFeed(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CalendarFeedDto> {
    return this.service.rotate(actor, { kind: 'classroom', id });
  }

  @Get('teachers/:id/calendar-feed')
  teacherFeed(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CalendarFeedDto> {
    return this.service.feed(actor, { kind: 'teacher', id });
  }

  @Post('teachers/:id/calendar-feed')
  @HttpCode(200)
  rotateTeacherFeed(@CurrentUser() actor: AuthUser, @Param() { id }: IdParam): Promise<CalendarFeedDto> {
    return this.service.rotate(actor, { kind: 'teacher', id });
  }

  /** The iCalendar feed itself: public, found by its secret token. */
  @Get('calendar/:file')
  @Public()
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, max-age=300')
  ics(@Param('file') file: string): Promise<string> {
    return this.service.ics(file.replace(/\.ics$/, ''));
  }
}
