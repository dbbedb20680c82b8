import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import type { ApiError } from '../contracts/api.js';
import { TooManyAttemptsException } from '../auth/login-attempts.js';
import type { AppLogger } from './logger.js';

/** Messages for constraint violations a user can cause; anything else becomes a generic message. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  app_user_email_key: 'A user with this email already exists',
  school_name_in_county_key: 'A school with this name already exists in this county',
  classroom_name_in_school_key: 'A classroom with this name already exists in this school',
  classroom_device_user_id_key: 'This device account already belongs to another classroom',
  app_user_classroom_has_school: 'A classroom account must belong to a school',
  lesson_position_key: 'Two lessons cannot have the same position',
  resource_lesson_fk: 'The lesson does not belong to this course',
  app_user_school_id_fkey: 'The school does not exist',
  classroom_grade_id_fkey: 'The grade does not exist',
  course_subject_id_fkey: 'The subject does not exist',
  course_grade_id_fkey: 'The grade does not exist',
  course_teacher_id_fkey: 'The teacher does not exist',
};

/** How a referencing table is named in "cannot be deleted while … refer to it". */
const TABLE_NAMES: Record<string, string> = {
  app_user: 'user accounts',
  class_session: 'class sessions',
  class_series: 'weekly series',
  classroom: 'classrooms',
  course: 'courses',
  lesson: 'lessons',
  resource: 'resources',
  resource_version: 'resource versions',
};

const PG_STATUS: Record<string, number> = {
  '23505': HttpStatus.CONFLICT, // unique_violation
  '23P01': HttpStatus.CONFLICT, // exclusion_violation
  '23503': HttpStatus.CONFLICT, // foreign_key_violation
  '23001': HttpStatus.CONFLICT, // restrict_violation
  '23514': HttpStatus.BAD_REQUEST, // check_violation
  '23502': HttpStatus.BAD_REQUEST, // not_null_violation
  '22001': HttpStatus.BAD_REQUEST, // string_data_right_truncation
  '22003': HttpStatus.BAD_REQUEST, // numeric_value_out_of_range
  '22P02': HttpStatus.BAD_REQUEST, // invalid_text_representation
};

/**
 * The single place where errors become HTTP answers. Known errors keep their status and message; database
 * constraint errors become 4xx with a sentence (never SQL); anything else is a 500 with a generic message and
 * its stack logged once together with the request id.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const body = this.toBody(exception);
    if (exception instanceof TooManyAttemptsException) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    body.requestId = req.id;
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, reqId: req.id, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException && exception.cause instanceof SyntaxError) {
      // Nest turns body-parser's JSON errors into a 400 carrying the parser's message.
      return { statusCode: 400, error: 'Bad Request', message: `Malformed JSON body: ${exception.cause.message}` };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const name = HttpStatus[status] ? titleCase(HttpStatus[status]) : 'Error';
      if (typeof response === 'string') return { statusCode: status, error: name, message: response };
      const r = response as { message?: string | string[]; error?: string; code?: string; details?: string[] };
      if (Array.isArray(r.message)) {
        return { statusCode: status, error: r.error ?? name, message: `Invalid input: ${r.message.join('; ')}`, details: r.message };
      }
      return { statusCode: status, error: r.error ?? name, message: r.message ?? name, code: r.code, details: r.details };
    }
    if (exception instanceof QueryFailedError) {
      const driverError = exception.driverError as { code?: string; constraint?: string; message?: string; table?: string };
      const status = driverError.code ? PG_STATUS[driverError.code] : undefined;
      if ((driverError.code === '23503' || driverError.code === '23001') && driverError.message?.startsWith('update or delete')) {
        const by = (driverError.table && TABLE_NAMES[driverError.table]) ?? 'other records';
        return { statusCode: 409, error: 'Conflict', message: `This cannot be deleted while ${by} refer to it` };
      }
      if (status) {
        const message =
          (driverError.constraint && CONSTRAINT_MESSAGES[driverError.constraint]) ??
          (status === HttpStatus.CONFLICT ? 'This conflicts with existing data' : 'A value is invalid or out of range');
        return { statusCode: status, error: titleCase(HttpStatus[status]), message };
      }
    }
    // Errors raised by Express middleware before a route runs (malformed JSON, body too large).
    const e = exception as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = e.type === 'entity.parse.failed' ? 'Malformed JSON body' : e.expose && e.message ? e.message : 'Bad request';
      return { statusCode: status, error: HttpStatus[status] ? titleCase(HttpStatus[status]) : 'Bad Request', message };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side. Please try again later.' };
  }
}

function titleCase(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
