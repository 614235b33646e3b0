import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilter, SortSpec } from '../../electron/shared/filter.ts';
import { SORT_FIELDS } from '../../electron/shared/filter.ts';
import { UserError } from '../../electron/data/errors.ts';
import { compileFilter } from '../../electron/data/search/filter.ts';
import { search } from '../../electron/data/search/search.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile } from '../helpers/tmp.ts';
import { searchFixture } from './fixture.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = await searchFixture();
});
afterAll(() => ws.close());

const ids = (filter: SearchFilter, sort?: SortSpec) => search(ws, { filter, sort, limit: 1000 }).rows.map((r) => r.callId).sort();

describe('search: free text', () => {
  it('finds Vietnamese names typed without tones and with d for đ', () => {
    expect(ids({ text: 'do thi nga' })).toEqual(['vn-1']);
    expect(ids({ text: 'DUC' })).toEqual(['vn-3']);
    expect(ids({ text: 'đinh công' })).toEqual(['vn-1']); // the agent
  });

  it('matches Persian/Arabic letter variants both ways', () => {
    expect(ids({ text: 'علی کریمی' })).toEqual(['ir-1']); // stored with ي and ك
    expect(ids({ text: 'فاطمه' })).toEqual(['ir-2']); // stored with ە
  });

  it('treats Romanian comma and cedilla letters alike', () => {
    expect(ids({ text: 'Ștefan Țepeș' })).toEqual(['ro-1']);
    expect(ids({ text: 'serban' })).toEqual(['ro-1']);
  });

  it('matches campaign names, call ids, provider status and word prefixes', () => {
    expect(ids({ text: 'khuyen mai' })).toEqual(['vn-1', 'vn-2']);
    expect(ids({ text: 'ro-2' })).toEqual(['ro-2']);
    expect(ids({ text: 'unalloc' })).toEqual(['ro-2']);
  });

  it('finds numbers typed with spaces or +, and digits inside a number', () => {
    expect(ids({ text: '+84 912 345' })).toEqual(['vn-2']);
    expect(ids({ text: '702541' })).toEqual(['vn-1']); // the end of 0775702541
    expect(ids({ text: '۰۹۱۲۳۴' })).toEqual(['ir-1']);
  });

  it('takes FTS syntax and SQL in user text as plain words', () => {
    for (const text of ['"', 'NEAR(a b)', 'a OR b*', '^x', 'col:val', "x'; DROP TABLE cdrs; --", '(((', '-ngà', 'AND']) {
      try {
        search(ws, { filter: { text } });
      } catch (err) {
        expect(err, text).toBeInstanceOf(UserError);
      }
    }
    expect(ids({ text: 'nga" OR "x' })).toEqual([]); // all three words required, none is an operator
    expect(ids({ text: '(ngà)' })).toEqual(['vn-1']);
    expect(ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(8);
  });

  it('refuses text with nothing to look for instead of matching everything', () => {
    expect(() => search(ws, { filter: { text: '***' } })).toThrow(/no letters or digits/);
    expect(search(ws, { filter: { text: '   ' } }).total).toBe(8);
  });
});

describe('search: filters', () => {
  it('phone fragments match whatever spacing, dashes, + or digits the provider used', () => {
    expect(ids({ phone: '912 345' })).toEqual(['ir-1', 'vn-2']);
    expect(ids({ phone: '+40722' })).toEqual(['ro-1']);
    expect(ids({ phone: '0722999' })).toEqual(['ro-2']);
    expect(ids({ phone: '000-111' })).toEqual(['vn-3']);
    expect(ids({ phone: '41' })).toEqual(['vn-1']); // short fragments scan
    expect(() => search(ws, { filter: { phone: '+-' } })).toThrow(/has no digits/);
  });

  it('combines accounts, several statuses, campaign, direction and a duration range', () => {
    expect(ids({ statuses: ['answered', 'busy'] })).toEqual(['ir-1', 'ro-1', 'vn-1', 'vn-2']);
    expect(ids({ accounts: ['saigon'], statuses: ['answered', 'busy'] })).toEqual(['vn-1', 'vn-2']);
    expect(ids({ campaign: 'Khuyến mãi Tết' })).toEqual(['vn-1', 'vn-2']);
    expect(ids({ campaign: 'c-oft' })).toEqual(['ro-1', 'ro-2']); // by id too
    expect(ids({ direction: 'in' })).toEqual(['ir-2']);
    expect(ids({ minDuration: 20, maxDuration: 60 })).toEqual(['ro-1', 'vn-1', 'vn-3']);
  });

  it('reads a duration range through its index only while it is narrow, counted again when the calls change', () => {
    const duration = (filter: SearchFilter) => /(\+?duration_sec) BETWEEN/.exec(compileFilter(ws.db, filter).where)?.[1];
    const durations = ws.db.prepare('SELECT id, duration_sec FROM cdrs').all() as { id: number; duration_sec: number | null }[];
    expect(duration({ minDuration: 1 })).toBe('+duration_sec'); // most calls: the index would not pay
    expect(duration({ minDuration: 100_000 })).toBe('duration_sec');
    const restore = ws.db.prepare('UPDATE cdrs SET duration_sec = ? WHERE id = ?');
    try {
      ws.db.exec('UPDATE cdrs SET duration_sec = 200000');
      expect(duration({ minDuration: 100_000 })).toBe('+duration_sec');
      expect(duration({ minDuration: 1 })).toBe('+duration_sec');
    } finally {
      for (const d of durations) restore.run(d.duration_sec, d.id);
    }
    expect(duration({ minDuration: 100_000 })).toBe('duration_sec');
  });

  it('refuses bad input with a clear error instead of an empty result', () => {
    const bad: [unknown, RegExp][] = [
      [{ statuses: ['answerd'] }, /unknown status "answerd"/],
      [{ accounts: ['Nowhere'] }, /account "Nowhere": no such account/],
      [{ from: '2024-13-01' }, /--from "2024-13-01" is not a date/],
      [{ to: 'yesterday' }, /--to "yesterday" is not a date/],
      [{ from: '2024-03-09', to: '2024-03-08' }, /is not before/],
      [{ minDuration: 50, maxDuration: 10 }, /above the maximum/],
      [{ direction: 'sideways' }, /unknown direction/],
      [{ campaign: 'No Such Campaign' }, /no cached call belongs to a campaign/],
      [{ tz: 'Mars/Olympus' }, /unknown time zone/],
      [{ colour: 'red' }, /bad filter/],
    ];
    for (const [filter, message] of bad) {
      expect(() => search(ws, { filter: filter as SearchFilter }), JSON.stringify(filter)).toThrow(message);
    }
    expect(() => search(ws, { filter: {}, sort: { field: 'colour' as never, desc: false } })).toThrow(/unknown sort field "colour"/);
  });

  it('passes user text only as bound parameters', () => {
    const c = compileFilter(ws.db, { text: "x'); DROP TABLE cdrs; --", phone: "1'23", accounts: ['Saigon'] });
    expect(c.where).not.toContain('DROP');
    expect(c.where).not.toContain("1'23");
    expect(c.params).toContain('"123"'); // the phone fragment's digits, as one quoted FTS phrase
  });
});

describe('search: time windows', () => {
  it('reads a bare date in each account\'s own zone, and a date as --to includes the whole day', () => {
    // 7 March local: Saigon vn-1, vn-2 (23:59:59); Tehran ir-1, ir-2 (23:59:59 +03:30); Bucharest ro-1 (23:30 +02:00).
    expect(ids({ from: '2024-03-07', to: '2024-03-07' })).toEqual(['ir-1', 'ir-2', 'ro-1', 'vn-1', 'vn-2']);
    expect(ids({ from: '2024-03-08' })).toEqual(['ro-2', 'vn-3']);
  });

  it('reads local date-times in a given zone, and ISO instants as they are', () => {
    expect(ids({ from: '2024-03-07 23:00', to: '2024-03-08 00:00', tz: 'Asia/Ho_Chi_Minh' })).toEqual(['vn-2', 'vn-3']);
    expect(ids({ from: '2024-03-07T21:00:00Z', to: '2024-03-07T21:30:00+00:00' })).toEqual(['ro-1']); // --to includes its second
    expect(ids({ from: '2024-03-08T07:00:00+07:00', to: '2024-03-08T10:00:00+02:00' })).toEqual(['ro-2']); // to 08:00Z inclusive
  });

  it('reads the same local date-time per account zone when accounts differ', () => {
    expect(ids({ from: '2024-03-07 23:30:00', to: '2024-03-07 23:59:59' })).toEqual(['ir-2', 'ro-1', 'vn-2']);
  });
});

describe('search: sorting and paging', () => {
  const all = () => search(ws, { filter: {}, limit: 1000 }).rows;

  it('sorts on every field both ways, nulls first ascending and last descending, ties by row order', () => {
    const rows = all();
    for (const field of SORT_FIELDS) {
      for (const desc of [false, true]) {
        const got = search(ws, { filter: {}, sort: { field, desc }, limit: 1000 }).rows.map((r) => r.callId);
        const value = (r: (typeof rows)[number]) => (r as unknown as Record<string, unknown>)[field] as string | number | null;
        const rowId = (r: (typeof rows)[number]) => ws.db.prepare('SELECT id FROM cdrs WHERE call_id = ?').pluck().get(r.callId) as number;
        const expected = [...rows].sort((a, b) => {
          const [x, y] = [value(a), value(b)];
          const cmp = x === y ? rowId(a) - rowId(b) : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
          return desc ? -cmp : cmp;
        });
        expect(got, `${field} ${desc ? 'desc' : 'asc'}`).toEqual(expected.map((r) => r.callId));
      }
    }
  });

  it('keyset pages cover every row once, in order, for every sort', () => {
    for (const field of SORT_FIELDS) {
      for (const desc of [false, true]) {
        const sort = { field, desc };
        const whole = search(ws, { filter: {}, sort, limit: 1000 }).rows.map((r) => r.callId);
        const paged: string[] = [];
        let after: string | undefined;
        do {
          const page = search(ws, { filter: {}, sort, limit: 3, after });
          expect(page.total).toBe(8);
          paged.push(...page.rows.map((r) => r.callId));
          after = page.next ?? undefined;
        } while (after);
        expect(paged, `${field} ${desc}`).toEqual(whole);
      }
    }
  });

  it('offset pages and an exact total', () => {
    const first = search(ws, { filter: { statuses: ['answered', 'busy', 'no_answer'] }, limit: 2, offset: 0 });
    const second = search(ws, { filter: { statuses: ['answered', 'busy', 'no_answer'] }, limit: 2, offset: 2 });
    expect(first.total).toBe(5);
    expect(second.total).toBe(5);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.callId)).size).toBe(4);
    expect(() => search(ws, { filter: {}, limit: 0 })).toThrow(/limit/);
    expect(() => search(ws, { filter: {}, after: 'garbage!' })).toThrow(/cursor is not valid/);
    const cursor = search(ws, { filter: {}, limit: 1 }).next!;
    expect(() => search(ws, { filter: {}, after: cursor, sort: { field: 'campaign', desc: false } })).toThrow(/another sort order/);
  });

  it('returns rows as the CDR JSON with account and provider', () => {
    const [row] = search(ws, { filter: { text: 'ngà' } }).rows;
    expect(row).toMatchObject({ account: 'Saigon', provider: 'tel4vn-v3', callId: 'vn-1', startedAt: '2024-03-07T06:34:26Z', billSec: 22 });
  });

});
