// A rate card's rows: checked one by one with the line they came from, so a bad file is refused with a message
// naming the line and the cause, before anything is stored.
import { isCurrency } from '../../shared/costs.ts';
import { UserError } from '../errors.ts';
import { parseAmount } from './money.ts';

/** One rate, amounts in units of 1/10,000. */
export interface Rate {
  prefix: string;
  perMinute: number;
  first: number;
  next: number;
  connectFee: number;
  minSeconds: number | null;
  /** YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS]: a wall time in the account's zone. */
  effectiveFrom: string;
}

/** The columns of a rate file, any order (headers compared without case, spaces, dashes or underscores). */
export const RATE_COLUMNS = ['prefix', 'per_minute', 'increment', 'connect_fee', 'min_seconds', 'effective_from'] as const;
type RateColumn = (typeof RATE_COLUMNS)[number];
const REQUIRED: readonly RateColumn[] = ['prefix', 'per_minute', 'increment', 'effective_from'];

/** A table read from a file: each row with its line (CSV) or row number (XLSX). */
export interface TableRow {
  line: number;
  cells: string[];
}

const headerKey = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, '');

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The effective-from text in one form (date, or date and time with seconds), or an error message. */
export function checkEffectiveFrom(text: string): string | { error: string } {
  const t = text.trim();
  const m = DATE.exec(t);
  if (!m) return { error: `effective_from "${t}" is not a date YYYY-MM-DD (or YYYY-MM-DD HH:MM)` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || day.getUTCDate() !== d || day.getUTCMonth() !== mo - 1) return { error: `effective_from "${t}" is not a real date` };
  if (m[4] === undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return { error: `effective_from "${t}" is not a real time` };
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`;
}

/** `first/next` in whole seconds ≥ 1, e.g. 60/60, 1/1, 30/6. */
export function parseIncrement(text: string): { first: number; next: number } | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > 86_400 || Number(m[2]) > 86_400) {
    return `increment "${text.trim()}" is not first/next in whole seconds of at least 1 (like 60/60, 1/1 or 30/6)`;
  }
  return { first: Number(m[1]), next: Number(m[2]) };
}

/** The destination prefix: digits only (a leading + is dropped), empty for the default rate. */
function parsePrefix(text: string): string | { error: string } {
  const t = text.trim().replace(/^\+/, '');
  if (!/^\d*$/.test(t)) return { error: `prefix "${text.trim()}" holds other characters than digits` };
  return t;
}

/**
 * The rates of a table whose first row is its header. Every problem names its line; the first one found is
 * thrown (a UserError naming the account), so nothing of a bad file is used.
 */
export function ratesFromTable(rows: readonly TableRow[], account: string, source: string): Rate[] {
  const fail = (line: number | null, why: string): never => {
    throw new UserError(`rate file ${source}${line === null ? '' : `, line ${line}`}: ${why}; nothing was changed`, account);
  };
  const nonBlank = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonBlank[0];
  if (!header) return fail(null, 'the file is empty (it needs a header row and at least one rate)');
  const at = new Map<RateColumn, number>();
  header.cells.forEach((h, i) => {
    const col = RATE_COLUMNS.find((c) => headerKey(c) === headerKey(h));
    if (!col) return fail(header.line, `unknown column "${h.trim()}" (columns: ${RATE_COLUMNS.join(', ')})`);
    if (at.has(col)) return fail(header.line, `column "${col}" appears twice`);
    at.set(col, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length) fail(header.line, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const body = nonBlank.slice(1);
  if (!body.length) fail(null, 'the file holds no rates (only a header row)');
  const seen = new Map<string, number>();
  return body.map(({ line, cells }) => {
    const cell = (c: RateColumn) => (at.has(c) ? (cells[at.get(c)!] ?? '').trim() : '');
    const prefix = parsePrefix(cell('prefix'));
    if (typeof prefix !== 'string') return fail(line, prefix.error);
    const perMinute = parseAmount(cell('per_minute'), 'per_minute');
    if (typeof perMinute === 'string') return fail(line, perMinute);
    const increment = parseIncrement(cell('increment'));
    if (typeof increment === 'string') return fail(line, increment);
    const connectFee = cell('connect_fee') === '' ? 0 : parseAmount(cell('connect_fee'), 'connect_fee');
    if (typeof connectFee === 'string') return fail(line, connectFee);
    const min = cell('min_seconds');
    if (min !== '' && (!/^\d+$/.test(min) || Number(min) > 86_400)) fail(line, `min_seconds "${min}" is not a whole number of seconds`);
    const effectiveFrom = checkEffectiveFrom(cell('effective_from'));
    if (typeof effectiveFrom !== 'string') return fail(line, effectiveFrom.error);
    const key = `${prefix}\u0000${effectiveFrom}`;
    if (seen.has(key)) fail(line, `prefix "${prefix}" from ${effectiveFrom} is already on line ${seen.get(key)}`);
    seen.set(key, line);
    return { prefix, perMinute, first: increment.first, next: increment.next, connectFee, minSeconds: min === '' ? null : Number(min), effectiveFrom };
  });
}

/** A currency code, upper-cased, checked against ISO 4217 as this runtime knows it. */
export function checkCurrency(code: string, account: string): string {
  const c = code.trim().toUpperCase();
  if (!isCurrency(c)) throw new UserError(`unknown currency "${code.trim()}" (use an ISO 4217 code like USD, EUR, IRR, VND, RON)`, account);
  return c;
}
