// Exact money: amounts are integers of 1/10,000 of the currency's main unit (MONEY_SCALE), parsed from and
// written back to decimal text without ever passing through a binary fraction.
import { currencyDigits, MONEY_DECIMALS, MONEY_SCALE } from '../../shared/costs.ts';

/** Decimal text ("0.0125", "3", "1,5" is refused) → units, or an error message naming the value. */
export function parseAmount(text: string, what: string): number | string {
  const t = text.trim();
  if (t.startsWith('-')) return `${what} "${t}" is negative`;
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return `${what} "${t}" is not a decimal number (write it like 0.0125)`;
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > MONEY_DECIMALS) return `${what} "${t}" has more than ${MONEY_DECIMALS} decimals`;
  const units = Number(m[1]) * MONEY_SCALE + Number((frac + '0000').slice(0, MONEY_DECIMALS));
  if (!Number.isSafeInteger(units) || units > 1e12) return `${what} "${t}" is too large`;
  return units;
}

/** Units → decimal text with at least `minDigits` decimals and no trailing zeros beyond them. */
export function formatAmount(units: number, minDigits = 0): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.floor(abs / MONEY_SCALE);
  let frac = String(abs % MONEY_SCALE).padStart(MONEY_DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < minDigits) frac = frac.padEnd(minDigits, '0');
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** Units → a JSON number (the decimal it prints is exactly formatAmount's: at most 4 decimals, in range). */
export const amountNumber = (units: number): number => Number(formatAmount(units));

/** a / b rounded half up to 4 decimals, as a JSON number (null when b is 0): cost per call, per minute. */
export function ratio(units: number, per: number): number | null {
  if (!per) return null;
  return amountNumber(Math.round(units / per));
}

/**
 * The spreadsheet number format of amounts in a currency: its usual decimals (then up to 4 where a cost has
 * more) and its code, e.g. `#,##0.00## "USD"`; without a currency two to four decimals.
 */
export function xlsxMoneyFormat(currency: string | null): string {
  if (currency === null) return '#,##0.00##';
  const digits = currencyDigits(currency);
  const fraction = digits > 0 ? `.${'0'.repeat(digits)}${'#'.repeat(Math.max(0, MONEY_DECIMALS - digits))}` : '';
  return `#,##0${fraction} "${currency}"`;
}
