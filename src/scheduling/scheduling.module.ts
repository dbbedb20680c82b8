import { Module } from '@nestjs/common';
import { AttendanceRepository } from './attendance.repository.js';
import { AttendanceService } from './attendance.service.js';
import { CalendarRepository } from './calendar.repository.js';
import { CalendarService } from './calendar.service.js';
import { CoverageRepository } from './coverage.repository.js';
import { CoverageService } from './coverage.service.js';
import { CalendarController, CoverageController, SeriesController, SessionsController } from './scheduling.controller.js';
import { SeriesRepository } from './series.repository.js';
import { SeriesService } from './series.service.js';
import { SessionLifecycle } from './session-lifecycle.js';
import { SessionRepository } from './session.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  controllers: [SessionsController, SeriesController, CoverageController, CalendarController],
  providers: [
    SessionRepository,
    SeriesRepository,
    CoverageRepository,
    CalendarRepository,
    AttendanceRepository,
    SessionLifecycle,
    SessionsService,
    SeriesService,
    CoverageService,
    CalendarService,
    AttendanceService,
  ],
  // Other modules use the schedule through its services, never its repositories.
  exports: [SessionLifecycle, SessionsService, AttendanceService],
})
export class SchedulingModule {}
