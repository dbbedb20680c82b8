import { useEffect, useState } from 'react';
import type { ClassSessionDto, SchoolDto } from '@contracts/api';
import { useFilterParams } from './params';
import { DEFAULT_TIMEZONE, isLocalDate, localDate, mondayOf, today } from './time';

/** The zone a school's times are shown in; the platform default when the school is unknown. */
export function schoolZone(schools: SchoolDto[] | undefined, schoolId: number | null | undefined): string {
  if (schoolId == null) return DEFAULT_TIMEZONE;
  return schools?.find((school) => school.id === schoolId)?.timezone ?? DEFAULT_TIMEZONE;
}

/**
 * The week a page shows lives in the address (`?week=YYYY-MM-DD`, any day of it), so reloads and shared links
 * keep it; without one, the current week in `timeZone`.
 */
export function useWeekParam(timeZone: string) {
  const [params, update] = useFilterParams();
  const raw = params.get('week');
  const monday = mondayOf(isLocalDate(raw) ? raw : today(timeZone));
  const setWeek = (next: string) => update({ week: next === mondayOf(today(timeZone)) ? undefined : next });
  return { monday, setWeek };
}

/** Sessions by their local date in `timeZone`, each day in start order. */
export function groupByDay(sessions: ClassSessionDto[], timeZone: string): Map<string, ClassSessionDto[]> {
  const days = new Map<string, ClassSessionDto[]>();
  for (const session of [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const day = localDate(session.startsAt, timeZone);
    const list = days.get(day);
    if (list) list.push(session);
    else days.set(day, [session]);
  }
  return days;
}

/** "2025-05-01, 2025-05-02" (commas, Chinese commas, spaces or new lines) into dates and the entries that are not. */
export function parseDateList(text: string): { dates: string[]; invalid: string[] } {
  const entries = text
    .split(/[\s,，、;；]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const dates = [...new Set(entries.filter((entry) => isLocalDate(entry)))].sort();
  return { dates, invalid: entries.filter((entry) => !isLocalDate(entry)) };
}

/** Whether a session still takes place (cancelled ones stay visible, struck through). */
export function isHappening(session: Pick<ClassSessionDto, 'status'>): boolean {
  return session.status !== 'cancelled';
}

/** The current time, re-read every `intervalMs` (a countdown's tick). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Milliseconds as "1:02:03", or with days "2 · 01:02:03" split out for the caller to word. */
export function splitDuration(ms: number): { days: number; clock: string } {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  return { days, clock: `${pad(hours)}:${pad(minutes)}:${pad(seconds)}` };
}
