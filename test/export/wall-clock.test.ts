import { describe, expect, it } from 'vitest';
import { WallClock } from '../../electron/data/export/wall-clock.ts';
import { offsetMinutesAt, zonedToEpochMs } from '../../electron/data/time/zone.ts';

/** The wall time straight from Intl, with a formatter of this test's own: zone.ts caches offsets, this does not. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function intlWall(zone: string, t: number): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const ZONES = ['Europe/Bucharest', 'Asia/Tehran', 'Asia/Ho_Chi_Minh', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];

describe('WallClock reads the same wall time as Intl', () => {
  it.each(ZONES)('%s: 2021-2024 sampled, and every 10 s around each offset change', (zone) => {
    const clock = new WallClock(zone);
    const checked: number[] = [];
    for (let t = Date.UTC(2021, 0, 1, 0, 0, 0, 123); t < Date.UTC(2025, 0, 1); t += 3_600_000) {
      checked.push(t + 1_234_567); // somewhere inside the hour
      if (offsetMinutesAt(zone, t) !== offsetMinutesAt(zone, t + 3_600_000)) {
        for (let u = t - 1_800_000; u < t + 5_400_000; u += 10_000) checked.push(u);
      }
    }
    const wrong = checked.filter((t) => clock.text(t) !== intlWall(zone, t));
    expect(wrong.map((t) => new Date(t).toISOString())).toEqual([]);
  });

  it('is exact in the minutes around a half-hour DST change (Lord Howe, 2024-04-07 02:00 → 01:30)', () => {
    const zone = 'Australia/Lord_Howe';
    const clock = new WallClock(zone);
    const change = zonedToEpochMs(zone, { year: 2024, month: 4, day: 7, hour: 1, minute: 59, second: 0 }, 'earlier') + 60_000;
    for (let t = change - 3_600_000; t < change + 3_600_000; t += 1000) expect(clock.text(t)).toBe(intlWall(zone, t));
  });

  it('gives Excel serial numbers of the wall time (1900 date system)', () => {
    const clock = new WallClock('Asia/Ho_Chi_Minh');
    // 2024-01-01 00:00:00 in Ho Chi Minh City (UTC+7) is Excel day 45292.
    expect(clock.excelSerial(Date.UTC(2023, 11, 31, 17, 0, 0))).toBe(45292);
    expect(clock.excelSerial(Date.UTC(2023, 11, 31, 23, 0, 0, 999))).toBe(45292.25);
  });

  it('writes serial numbers as text that reads back as the same second, for every second of a day', () => {
    const clock = new WallClock('Europe/Bucharest');
    // 2024-10-27 holds the autumn change (25 wall hours); a plain day in 2030 has a different whole-day part.
    for (const start of [Date.UTC(2024, 9, 26, 21, 0, 0), Date.UTC(2030, 5, 1, 0, 0, 0)]) {
      for (let t = start; t < start + 90_000_000; t += 1000) {
        const text = clock.excelSerialText(t + 999);
        expect(text).toMatch(/^\d{5}(\.\d+)?$/);
        const serial = Number(text);
        // Readers turn the fraction into milliseconds and round: it must land on the exact second.
        const days = Math.floor(serial);
        const ms = Math.round((serial - days) * 86_400_000);
        expect(days * 86_400_000 + ms, text).toBe(Math.round(clock.excelSerial(t) * 86_400_000));
        expect(ms % 1000).toBe(0);
      }
    }
  });
});
