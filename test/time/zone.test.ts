import { describe, expect, it } from 'vitest';
import { formatWall, isValidTimeZone, toIsoUtc, zonedToEpochMs } from '../../electron/data/time/zone.ts';

const at = (zone: string, s: string, d?: 'earlier' | 'later') => {
  const [date, time] = s.split(' ') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
  return toIsoUtc(zonedToEpochMs(zone, { year, month, day, hour, minute, second }, d));
};

describe('zoned wall times', () => {
  it('reads fixed-offset zones', () => {
    expect(at('Asia/Ho_Chi_Minh', '2021-01-11 11:28:45')).toBe('2021-01-11T04:28:45Z');
    expect(at('Asia/Kolkata', '2017-10-10 14:34:58')).toBe('2017-10-10T09:04:58Z');
    expect(at('Asia/Tehran', '2021-02-09 15:10:04')).toBe('2021-02-09T11:40:04Z');
  });

  it('reads Bucharest summer and winter time, and the seed example', () => {
    expect(at('Europe/Bucharest', '2024-03-14 09:28:44')).toBe('2024-03-14T07:28:44Z');
    expect(at('Europe/Bucharest', '2024-07-01 12:00:00')).toBe('2024-07-01T09:00:00Z');
  });

  it('moves a time in the spring-forward gap ahead by the gap', () => {
    // 2024-03-31 03:00 does not exist in Bucharest (clocks jump 03:00 -> 04:00 EEST).
    expect(at('Europe/Bucharest', '2024-03-31 03:30:00')).toBe('2024-03-31T01:30:00Z');
  });

  it('chooses between the two instants of the repeated autumn hour on purpose', () => {
    expect(at('Europe/Bucharest', '2024-10-27 03:30:00', 'earlier')).toBe('2024-10-27T00:30:00Z');
    expect(at('Europe/Bucharest', '2024-10-27 03:30:00', 'later')).toBe('2024-10-27T01:30:00Z');
  });

  it('formats back to wall time and validates zones', () => {
    expect(formatWall('Europe/Bucharest', Date.parse('2024-10-27T01:30:00Z'))).toBe('2024-10-27 03:30:00');
    expect(isValidTimeZone('Asia/Tehran')).toBe(true);
    expect(isValidTimeZone('Nowhere/City')).toBe(false);
  });
});
