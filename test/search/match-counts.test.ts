// A text or phone match's calls are counted in its FTS index up to a cap (filter.ts matchesUpTo). One search asks
// for several caps; a count already known to answer a cap is kept per connection until the calls change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilterDetail, matchesUpTo } from '../../electron/data/search/filter.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { preparedWhile } from '../helpers/prepared.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
let account: number;
const heronCalls = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => makeCdr({ callId: `h${from + i}`, startedAt: Date.UTC(2024, 0, 1) + (from + i) * 60_000, extraText: 'heron' }));

beforeAll(async () => {
  ws = openWorkspace(tempDir());
  await ws.accounts.add({ name: 'Marsh', provider: 'pbx-cdr', baseUrl: 'http://127.0.0.1:9', timezone: 'UTC', secrets: { token: 't', apiKey: 'k' } });
  account = ws.accounts.get('Marsh').id;
  writeSynthetic(ws, account, heronCalls(0, 30));
});
afterAll(() => ws.close());

describe('counting a match up to a cap', () => {
  it('counts again only for a larger cap than a count that reached its own, and again after the calls change', () => {
    const heron = compileFilterDetail(ws, { text: 'heron' }).matches[0]!;
    const counting = (cap: number) => {
      let n = 0;
      const prepared = preparedWhile(ws.db, () => (n = matchesUpTo(ws.db, heron, cap)));
      return { n, counted: prepared.some((sql) => sql.includes('cdrs_fts MATCH')) };
    };
    expect(counting(10)).toEqual({ n: 10, counted: true });
    expect(counting(5)).toEqual({ n: 5, counted: false });
    expect(counting(100)).toEqual({ n: 30, counted: true });
    expect(counting(1000)).toEqual({ n: 30, counted: false });
    expect(counting(20)).toEqual({ n: 20, counted: false });

    writeSynthetic(ws, account, heronCalls(30, 20));
    expect(counting(1000)).toEqual({ n: 50, counted: true });
  });
});
