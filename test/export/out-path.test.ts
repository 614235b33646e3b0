// --out templates of scheduled exports: {date} and {account} filled, names made safe, typos refused.
import { describe, expect, it } from 'vitest';
import { exportDay, fileNameSafe, fillOutPath } from '../../electron/data/export/out-path.ts';
import { UserError } from '../../electron/data/errors.ts';

describe('export --out placeholders', () => {
  it('fills {date} and {account}, as often as they appear', () => {
    expect(fillOutPath('/r/{account}/{account} {date}.xlsx', { date: '2026-12-05', account: 'Bucharest PBX' })).toBe('/r/Bucharest PBX/Bucharest PBX 2026-12-05.xlsx');
    expect(fillOutPath('calls.csv', { date: '2026-12-05', account: 'x' })).toBe('calls.csv');
  });

  it('makes the account name safe for a file name on every system', () => {
    expect(fileNameSafe('Sales/Support: "A" <1>|?*')).toBe('Sales_Support_ _A_ _1____');
    expect(fileNameSafe('Hà Nội tổng đài')).toBe('Hà Nội tổng đài');
    expect(fileNameSafe('حساب تهران')).toBe('حساب تهران');
    expect(fileNameSafe('ends with dots...')).toBe('ends with dots');
    expect(fileNameSafe('CON')).toBe('_CON');
    expect(fileNameSafe('..')).toBe('_');
  });

  it('refuses an unknown placeholder, naming it and the account', () => {
    const fill = () => fillOutPath('/r/{acount}.xlsx', { date: '2026-12-05', account: 'A' }, 'A');
    expect(fill).toThrow(UserError);
    expect(fill).toThrow('--out "/r/{acount}.xlsx" has the unknown placeholder {acount} (known: {date}, {account})');
  });

  it('{date} is the day --from names, else --to, else today', () => {
    expect(exportDay('2026-12-05', '2026-12-05', '2026-12-06')).toBe('2026-12-05');
    expect(exportDay('2026-12-01 08:00', undefined, '2026-12-06')).toBe('2026-12-01');
    expect(exportDay(undefined, '2026-11-30', '2026-12-06')).toBe('2026-11-30');
    expect(exportDay(undefined, undefined, '2026-12-06')).toBe('2026-12-06');
  });
});
