// Shared generators and checks for the property-based tests: provider-shaped values (numbers as strings,
// date-like text, Persian digits, nested JSON, huge numbers), and what "no crash, no invalid instant" means.
import fc from 'fast-check';
import { expect } from 'vitest';
import { CALL_STATUSES, type NormalizedCdr } from '../../electron/shared/cdr.ts';

/**
 * Every property runs the same 200 cases from one fixed seed, so a run is repeatable and a count taken over the
 * cases is exact, not a statistical bound. PROPERTY_SEED=<n> explores other cases; on failure fast-check prints
 * the seed and the path of the counterexample, which replay it.
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20_241_027);
export const RUNS = { numRuns: 200, seed: PROPERTY_SEED };

export const ZONES = ['UTC', 'Asia/Tehran', 'Europe/Bucharest', 'Asia/Ho_Chi_Minh', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham'];
export const zone = fc.constantFrom(...ZONES);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Text shaped like the dates providers send, with every field allowed out of range. */
export const dateLikeText = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }),
    fc.constantFrom(' ', 'T', '/', '-'), fc.constantFrom('', 'Z', '+03:30', '-0230', '.123456', ' PM', ' am'))
  .map(([y, mo, d, h, mi, s, sep, tail]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}${sep}${h}:${pad(mi)}:${pad(s)}${tail}`);

/** Sarv's '10-Oct-2017 2:34:58 PM' shape with out-of-range parts. */
export const sarvLikeText = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('Jan', 'Feb', 'oct', 'DEC', 'Foo', 'Sept'), fc.integer({ min: 0, max: 99999 }),
    fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('AM', 'pm', 'XM', ''))
  .map(([d, m, y, h, mi, s, ap]) => `${d}-${m}-${y} ${h}:${pad(mi)}:${pad(s)} ${ap}`);

const persianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

/** As it would arrive: through JSON (no NaN, no null-prototype objects), or absent. */
const asJson = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Anything a provider could put in one field of a JSON answer. */
export const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(''),
  fc.boolean(),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e300, -1, -0, Number.MAX_SAFE_INTEGER, 2 ** 63, '99999999999999999999', '-5', '12.5', '00:00:99', '999999:59:59', '1e3'),
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String),
  dateLikeText,
  dateLikeText.map(persianDigits),
  sarvLikeText,
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ $date: fc.oneof(fc.integer(), fc.double(), fc.string(), dateLikeText, fc.record({ $numberLong: fc.oneof(fc.string(), fc.bigInt().map(String)) })) }),
  fc.record({ $oid: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
).map(asJson);

/** A record with the given field names, each present or absent, plus some unknown extra fields. */
export function rowOf(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((f) => [f, fieldValue])), { requiredKeys: [], noNullPrototype: true }),
      fc.dictionary(fc.string({ maxLength: 8 }), fieldValue, { maxKeys: 3, noNullPrototype: true }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/** Date's own limit: ±8.64e15 ms, and a whole number of ms (the cache's columns are STRICT INTEGER). */
export function expectValidInstant(ms: unknown): void {
  if (ms === null) return;
  expect(typeof ms).toBe('number');
  expect(Number.isSafeInteger(ms), `instant ${String(ms)} is not a whole number of ms`).toBe(true);
  expect(Math.abs(ms as number) <= 8.64e15, `instant ${String(ms)} is outside what a Date can hold`).toBe(true);
}

export function expectValidSeconds(sec: unknown): void {
  if (sec === null) return;
  expect(Number.isSafeInteger(sec) && (sec as number) >= 0, `duration ${String(sec)} is not a whole number of seconds >= 0`).toBe(true);
}

/** Every instant and duration valid, the status one of the normalized statuses, the call id non-empty text. */
export function expectValidCdr(c: NormalizedCdr): void {
  expect(typeof c.callId === 'string' && c.callId.length > 0).toBe(true);
  expect(CALL_STATUSES).toContain(c.status);
  for (const t of [c.startedAt, c.answeredAt, c.endedAt]) expectValidInstant(t);
  for (const s of [c.durationSec, c.billSec, c.waitSec]) expectValidSeconds(s);
  expect(c.direction === null || c.direction === 'in' || c.direction === 'out').toBe(true);
  for (const t of [c.source, c.destination, c.campaign, c.campaignId, c.agent, c.keypress, c.recording, c.extraText, c.providerStatus]) {
    expect(t === null || typeof t === 'string').toBe(true);
  }
}

/**
 * Runs `fn`; a throw is allowed only as one of the module's own error classes (exactly: a TypeError or
 * RangeError is a crash even though it is an Error) with a message.
 */
export function ownErrorsOnly<T>(fn: () => T, allowed: readonly (abstract new (...a: never[]) => Error)[]): T | undefined {
  try {
    return fn();
  } catch (err) {
    const ok = allowed.some((c) => err instanceof Error && Object.getPrototypeOf(err) === c.prototype);
    if (!ok) throw new Error(`threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message ?? String(err)}`);
    expect((err as Error).message.length).toBeGreaterThan(0);
    return undefined;
  }
}
