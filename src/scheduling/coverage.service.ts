import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { toCsv } from '../common/csv.js';
import type { CoverageReportDto, CurriculumRequirementDto, SuggestionDto } from '../contracts/api.js';
import { CoverageRepository } from './coverage.repository.js';
import { CoverageQueryParams, RequirementBody, SuggestionQueryParams, toSessionDtos } from './scheduling.dto.js';
import { SessionRepository } from './session.repository.js';

const MAX_DAYS = 400;

/** Curriculum requirements, the coverage report (which classrooms lack which subjects), and suggestions. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly coverage: CoverageRepository,
    private readonly sessions: SessionRepository,
  ) {}

  requirements(): Promise<CurriculumRequirementDto[]> {
    return this.coverage.requirements();
  }

  async setRequirement(body: RequirementBody): Promise<CurriculumRequirementDto> {
    await this.coverage.setRequirement(body);
    return body;
  }

  async report(q: CoverageQueryParams): Promise<CoverageReportDto> {
    const days = dayCount(q.from, q.to);
    return { from: q.from, to: q.to, weeks: Math.round((days / 7) * 100) / 100, rows: await this.coverage.report(q, days) };
  }

  /** The same rows as the JSON report, as CSV (names that look like formulas are neutralised). */
  async reportCsv(q: CoverageQueryParams): Promise<string> {
    const { rows } = await this.report(q);
    const header = ['school', 'classroom', 'grade', 'subject', 'subject_en', 'required', 'booked', 'gap'];
    const body = rows.map((r) => [r.schoolName, r.classroomName, r.gradeId, r.subjectNameZh, r.subjectNameEn, r.required, r.booked, r.gap]);
    return toCsv([header, ...body]);
  }

  async suggestions(q: SuggestionQueryParams): Promise<SuggestionDto[]> {
    dayCount(q.from, q.to);
    if (!(await this.sessions.classroom(q.classroomId))) throw new NotFoundException(`Classroom ${q.classroomId} does not exist`);
    const found = await this.coverage.suggestions(q.classroomId, q.subjectId, q.from, q.to);
    if (found.length === 0) return [];
    const sessions = new Map((toSessionDtos(await this.sessions.find({ ids: found.map((f) => f.id) }))).map((s) => [s.id, s]));
    return found.map((f) => ({ session: sessions.get(f.id)!, bookedClassrooms: f.booked }));
  }
}

function dayCount(from: string, to: string): number {
  const a = DateTime.fromISO(from, { zone: 'utc' });
  const b = DateTime.fromISO(to, { zone: 'utc' });
  if (!a.isValid || !b.isValid) throw new BadRequestException('from and to must be real dates');
  const days = b.diff(a, 'days').days + 1;
  if (days < 1) throw new BadRequestException('to must not be before from');
  if (days > MAX_DAYS) throw new BadRequestException(`Ask for at most ${MAX_DAYS} days at a time`);
  return days;
}
