// Day, week and month keys in the Gregorian and Persian (Solar Hijri) calendars.
import { describe, expect, it } from 'vitest';
import { calendarKey } from '../../electron/data/time/calendar.ts';

describe('calendar keys', () => {
  it('Gregorian: weeks from Monday, months YYYY-MM', () => {
    expect(calendarKey('2024-10-25', 'week', 'gregorian')).toBe('2024-10-21'); // a Friday → its Monday
    expect(calendarKey('2024-10-21', 'week', 'gregorian')).toBe('2024-10-21');
    expect(calendarKey('2024-10-27', 'week', 'gregorian')).toBe('2024-10-21'); // Sunday ends the week
    expect(calendarKey('2025-01-01', 'week', 'gregorian')).toBe('2024-12-30'); // across the year
    expect(calendarKey('2024-10-25', 'month', 'gregorian')).toBe('2024-10');
    expect(calendarKey('2024-10-25', 'day', 'gregorian')).toBe('2024-10-25');
  });

  it('Persian: Solar Hijri dates, weeks from Saturday, months by the Persian month', () => {
    expect(calendarKey('2024-10-25', 'day', 'persian')).toBe('1403-08-04');
    expect(calendarKey('2024-10-25', 'week', 'persian')).toBe('1403-07-28'); // Friday 4 Aban → Saturday 28 Mehr
    expect(calendarKey('2024-10-26', 'week', 'persian')).toBe('1403-08-05'); // a Saturday starts its own week
    expect(calendarKey('2024-10-22', 'month', 'persian')).toBe('1403-08'); // 1 Aban 1403
    expect(calendarKey('2024-10-21', 'month', 'persian')).toBe('1403-07'); // 30 Mehr 1403
    expect(calendarKey('2025-03-21', 'day', 'persian')).toBe('1404-01-01'); // Nowruz
  });
});
