// What an adapter's pages say about their own completeness, tallied the way the issue asks the engine to check a
// sync: distinct call ids per scope against the provider's claims, plus the problems the adapter saw. Tests use it
// to check the adapters' reports (claims, scopes, problems) directly, whatever the engine does with them.
import { adapterFor } from '../../electron/data/providers/adapters.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import type { SyncPage, SyncWindow } from '../../electron/data/providers/types.ts';
import { HttpClient } from '../../electron/data/net/http.ts';

export interface SelfCheck {
  /** complete: every scope with rows has a claim and every claim is met; incomplete: a shortfall or a problem. */
  verdict: 'complete' | 'incomplete' | 'unverified';
  problems: string[];
  /** Claims not met: `scope: claimed N, stored M`. */
  shortfalls: string[];
  claims: number;
  /** Distinct call ids the pages carried. */
  calls: number;
}

export function tallySelfCheck(pages: readonly SyncPage[]): SelfCheck {
  const byScope = new Map<string, Set<string>>();
  const claims = new Map<string, number>();
  const problems: string[] = [];
  const all = new Set<string>();
  let unscoped = false;
  for (const p of pages) {
    for (const c of p.cdrs) all.add(c.callId);
    if (p.cdrs.length && !p.scope) unscoped = true;
    if (p.scope) {
      const set = byScope.get(p.scope) ?? new Set<string>();
      for (const c of p.cdrs) set.add(c.callId);
      byScope.set(p.scope, set);
    }
    for (const c of p.claims ?? []) claims.set(c.scope, c.expected);
    problems.push(...(p.problems ?? []));
  }
  const shortfalls: string[] = [];
  for (const [scope, expected] of claims) {
    const got = byScope.get(scope)?.size ?? 0;
    if (got < expected) shortfalls.push(`${scope}: claimed ${expected}, stored ${got}`);
  }
  const unclaimed = unscoped || [...byScope].some(([scope, ids]) => ids.size > 0 && !claims.has(scope));
  const verdict = problems.length || shortfalls.length ? 'incomplete' : unclaimed || (claims.size === 0 && all.size > 0) ? 'unverified' : 'complete';
  return { verdict, problems, shortfalls, claims: claims.size, calls: all.size };
}

/** One run of the simulator's adapter, nothing stored: its pages, the last cursor, and their self-check. */
export async function readWithSelfCheck(
  sim: RunningSimulator,
  opts: { cursor?: unknown; window?: SyncWindow; ids?: readonly string[]; account?: string } = {},
): Promise<{ pages: SyncPage[]; cursor: unknown; check: SelfCheck }> {
  const account = opts.account ?? `${sim.provider} self-check`;
  const http = new HttpClient({ account, baseUrl: sim.baseUrl, secrets: Object.values(sim.secrets), backoffMs: 5, maxBackoffMs: 50, retries: 2 });
  const pages: SyncPage[] = [];
  let cursor = opts.cursor ?? null;
  try {
    const run = adapterFor(sim.provider).pages({
      account: { name: account, baseUrl: sim.baseUrl, timezone: sim.timezone },
      secrets: sim.secrets,
      http,
      window: opts.window ?? { from: null, to: null },
      cursor,
      ids: opts.ids ?? sim.ids,
      signal: new AbortController().signal,
    });
    for await (const p of run) {
      pages.push(p);
      if (p.cursor !== undefined) cursor = JSON.parse(JSON.stringify(p.cursor));
    }
  } finally {
    await http.close();
  }
  return { pages, cursor, check: tallySelfCheck(pages) };
}
