// The local-day pieces a summary by day reads the calls in (summary/day-pieces.ts): together they cover the span
// with no gap or overlap, each lies in one local day on the zone's wall clock, and a day with an offset change
// (23 or 25 hours, a change at midnight, a half-hour zone) is cut where it changes.
import { describe, expect, it } from 'vitest';
import { localDayPieces } from '../../electron/data/summary/day-pieces.ts';
import { formatWall } from '../../electron/data/time/zone.ts';

const T = (iso: string) => Date.parse(iso);
const dayText = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe('local day pieces', () => {
  const cases: [string, number, number][] = [
    ['Europe/Bucharest', T('2024-01-01T00:00:00Z'), T('2025-01-01T00:00:00Z')],
    ['Europe/Bucharest', T('1931-06-01T00:00:00Z'), T('1931-08-01T00:00:00Z')], // local mean time +1:44:24 until July 1931
    ['America/Santiago', T('2024-03-01T00:00:00Z'), T('2024-10-01T00:00:00Z')], // changes at local midnight
    ['Asia/Tehran', T('2021-01-01T00:00:00Z'), T('2023-01-01T00:00:00Z')],
    ['Australia/Lord_Howe', T('2023-01-01T00:00:00Z'), T('2024-01-01T00:00:00Z')], // 30-minute DST
  ];
  for (const [zone, from, to] of cases) {
    it(`${zone} ${new Date(from).toISOString().slice(0, 10)}: cover the span, one local day each`, () => {
      const pieces = localDayPieces(zone, from, to);
      expect(pieces[0]!.lo).toBe(from);
      expect(pieces.at(-1)!.hi).toBe(to + 1);
      for (const [i, p] of pieces.entries()) {
        expect(p.hi).toBeGreaterThan(p.lo);
        if (i) expect(p.lo).toBe(pieces[i - 1]!.hi);
        expect(formatWall(zone, p.lo).slice(0, 10), `${zone} ${p.lo}`).toBe(dayText(p.day));
        expect(formatWall(zone, p.hi - 1).slice(0, 10), `${zone} ${p.hi - 1}`).toBe(dayText(p.day));
      }
    });
  }

  it('a 23-hour and a 25-hour day in Bucharest, each one piece', () => {
    const pieces = localDayPieces('Europe/Bucharest', T('2024-03-30T00:00:00Z'), T('2024-11-01T00:00:00Z'));
    const hours = (day: string) => pieces.filter((p) => dayText(p.day) === day).reduce((s, p) => s + (p.hi - p.lo), 0) / 3_600_000;
    expect(hours('2024-03-31')).toBe(23);
    expect(hours('2024-10-27')).toBe(25);
    expect(hours('2024-06-01')).toBe(24);
  });
});
