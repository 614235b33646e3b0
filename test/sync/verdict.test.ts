// The sync's own check as a pure comparison (judgeSync), the tally that collects its facts from committed pages,
// and the coverage ledger's segments and day statuses.
import { describe, expect, it } from 'vitest';
import { coverageSegments, statusBetween, type LedgerRun } from '../../electron/data/sync/coverage.ts';
import type { CommitPage } from '../../electron/data/sync/store.ts';
import { judgeSync, SyncTally, type SyncFacts } from '../../electron/data/sync/verdict.ts';

const facts = (f: Partial<SyncFacts>): SyncFacts => ({ stored: new Map(), unscoped: 0, claims: new Map(), problems: [], ids: null, ...f });

describe('judgeSync', () => {
  it('complete when every scope with calls has a claim and each claim is met', () => {
    const v = judgeSync(facts({ stored: new Map([['campaign 1', 120], ['campaign 2', 0]]), claims: new Map([['campaign 1', 120], ['campaign 2', 0]]) }));
    expect(v).toEqual({ status: 'complete', text: "120 calls in 2 scopes match the provider's counts" });
  });

  it('incomplete names each short scope with its counts, and a claimed scope with no calls at all', () => {
    const v = judgeSync(facts({
      stored: new Map([['campaign 1', 180], ['campaign 2', 50]]),
      claims: new Map([['campaign 1', 200], ['campaign 2', 50], ['campaign 3', 7]]),
    }));
    expect(v).toEqual({ status: 'incomplete', text: 'campaign 1: 180 of 200 calls stored (20 missing); campaign 3: 0 of 7 calls stored (7 missing)' });
  });

  it('a surplus over the claim is not a shortfall (calls arriving while the sync pages)', () => {
    expect(judgeSync(facts({ stored: new Map([['calls', 105]]), claims: new Map([['calls', 100]]) })).status).toBe('complete');
  });

  it('problems the adapter saw make it incomplete even when the counts agree', () => {
    const v = judgeSync(facts({ stored: new Map([['calls', 100]]), claims: new Map([['calls', 100]]), problems: ['page 3: asked offset 200, the server echoed 0'] }));
    expect(v).toEqual({ status: 'incomplete', text: 'page 3: asked offset 200, the server echoed 0' });
  });

  it('unverified when calls sit in a scope without a claim, or in no scope; never complete', () => {
    expect(judgeSync(facts({ stored: new Map([['calls', 40], ['campaign 1', 3]]), claims: new Map([['campaign 1', 3]]) }))).toEqual({
      status: 'unverified', text: '40 calls stored that the provider gave no count for (calls: 40)',
    });
    expect(judgeSync(facts({ unscoped: 1 }))).toEqual({ status: 'unverified', text: '1 call stored that the provider gave no count for' });
  });

  it('complete when nothing was stored, claimed or seen missing (a sync with nothing new)', () => {
    expect(judgeSync(facts({}))).toEqual({ status: 'complete', text: 'nothing new to store' });
    expect(judgeSync(facts({ stored: new Map([['calls', 0]]) }))).toEqual({ status: 'complete', text: 'nothing new to store' });
    expect(judgeSync(facts({ ids: { asked: 0, unanswered: [] } }))).toEqual({ status: 'complete', text: 'no call ids to read' });
    expect(judgeSync(facts({ problems: ['page 2 repeats page 1'] })).status).toBe('incomplete');
  });

  it('a shortfall outranks calls that could not be checked', () => {
    expect(judgeSync(facts({ unscoped: 10, stored: new Map([['a', 1]]), claims: new Map([['a', 2]]) })).status).toBe('incomplete');
  });

  it('by id: complete when every id asked got a call or a "not found"; incomplete names the ids without an answer', () => {
    expect(judgeSync(facts({ ids: { asked: 130, unanswered: [] } }))).toEqual({ status: 'complete', text: 'all 130 ids asked answered' });
    expect(judgeSync(facts({ ids: { asked: 130, unanswered: ['a', 'b', 'c', 'd', 'e'] } }))).toEqual({
      status: 'incomplete', text: '5 of 130 ids asked got no answer (a, b, c and 2 more)',
    });
  });
});

const page = (p: Partial<CommitPage> & { ids?: string[] }): CommitPage => {
  const { ids = [], ...rest } = p;
  return { rows: ids.map((callId) => ({ callId, content: [] })), ...rest };
};

describe('SyncTally', () => {
  it('counts distinct call ids per scope: a page served twice does not count twice', () => {
    const t = new SyncTally(null);
    t.add(page({ scope: 'calls', ids: ['1', '2', '3'], claims: [{ scope: 'calls', expected: 6 }] }));
    t.add(page({ scope: 'calls', ids: ['1', '2', '3'] })); // the server ignored the offset
    const f = t.facts();
    expect(f.stored).toEqual(new Map([['calls', 3]]));
    expect(judgeSync(f)).toEqual({ status: 'incomplete', text: 'calls: 3 of 6 calls stored (3 missing)' });
  });

  it('takes the smallest of several claims for a scope, and each problem once', () => {
    const t = new SyncTally(null);
    t.add(page({ scope: 's', ids: ['1'], claims: [{ scope: 's', expected: 3 }], problems: ['short page'] }));
    t.add(page({ scope: 's', ids: ['2'], claims: [{ scope: 's', expected: 2 }], problems: ['short page'] }));
    expect(t.facts()).toMatchObject({ claims: new Map([['s', 2]]), problems: ['short page'] });
    expect(judgeSync(t.facts()).status).toBe('incomplete');
  });

  it('by id: ids answered or reported unknown are accounted for; rows of asked ids need no scope', () => {
    const t = new SyncTally(['a', 'b', 'c', 'a']);
    t.add(page({ ids: ['a'], notFound: ['b'] }));
    expect(t.facts()).toMatchObject({ unscoped: 0, ids: { asked: 3, unanswered: ['c'] } });
    t.add(page({ ids: ['c', 'x'] }));
    expect(t.facts()).toMatchObject({ unscoped: 1, ids: { asked: 3, unanswered: [] } });
    expect(judgeSync(t.facts()).status).toBe('unverified'); // x was never asked for
  });
});

describe('coverage ledger', () => {
  const D = (day: number, hour = 0) => Date.UTC(2024, 9, day, hour);
  const run = (from: number | null, to: number, verdict: LedgerRun['verdict'], syncedAt: number): LedgerRun => ({ from, to, verdict, syncedAt });

  it('gives each stretch the best status any run gave it, and says when', () => {
    const segs = coverageSegments([
      run(null, D(10), 'incomplete', D(10)),
      run(D(3), D(4), 'complete', D(11)),
      run(D(4), D(5), 'unverified', D(12)),
      run(D(8), D(12), 'complete', D(12, 1)),
    ]);
    expect(segs).toEqual([
      { from: null, to: D(3), status: 'gap', syncedAt: D(10) },
      { from: D(3), to: D(4), status: 'complete', syncedAt: D(11) },
      { from: D(4), to: D(5), status: 'unverified', syncedAt: D(12) },
      { from: D(5), to: D(8), status: 'gap', syncedAt: D(10) },
      { from: D(8), to: D(12), status: 'complete', syncedAt: D(12, 1) },
      { from: D(12), to: null, status: 'never', syncedAt: null },
    ]);
  });

  it('a later incomplete sync does not undo a complete one (what it stored stays)', () => {
    expect(coverageSegments([run(D(1), D(2), 'complete', D(2)), run(D(1), D(2), 'incomplete', D(3))])[1]).toEqual({
      from: D(1), to: D(2), status: 'complete', syncedAt: D(2),
    });
  });

  it('a day is complete only if all of it is; partly synced is a gap; untouched is never', () => {
    const segs = coverageSegments([run(D(1), D(3, 12), 'complete', D(4)), run(D(5), D(6), 'unverified', D(6))]);
    expect(statusBetween(segs, D(2), D(3))).toEqual({ status: 'complete', syncedAt: D(4) });
    expect(statusBetween(segs, D(3), D(4))).toEqual({ status: 'gap', syncedAt: D(4) });
    expect(statusBetween(segs, D(4), D(5))).toEqual({ status: 'never', syncedAt: null });
    expect(statusBetween(segs, D(5), D(6))).toEqual({ status: 'unverified', syncedAt: D(6) });
    expect(statusBetween(coverageSegments([]), D(5), D(6))).toEqual({ status: 'never', syncedAt: null });
  });
});
