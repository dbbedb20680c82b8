import { DateTime } from 'luxon';

export interface WeeklyPattern {
  weekdays: number[];
  periodStart: string;
  periodEnd: string;
  termStart: string;
  termEnd: string;
  holidays: string[];
  timezone: string;
}

export interface Occurrence {
  /** Local date, YYYY-MM-DD. */
  date: string;
  start: Date;
  end: Date;
}

/**
 * Every class of a weekly series: the term's dates on the given ISO weekdays, minus holidays, at the period's
 * local wall-clock time in the series' zone (so a class stays at 09:00 across a daylight-saving change).
 */
export function weeklyOccurrences(p: WeeklyPattern): Occurrence[] {
  const zone = p.timezone;
  const holidays = new Set(p.holidays);
  const last = DateTime.fromISO(p.termEnd, { zone });
  const out: Occurrence[] = [];
  for (let day = DateTime.fromISO(p.termStart, { zone }); day <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if (!p.weekdays.includes(day.weekday) || holidays.has(date)) continue;
    out.push({ date, ...atLocalDate(date, p.periodStart, p.periodEnd, zone) });
  }
  return out;
}

/** [start, end) of a period on a local date in a zone. */
export function atLocalDate(date: string, periodStart: string, periodEnd: string, zone: string): { start: Date; end: Date } {
  return {
    start: DateTime.fromISO(`${date}T${periodStart}`, { zone }).toJSDate(),
    end: DateTime.fromISO(`${date}T${periodEnd}`, { zone }).toJSDate(),
  };
}

export function localDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}
