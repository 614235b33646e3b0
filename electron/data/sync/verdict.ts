// The sync's own check: after an account's sync, what was stored against what the provider claims. A provider's
// claim (a query's row count, a campaign's total) is compared with the distinct call ids stored for its scope; a
// by-id sync's ids asked with the ids answered or reported unknown; problems the adapter saw while paging (an
// echoed offset that differs...) are shortfalls by themselves. Calls in a scope the provider gave no count for
// leave the sync "unverified", never "complete"; a sync that stored nothing and was told nothing is complete.
import type { SyncVerdict } from '../../shared/coverage.ts';
import type { CommitPage } from './store.ts';

/** What a sync stored and what its provider claimed: the input of judgeSync. */
export interface SyncFacts {
  /** Distinct call ids stored per scope the adapter named. */
  stored: ReadonlyMap<string, number>;
  /** Calls stored in no scope and not accounted for by an id asked (rows, not distinct: only ever reported). */
  unscoped: number;
  /** The provider's count per scope (the smallest it gave, see SyncTally.add). */
  claims: ReadonlyMap<string, number>;
  problems: readonly string[];
  /** By-id syncs: how many ids were asked, and those that got neither a call nor a "not found". */
  ids: { asked: number; unanswered: readonly string[] } | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Shows a few of a list, then how many more. */
function some(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** The verdict on one account's sync from what it stored and what the provider claimed. Pure. */
export function judgeSync(f: SyncFacts): SyncVerdict {
  const shortfalls: string[] = [];
  let checkedCalls = 0;
  let checkedScopes = 0;
  for (const [scope, expected] of f.claims) {
    const stored = f.stored.get(scope) ?? 0;
    checkedScopes++;
    checkedCalls += stored;
    if (stored < expected) shortfalls.push(`${scope}: ${stored.toLocaleString('en-US')} of ${plural(expected, 'call')} stored (${(expected - stored).toLocaleString('en-US')} missing)`);
  }
  if (f.ids && f.ids.unanswered.length) {
    shortfalls.push(`${f.ids.unanswered.length.toLocaleString('en-US')} of ${plural(f.ids.asked, 'id')} asked got no answer (${some(f.ids.unanswered)})`);
  }
  shortfalls.push(...f.problems);
  if (shortfalls.length) return { status: 'incomplete', text: shortfalls.join('; ') };

  const unclaimed = [...f.stored].filter(([scope, n]) => n > 0 && !f.claims.has(scope));
  const unchecked = unclaimed.reduce((n, [, c]) => n + c, 0) + f.unscoped;
  // Nothing stored, nothing claimed, nothing seen missing (a sync with nothing new): no call is unaccounted for.
  if (unchecked === 0 && checkedScopes === 0 && !f.ids?.asked) return { status: 'complete', text: f.ids ? 'no call ids to read' : 'nothing new to store' };
  if (unchecked > 0) {
    const where = unclaimed.length ? ` (${some(unclaimed.map(([s, n]) => `${s}: ${n.toLocaleString('en-US')}`))})` : '';
    return { status: 'unverified', text: `${plural(unchecked, 'call')} stored that the provider gave no count for${where}` };
  }
  const parts: string[] = [];
  if (checkedScopes) parts.push(`${plural(checkedCalls, 'call')} in ${plural(checkedScopes, 'scope')} match the provider's counts`);
  if (f.ids?.asked) parts.push(`all ${plural(f.ids.asked, 'id')} asked answered`);
  return { status: 'complete', text: parts.join('; ') };
}

/** The verdict on a sync that stopped before its end (an error or a cancel): what was fetched stays, but it is not all. */
export function stoppedVerdict(error: string): SyncVerdict {
  return { status: 'incomplete', text: `the sync stopped before its end: ${error}` };
}

/**
 * Collects the facts of one account's sync from the pages as they are committed. Holds the distinct call ids of
 * each scope the adapter names (a page served twice must not count twice): memory in proportion to those calls.
 */
export class SyncTally {
  private readonly stored = new Map<string, Set<string>>();
  private unscoped = 0;
  private readonly claims = new Map<string, number>();
  private readonly problems: string[] = [];
  private readonly answered = new Set<string>();
  private readonly notFound = new Set<string>();
  private readonly asked: ReadonlySet<string> | null;

  /** `asked`: the ids a by-id sync asked for (null for a listing provider). */
  constructor(asked: readonly string[] | null) {
    this.asked = asked ? new Set(asked) : null;
  }

  /** A committed page. */
  add(page: CommitPage): void {
    if (page.scope !== undefined) {
      let ids = this.stored.get(page.scope);
      if (!ids) this.stored.set(page.scope, (ids = new Set()));
      for (const r of page.rows) ids.add(r.callId);
    }
    for (const r of page.rows) {
      if (this.asked?.has(r.callId)) this.answered.add(r.callId);
      else if (page.scope === undefined) this.unscoped++;
    }
    // A count that changes while the sync pages (calls arriving at a live site) is taken at its smallest:
    // the calls the provider held throughout, so a busy site is not reported short for calls that came later.
    for (const c of page.claims ?? []) this.claims.set(c.scope, Math.min(c.expected, this.claims.get(c.scope) ?? Infinity));
    for (const p of page.problems ?? []) if (!this.problems.includes(p)) this.problems.push(p);
    for (const id of page.notFound ?? []) this.notFound.add(id);
  }

  facts(): SyncFacts {
    const unanswered = this.asked ? [...this.asked].filter((id) => !this.answered.has(id) && !this.notFound.has(id)) : [];
    return {
      stored: new Map([...this.stored].map(([scope, ids]) => [scope, ids.size])),
      unscoped: this.unscoped,
      claims: this.claims,
      problems: this.problems,
      ids: this.asked ? { asked: this.asked.size, unanswered } : null,
    };
  }
}
