/**
 * Wall-clock time in a school's zone. The API speaks UTC instants (ISO 8601) plus the IANA zone to show them in;
 * forms speak local dates ("YYYY-MM-DD") and times ("HH:mm"). Only Intl is used: no date library in the bundle.
 */

/** Where every school of the platform is unless told otherwise (the API's default too). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year,
    month: values.month,
    day: values.day,
    hour: values.hour === 24 ? 0 : values.hour,
    minute: values.minute,
    second: values.second,
  };
}

const pad = (value: number) => String(value).padStart(2, '0');

function toDate(value: string | Date): Date {
  return typeof value === 'string' ? new Date(value) : value;
}

/** The local date "YYYY-MM-DD" of an instant in `timeZone`. */
export function localDate(instant: string | Date, timeZone: string): string {
  const c = wallClock(toDate(instant), timeZone);
  return `${c.year}-${pad(c.month)}-${pad(c.day)}`;
}

/** The local time "HH:mm" of an instant in `timeZone`. */
export function localTime(instant: string | Date, timeZone: string): string {
  const c = wallClock(toDate(instant), timeZone);
  return `${pad(c.hour)}:${pad(c.minute)}`;
}

/** Minutes since local midnight. */
export function localMinutes(instant: string | Date, timeZone: string): number {
  const c = wallClock(toDate(instant), timeZone);
  return c.hour * 60 + c.minute;
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const c = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant (ISO 8601) of local `date` + `time` in `timeZone`. */
export function zonedToUtc(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the guess can differ from the offset at the answer around a DST change: correct once.
  let instant = wall - zoneOffset(wall, timeZone);
  const corrected = wall - zoneOffset(instant, timeZone);
  if (corrected !== instant) instant = corrected;
  return new Date(instant).toISOString();
}

/** Today's local date in `timeZone`. */
export function today(timeZone: string): string {
  return localDate(new Date(), timeZone);
}

function dateToUtc(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function utcToDate(value: Date): string {
  return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/** A local date `days` later (or earlier). */
export function addDays(date: string, days: number): string {
  const value = dateToUtc(date);
  value.setUTCDate(value.getUTCDate() + days);
  return utcToDate(value);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return dateToUtc(date).getUTCDay() || 7;
}

/** The Monday of the week a local date is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date "YYYY-MM-DD" (not 2025-02-30). */
export function isLocalDate(value: string | null | undefined): value is string {
  return typeof value === 'string' && DATE_PATTERN.test(value) && utcToDate(dateToUtc(value)) === value;
}

/** The seven local dates of the week starting on `monday`. */
export function weekDates(monday: string): string[] {
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** [Monday 00:00, next Monday 00:00) of a week in `timeZone`, as UTC instants for a session query. */
export function weekRange(monday: string, timeZone: string, weeks = 1): { from: string; to: string } {
  return { from: zonedToUtc(monday, '00:00', timeZone), to: zonedToUtc(addDays(monday, 7 * weeks), '00:00', timeZone) };
}
