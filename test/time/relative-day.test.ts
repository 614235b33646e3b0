// today/yesterday as calendar days of a zone, whatever the machine's zone: across midnight, DST and month ends.
import { describe, expect, it } from 'vitest';
import { dayInZone, resolveRelativeDay } from '../../electron/data/time/relative-day.ts';

describe('relative days', () => {
  it('names the day of the zone, not of UTC or the machine', () => {
    const t = Date.UTC(2026, 11, 5, 22, 30); // 00:30 on 6 Dec in Bucharest, still 5 Dec in UTC and New York
    expect(resolveRelativeDay('today', 'Europe/Bucharest', t)).toBe('2026-12-06');
    expect(resolveRelativeDay('yesterday', 'Europe/Bucharest', t)).toBe('2026-12-05');
    expect(resolveRelativeDay('Yesterday', 'America/New_York', t)).toBe('2026-12-04');
    expect(resolveRelativeDay('today', 'Asia/Tehran', t)).toBe('2026-12-06');
  });

  it('steps calendar days, not 24 hours: the day after a DST change, and across month and year ends', () => {
    // 00:30 on 28 Oct 2024 in Bucharest; 27 Oct had 25 hours, so 24 hours back is still 27 Oct 00:30 ... and one
    // more hour back would be 26 Oct: only the calendar step is right either way.
    const t = Date.UTC(2024, 9, 27, 22, 30);
    expect(dayInZone('Europe/Bucharest', t, 1)).toBe('2024-10-27');
    expect(dayInZone('Europe/Bucharest', Date.UTC(2025, 0, 1, 6), 1)).toBe('2024-12-31');
    expect(dayInZone('UTC', Date.UTC(2024, 2, 1, 6), 1)).toBe('2024-02-29');
  });

  it('leaves dates, date-times and absent values as given', () => {
    expect(resolveRelativeDay('2024-10-25', 'UTC', 0)).toBe('2024-10-25');
    expect(resolveRelativeDay('2024-10-25 08:00', 'UTC', 0)).toBe('2024-10-25 08:00');
    expect(resolveRelativeDay(undefined, 'UTC', 0)).toBeUndefined();
  });
});
