import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';

/**
 * The grades Tongke schedules: those of 义务教育 (compulsory education), 一年级 to 九年级 — six years of primary
 * and three of junior secondary school, the `grade` table's rows. The rural teaching points (教学点) that 三个课堂
 * serves are primary and junior secondary schools; senior high (10–12) would need its own rows (and subjects) in a
 * migration before any validator lets it through.
 */
export const GRADES = { min: 1, max: 9 } as const;

/** A grade id, 1 to 9. (Query parameters also need `@Type(() => Number)` before it.) */
export function IsGradeId(): PropertyDecorator {
  const message = `gradeId must be a grade from ${GRADES.min} to ${GRADES.max}`;
  return applyDecorators(IsInt({ message }), Min(GRADES.min, { message }), Max(GRADES.max, { message }));
}

/** Leading and trailing spaces of a string are not part of it. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** The title of a course, lesson, resource, session or series: 1 to 200 characters once trimmed. */
export function IsTitle(): PropertyDecorator {
  return applyDecorators(Trim(), IsString(), Length(1, 200));
}
