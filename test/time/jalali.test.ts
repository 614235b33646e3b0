// Jalali (Solar Hijri) wall times in a zone <-> UTC instants: the documented pair, Tehran's old daylight saving,
// Persian digits, leap years and junk.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiDigits, formatJalali, parseJalaliDateTime } from '../../electron/data/time/jalali.ts';
import { TimeFormatError } from '../../electron/data/time/parse.ts';
import { toIsoUtc } from '../../electron/data/time/zone.ts';

const TEHRAN = 'Asia/Tehran';

describe('Jalali date-times', () => {
  it('reads the documented pair: 1399-11-21 15:10:04 in Tehran is 2021-02-09T11:40:04Z (1612870804000)', () => {
    expect(parseJalaliDateTime('1399-11-21 15:10:04', TEHRAN)).toBe(1612870804000);
    expect(toIsoUtc(parseJalaliDateTime('1399-11-21 15:10:04', TEHRAN))).toBe('2021-02-09T11:40:04Z');
    expect(formatJalali(TEHRAN, 1612870804000)).toBe('1399-11-21 15:10:04');
  });

  it('reads Tehran summer time (+04:30 until 2022) and the +03:30 after it', () => {
    // 1399-04-01 = 2020-06-21, daylight saving then.
    expect(toIsoUtc(parseJalaliDateTime('1399-04-01 12:00:00', TEHRAN))).toBe('2020-06-21T07:30:00Z');
    // 1402-04-01 = 2023-06-22: Iran no longer moves its clocks.
    expect(toIsoUtc(parseJalaliDateTime('1402-04-01 12:00:00', TEHRAN))).toBe('2023-06-22T08:30:00Z');
    // Nowruz: 1400-01-01 = 2021-03-21.
    expect(toIsoUtc(parseJalaliDateTime('1400-01-01 00:00:00', TEHRAN))).toBe('2021-03-20T20:30:00Z');
  });

  it('handles the repeated hour when Tehran\'s clocks went back (1399-06-30 23:30 came twice)', () => {
    // Summer time ended at 24:00 on 1399-06-30 (2020-09-20): 23:00-24:00 was lived twice.
    const earlier = parseJalaliDateTime('1399-06-30 23:30:00', TEHRAN, 'earlier')!;
    const later = parseJalaliDateTime('1399-06-30 23:30:00', TEHRAN, 'later')!;
    expect(later - earlier).toBe(3_600_000);
    expect(toIsoUtc(earlier)).toBe('2020-09-20T19:00:00Z');
  });

  it('reads Persian and Arabic-Indic digits, dates without a time, and seconds-less times', () => {
    expect(asciiDigits('۱۳۹۹-۱۱-۲۱ ١٥:١٠:٠٤')).toBe('1399-11-21 15:10:04');
    expect(parseJalaliDateTime('۱۳۹۹-۱۱-۲۱ ۱۵:۱۰:۰۴', TEHRAN)).toBe(1612870804000);
    expect(toIsoUtc(parseJalaliDateTime('1399/11/21', TEHRAN))).toBe('2021-02-08T20:30:00Z');
    expect(toIsoUtc(parseJalaliDateTime('1399-11-21 15:10', TEHRAN))).toBe('2021-02-09T11:40:00Z');
  });

  it('knows leap years: 1399-12-30 exists, 1400-12-30 does not', () => {
    expect(toIsoUtc(parseJalaliDateTime('1399-12-30 10:00:00', TEHRAN))).toBe('2021-03-20T06:30:00Z');
    expect(() => parseJalaliDateTime('1400-12-30 10:00:00', TEHRAN)).toThrow(TimeFormatError);
  });

  it('gives null for empty values and refuses junk', () => {
    expect(parseJalaliDateTime('', TEHRAN)).toBeNull();
    expect(parseJalaliDateTime(null, TEHRAN)).toBeNull();
    expect(parseJalaliDateTime('0000-00-00 00:00:00', TEHRAN)).toBeNull();
    expect(() => parseJalaliDateTime('1399-13-01 10:00:00', TEHRAN)).toThrow(/not a valid Jalali date/);
    expect(() => parseJalaliDateTime('1399-11-21 25:00:00', TEHRAN)).toThrow(/not a valid time/);
    expect(() => parseJalaliDateTime('21-11-1399', TEHRAN)).toThrow(/Jalali YYYY-MM-DD/);
  });

  it('formats and parses back every instant, summer and winter, 2019-2024 (Tehran to the second)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2019, 0, 1) / 1000, max: Date.UTC(2024, 11, 31) / 1000 }), (sec) => {
        const ms = sec * 1000;
        const text = formatJalali(TEHRAN, ms);
        const back = parseJalaliDateTime(text, TEHRAN, 'earlier');
        const backLater = parseJalaliDateTime(text, TEHRAN, 'later');
        expect(back === ms || backLater === ms).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
