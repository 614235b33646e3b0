// The PHP query builder (pbx-cdr request bodies) on arbitrary values: never throws, writes only form-safe
// characters, and what it writes PHP's parse_str (our parsePhpQuery, used by the simulator) reads back unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpBuildQuery, parsePhpQuery, phpUrlencode, type PhpValue } from '../../../electron/data/providers/pbx-cdr/php-query.ts';
import { RUNS } from '../../property/arbitraries.ts';

const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const scalar: fc.Arbitrary<PhpValue> = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer(), fc.double(), fc.boolean(), fc.bigInt(), fc.constant(null));
const { value: phpValue } = fc.letrec<{ value: PhpValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3, noNullPrototype: true })),
}));

/** What PHP receives: every scalar as text, lists as objects keyed '0', '1', ...; empty containers vanish. */
function asReceived(v: PhpValue): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') {
    const entries = (Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v))
      .map(([k, x]) => [k, asReceived(x as PhpValue)] as const)
      .filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return v;
}

describe('PHP query builder', () => {
  it('any value: no throw, only form-safe characters', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), phpValue, { maxKeys: 4, noNullPrototype: true }), (params) => {
        expect(httpBuildQuery(params)).toMatch(/^[A-Za-z0-9_.\-+%=&]*$/);
      }),
      RUNS,
    );
  });

  it('phpUrlencode: decodes back to the same text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => { expect(decodeURIComponent(phpUrlencode(s).replace(/\+/g, ' '))).toBe(s); }), RUNS);
  });

  it('string values under plain keys, nested: parse_str reads back exactly what was built', () => {
    const text = fc.oneof(fc.string({ minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }));
    const nested = fc.dictionary(key, fc.oneof(text, fc.dictionary(key, text, { minKeys: 1, maxKeys: 3, noNullPrototype: true }), fc.array(text, { minLength: 1, maxLength: 3 })), { maxKeys: 5, noNullPrototype: true });
    fc.assert(
      fc.property(nested, (params) => {
        expect(parsePhpQuery(httpBuildQuery(params))).toEqual(asReceived(params) ?? {});
      }),
      RUNS,
    );
  });
});
