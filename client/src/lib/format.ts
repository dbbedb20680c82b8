import { useTranslation } from 'react-i18next';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${number} ${UNITS[unit]}`;
}

/** Date and time of an instant, in `timeZone` when given (a session's), else in the browser's. */
export function formatDate(iso: string, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** A position or length of media: "07:05", or "1:02:03" from an hour on. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const pad = (value: number) => String(value).padStart(2, '0');
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** The wall-clock time "08:00" of an instant in a school's zone. */
export function formatTime(iso: string, timeZone: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** "Mon, Mar 3, 08:00–08:45" in the session's zone. */
export function formatSpan(startsAt: string, endsAt: string, timeZone: string, locale: string): string {
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) return `${startsAt}–${endsAt}`;
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(start);
  return `${day} ${formatTime(startsAt, timeZone, locale)}–${formatTime(endsAt, timeZone, locale)}`;
}

/** A local date "YYYY-MM-DD" as "Mon, Mar 3" (`weekday: false` leaves the weekday out). */
export function formatDay(date: string, locale: string, weekday = true): string {
  const [year, month, day] = date.split('-').map(Number);
  const value = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(value.getTime())) return date;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(weekday ? { weekday: 'short' as const } : {}),
  }).format(value);
}

/** The name of an ISO weekday (1 = Monday). */
export function weekdayName(isoWeekday: number, locale: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(new Date(Date.UTC(2024, 0, isoWeekday)));
}

/** Reference data (subjects, grades) carries both names; pick the one for the UI language. */
export function localName(named: { nameZh: string; nameEn: string }, locale: string): string {
  return locale.startsWith('zh') ? named.nameZh : named.nameEn || named.nameZh;
}

/** Formatters bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  return {
    locale,
    bytes: (bytes: number) => formatBytes(bytes, locale),
    date: (iso: string, timeZone?: string) => formatDate(iso, locale, timeZone),
    clock: formatClock,
    time: (iso: string, timeZone: string) => formatTime(iso, timeZone, locale),
    span: (startsAt: string, endsAt: string, timeZone: string) => formatSpan(startsAt, endsAt, timeZone, locale),
    day: (date: string, weekday?: boolean) => formatDay(date, locale, weekday),
    weekday: (isoWeekday: number) => weekdayName(isoWeekday, locale),
    name: (named: { nameZh: string; nameEn: string }) => localName(named, locale),
  };
}
