// Cost equals a hand computation (issue 18): every increment style, overlapping prefixes, effective dates (one
// inside the night Bucharest's clocks go back), unanswered calls with and without the connect fee, billing by
// duration, pending calls and destinations no rate covers. Amounts are units of 1/10,000.
import { describe, expect, it } from 'vitest';
import { billedSeconds, priceCall, priceCard, type Billing, type CallToPrice } from '../../electron/data/costs/price.ts';
import { ratesFromTable, type Rate } from '../../electron/data/costs/rates.ts';

const ZONE = 'Europe/Bucharest';
const USD: Billing = { currency: 'USD', billBy: 'billsec', unansweredConnectFee: false };

/** A card from CSV-like rows, through the same checks a rate file goes through. */
function card(rows: string[][], billing: Billing = USD) {
  const rates: Rate[] = ratesFromTable(rows.map((cells, i) => ({ line: i + 1, cells })), 'Test', 'test.csv');
  return priceCard(billing, rates, ZONE);
}

const HEADER = ['prefix', 'per_minute', 'increment', 'connect_fee', 'min_seconds', 'effective_from'];
const CARD = [
  HEADER,
  ['', '0.10', '60/60', '', '', '2024-01-01'],
  ['40', '0.05', '1/1', '0.02', '', '2024-01-01'],
  ['407', '0.12', '30/6', '0', '', '2024-01-01'],
  ['4072', '0.20', '60/1', '', '45', '2024-01-01'],
  // A new price for 407 from 03:30 on the night the clocks go back (04:00 EEST -> 03:00 EET): its first 03:30.
  ['407', '0.09', '30/6', '0', '', '2024-10-27 03:30'],
  // A new default from a date: local midnight.
  ['', '0.08', '60/60', '', '', '2024-06-01'],
];

const call = (over: Partial<CallToPrice>): CallToPrice => ({
  destination: null, status: 'answered', startedAt: Date.parse('2024-03-01T10:00:00Z'), billSec: 0, durationSec: 0, ...over,
});
const units = (c: ReturnType<typeof card>, over: Partial<CallToPrice>) => {
  const p = priceCall(c, call(over));
  return 'units' in p ? p.units : p.reason;
};

describe('billed seconds', () => {
  it('rounds up to the increment: first step whole, later steps whole, minimum first', () => {
    expect(billedSeconds(61, { first: 60, next: 60, minSeconds: null })).toBe(120);
    expect(billedSeconds(60, { first: 60, next: 60, minSeconds: null })).toBe(60);
    expect(billedSeconds(1, { first: 60, next: 60, minSeconds: null })).toBe(60);
    expect(billedSeconds(61, { first: 1, next: 1, minSeconds: null })).toBe(61);
    expect(billedSeconds(29, { first: 30, next: 6, minSeconds: null })).toBe(30);
    expect(billedSeconds(31, { first: 30, next: 6, minSeconds: null })).toBe(36);
    expect(billedSeconds(37, { first: 30, next: 6, minSeconds: null })).toBe(42);
    expect(billedSeconds(10, { first: 1, next: 1, minSeconds: 45 })).toBe(45);
    expect(billedSeconds(0, { first: 30, next: 6, minSeconds: 45 })).toBe(0);
  });
});

describe('cost of a call', () => {
  const c = card(CARD);

  it('per increment style, by the longest prefix', () => {
    // Default '' 60/60 at 0.10: 61 s -> 120 s -> 0.20.
    expect(units(c, { destination: '+1 212 555 0100', billSec: 61 })).toBe(2000);
    // '40' 1/1 at 0.05 + 0.02: 61 s -> 500 * 61 / 60 = 508.33 -> 508, + 200.
    expect(units(c, { destination: '0040211234', billSec: 61 })).toBe(2000); // '00' is not '40': default rate
    expect(units(c, { destination: '+40 21 123 4567', billSec: 61 })).toBe(708);
    // '407' 30/6 at 0.12: 31 s -> 36 s -> 1200 * 36 / 60 = 720; 30 s -> 600; 0 s -> 0.
    expect(units(c, { destination: '40731234567', billSec: 31 })).toBe(720);
    expect(units(c, { destination: '40731234567', billSec: 30 })).toBe(600);
    expect(units(c, { destination: '40731234567', billSec: 0 })).toBe(0);
    // '4072' 60/1 at 0.20, minimum 45 s: 10 s -> 45 -> first step 60 s -> 2000; 61 s -> 2000 * 61 / 60 = 2033.33 -> 2033.
    expect(units(c, { destination: '40721234567', billSec: 10 })).toBe(2000);
    expect(units(c, { destination: '40721234567', billSec: 61 })).toBe(2033);
  });

  it('rounds once per call, halves up', () => {
    const tiny = card([HEADER, ['', '0.0001', '1/1', '', '', '2024-01-01']]);
    expect(units(tiny, { destination: '1', billSec: 30 })).toBe(1); // 0.5 unit -> 1
    expect(units(tiny, { destination: '1', billSec: 29 })).toBe(0); // 0.483 -> 0
    expect(units(tiny, { destination: '1', billSec: 90 })).toBe(2); // 1.5 -> 2
  });

  it('by the rate in force when the call started, in the account zone (a change inside the fall-back night)', () => {
    const at = (iso: string) => Date.parse(iso);
    // 2024-10-27 in Bucharest: 03:30 first happens at 00:30Z (EEST), again at 01:30Z (EET). 60 s at 30/6 = 60 s.
    expect(units(c, { destination: '4073', billSec: 60, startedAt: at('2024-10-27T00:15:00Z') })).toBe(1200); // 03:15 EEST: old 0.12
    expect(units(c, { destination: '4073', billSec: 60, startedAt: at('2024-10-27T00:29:59Z') })).toBe(1200);
    expect(units(c, { destination: '4073', billSec: 60, startedAt: at('2024-10-27T00:30:00Z') })).toBe(900); // 03:30 EEST: new 0.09
    expect(units(c, { destination: '4073', billSec: 60, startedAt: at('2024-10-27T01:15:00Z') })).toBe(900); // 03:15 EET, later
    // The prefix 4072 has no change: still its own rate after the night.
    expect(units(c, { destination: '4072', billSec: 60, startedAt: at('2024-10-27T01:15:00Z') })).toBe(2000);
    // A date means local midnight: 2024-06-01 00:00 EEST = 2024-05-31T21:00Z.
    expect(units(c, { destination: '1', billSec: 60, startedAt: at('2024-05-31T20:59:59Z') })).toBe(1000);
    expect(units(c, { destination: '1', billSec: 60, startedAt: at('2024-05-31T21:00:00Z') })).toBe(800);
    // Before any rate took effect there is none.
    expect(units(c, { destination: '1', billSec: 60, startedAt: at('2023-12-31T21:59:59Z') })).toBe('no_rate');
    expect(units(c, { destination: '1', billSec: 60, startedAt: at('2023-12-31T22:00:00Z') })).toBe(1000);
  });

  it('a longer prefix not yet in force leaves the shorter one', () => {
    const later = card([HEADER, ['40', '0.05', '1/1', '', '', '2024-01-01'], ['4072', '0.30', '1/1', '', '', '2024-07-01']]);
    expect(units(later, { destination: '40721', billSec: 60, startedAt: Date.parse('2024-03-01T00:00:00Z') })).toBe(500);
    expect(units(later, { destination: '40721', billSec: 60, startedAt: Date.parse('2024-08-01T00:00:00Z') })).toBe(3000);
    expect(units(later, { destination: '99', billSec: 60 })).toBe('no_rate');
  });

  it('unanswered calls cost the connect fee only when the card says so', () => {
    for (const status of ['no_answer', 'busy', 'failed', 'cancelled']) {
      expect(units(c, { destination: '4021', status, billSec: 0 })).toBe(0);
      expect(units(card(CARD, { ...USD, unansweredConnectFee: true }), { destination: '4021', status, billSec: 0 })).toBe(200);
      // The default rate has no connect fee.
      expect(units(card(CARD, { ...USD, unansweredConnectFee: true }), { destination: '1', status, billSec: 0 })).toBe(0);
    }
  });

  it('bills the duration where the account says so; pending and unknown seconds have no cost', () => {
    // '40' 1/1: billSec 20 -> 500 * 20 / 60 = 166.67 -> 167 + 200; duration 35 -> 291.67 -> 292 + 200.
    expect(units(c, { destination: '4021', billSec: 20, durationSec: 35 })).toBe(367);
    expect(units(card(CARD, { ...USD, billBy: 'duration' }), { destination: '4021', billSec: 20, durationSec: 35 })).toBe(492);
    expect(units(c, { destination: '4021', status: 'pending', billSec: 20 })).toBe('pending');
    expect(units(c, { destination: '4021', billSec: null })).toBe('no_seconds');
    expect(units(c, { destination: '4021', startedAt: null })).toBe('no_start');
    expect(priceCall(null, call({}))).toEqual({ reason: 'no_card' });
  });
});

describe('rate files', () => {
  const bad = (rows: string[][]) => () => ratesFromTable(rows.map((cells, i) => ({ line: i + 1, cells })), 'Acme', 'r.csv');
  it('refuse bad rows with the line and the cause', () => {
    expect(bad([HEADER, ['40', '0.05', '60', '', '', '2024-01-01']])).toThrow(/account "Acme": rate file r\.csv, line 2: increment "60" is not first\/next/);
    expect(bad([HEADER, ['40', '0.05', '0/60', '', '', '2024-01-01']])).toThrow(/line 2: increment "0\/60"/);
    expect(bad([HEADER, ['40', '0.05', '1.5/1', '', '', '2024-01-01']])).toThrow(/line 2: increment/);
    expect(bad([HEADER, ['', '0.1', '1/1', '', '', '2024-01-01'], ['40', '-0.05', '1/1', '', '', '2024-01-01']])).toThrow(/line 3: per_minute "-0.05" is negative/);
    expect(bad([HEADER, ['40', '0.05', '1/1', '-1', '', '2024-01-01']])).toThrow(/line 2: connect_fee "-1" is negative/);
    expect(bad([HEADER, ['40', '0.05', '1/1', '', '', '2024-01-01'], ['+40', '0.06', '1/1', '', '', '2024-01-01']])).toThrow(/line 3: prefix "40" from 2024-01-01 is already on line 2/);
    expect(bad([HEADER])).toThrow(/holds no rates/);
    expect(bad([])).toThrow(/the file is empty/);
    expect(bad([HEADER, ['40', '0.00001', '1/1', '', '', '2024-01-01']])).toThrow(/more than 4 decimals/);
    expect(bad([HEADER, ['40', '0.05', '1/1', '', '', '2024-02-30']])).toThrow(/line 2: effective_from "2024-02-30" is not a real date/);
    expect(bad([['prefix', 'price', 'increment', 'effective_from']])).toThrow(/line 1: unknown column "price"/);
    expect(bad([['prefix', 'increment', 'effective_from'], ['1', '1/1', '2024-01-01']])).toThrow(/line 1: missing column per_minute/);
  });
  it('read headers in any order and spelling', () => {
    const rates = ratesFromTable([
      { line: 1, cells: ['Effective From', 'Increment', 'Per Minute', 'Prefix'] },
      { line: 3, cells: ['2024-01-01 08:00', '30/6', '0.0125', '+44'] },
    ], 'A', 'x.csv');
    expect(rates).toEqual([{ prefix: '44', perMinute: 125, first: 30, next: 6, connectFee: 0, minSeconds: null, effectiveFrom: '2024-01-01 08:00:00' }]);
  });
});
