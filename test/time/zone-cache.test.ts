// wallTimeAt and offsetMinutesAt answer from an offset cached per UTC day or hour, and zonedToEpochMs from one
// cached per local day: checked here against Intl itself (a formatter of this test's own), at random instants
// 1900-2199, every 30 s (every second near the change) in the hour either side of each offset change of 2020-2026,
// and every 10 minutes of local time over the days either side of each change, in zones with odd rules (half-hour
// DST, 45-minute offsets, Ramadan suspensions, southern DST).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetMinutesAt, wallTimeAt, zonedToEpochMs } from '../../electron/data/time/zone.ts';

const ZONES = ['Europe/Bucharest', 'Asia/Tehran', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Kolkata', 'Pacific/Chatham', 'Africa/Casablanca', 'America/St_Johns', 'UTC'];

const formatters = new Map<string, Intl.DateTimeFormat>();
function oracle(zone: string): (ms: number) => number[] {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const format = f;
  return (ms) => {
    const parts = format.formatToParts(new Date(ms));
    return ['year', 'month', 'day', 'hour', 'minute', 'second'].map((t) => Number(parts.find((p) => p.type === t)!.value));
  };
}
const ours = (zone: string, ms: number) => {
  const w = wallTimeAt(zone, ms);
  return [w.year, w.month, w.day, w.hour, w.minute, w.second];
};
const intlOffsetMin = (zone: string, ms: number) => {
  const [y, mo, d, h, mi, s] = oracle(zone)(ms);
  return Math.round((Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - Math.floor(ms / 1000) * 1000) / 60000);
};

/** The instants (to the second) where the zone's offset changes in [from, to), found with Intl alone. */
function changes(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const step = 6 * 3_600_000;
  for (let t = from; t < to; t += step) {
    if (intlOffsetMin(zone, t) === intlOffsetMin(zone, t + step)) continue;
    let lo = t;
    let hi = t + step;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (intlOffsetMin(zone, mid) === intlOffsetMin(zone, lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

describe('zone offsets cached per day and hour agree with Intl', () => {
  it('at random instants 1900-2199', () => {
    const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) - 1 });
    fc.assert(fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
      expect(ours(zone, ms)).toEqual(oracle(zone)(ms));
      expect(offsetMinutesAt(zone, ms)).toBe(intlOffsetMin(zone, ms));
    }), { numRuns: 5000 });
  });

  for (const zone of ZONES) {
    it(`${zone}: the hour either side of each change, 2020-2026`, () => {
      const found = changes(zone, Date.UTC(2020, 0, 1), Date.UTC(2027, 0, 1));
      if (!['UTC', 'Asia/Kolkata', 'America/Sao_Paulo'].includes(zone)) expect(found.length).toBeGreaterThan(0);
      for (const at of found) {
        expect(offsetMinutesAt(zone, at - 1000)).not.toBe(offsetMinutesAt(zone, at));
        const instants = new Set<number>();
        for (let ms = at - 3_600_000; ms <= at + 3_600_000; ms += 30_000) instants.add(ms);
        for (let ms = at - 10_000; ms <= at + 10_000; ms += 1000) instants.add(ms);
        for (const ms of instants) expect(ours(zone, ms + 7)).toEqual(oracle(zone)(ms + 7));
      }
    });
  }
});

/**
 * A wall time's instant from Intl alone: each offset the zone has a day either side is tried, and kept when Intl
 * reads the wall time back at that instant; of two (an overlap) the earlier, of none (a gap) the offset before.
 */
function intlInstant(zone: string, localAsUtc: number): number {
  const before = intlOffsetMin(zone, localAsUtc - 86_400_000);
  const after = intlOffsetMin(zone, localAsUtc + 86_400_000);
  const fits = [before, after].map((off) => localAsUtc - off * 60_000).filter((t) => intlOffsetMin(zone, t) * 60_000 === localAsUtc - t);
  return fits.length ? Math.min(...fits) : localAsUtc - before * 60_000;
}

describe('wall times read as instants agree with Intl', () => {
  for (const zone of ZONES) {
    it(`${zone}: every 10 minutes of the local days either side of each change, 2020-2026`, () => {
      for (const at of changes(zone, Date.UTC(2020, 0, 1), Date.UTC(2027, 0, 1))) {
        const day = Math.floor((at + offsetMinutesAt(zone, at) * 60_000) / 86_400_000) * 86_400_000;
        for (let local = day - 2 * 86_400_000; local < day + 3 * 86_400_000; local += 600_000) {
          const d = new Date(local);
          const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 };
          expect(zonedToEpochMs(zone, wall), `${zone} ${d.toISOString()}`).toBe(intlInstant(zone, local));
        }
      }
    });
  }
});
