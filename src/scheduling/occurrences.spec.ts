import { weeklyOccurrences } from './occurrences.js';

describe(weeklyOccurrences.name, () => {
  it('lists the term dates on the chosen weekdays, skipping holidays, in Beijing time', () => {
    const sut = weeklyOccurrences({
      weekdays: [1, 3], // Monday, Wednesday
      periodStart: '09:00',
      periodEnd: '09:40',
      termStart: '2026-09-28', // a Monday
      termEnd: '2026-10-11',
      holidays: ['2026-09-30', '2026-10-05', '2026-10-07'],
      timezone: 'Asia/Shanghai',
    });
    expect(sut.map((o) => o.date)).toEqual(['2026-09-28']);
    expect(sut[0].start.toISOString()).toBe('2026-09-28T01:00:00.000Z');
    expect(sut[0].end.toISOString()).toBe('2026-09-28T01:40:00.000Z');
  });

  it('keeps the local wall-clock time across a daylight-saving change', () => {
    const sut = weeklyOccurrences({
      weekdays: [7],
      periodStart: '10:00',
      periodEnd: '10:45',
      termStart: '2026-10-25',
      termEnd: '2026-11-08',
      holidays: [],
      timezone: 'America/New_York',
    });
    expect(sut.map((o) => o.start.toISOString())).toEqual(['2026-10-25T14:00:00.000Z', '2026-11-01T15:00:00.000Z', '2026-11-08T15:00:00.000Z']);
  });

  it('gives nothing when no weekday falls in the term', () => {
    expect(weeklyOccurrences({ weekdays: [6], periodStart: '09:00', periodEnd: '10:00', termStart: '2026-12-07', termEnd: '2026-12-11', holidays: [], timezone: 'Asia/Shanghai' })).toEqual([]);
  });
});
