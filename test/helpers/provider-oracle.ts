// The test oracle for provider syncs: every registered provider with a simulator, the cached calls in the shape
// simulators describe their truth, and a field-by-field comparison. Shared by the conformance and fault suites.
import { rowToCdr, type CdrDbRow } from '../../electron/data/db/cdrs.ts';
import { ADAPTERS } from '../../electron/data/providers/adapters.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import type { ExpectedCall } from '../../electron/data/providers/simulation/types.ts';
import type { Workspace } from '../../electron/data/workspace.ts';
import type { ProviderId } from '../../electron/shared/providers.ts';

export const FIELDS = [
  'callId', 'status', 'providerStatus', 'direction', 'source', 'destination', 'campaign', 'startedAt', 'answeredAt',
  'endedAt', 'durationSec', 'billSec', 'agent', 'contact',
] as const satisfies readonly (keyof ExpectedCall)[];

/** Providers that have both an adapter and a simulator. */
export const SIMULATED_PROVIDERS = (Object.keys(SIMULATORS) as ProviderId[]).filter((p) => ADAPTERS[p]).sort();

export function cachedCalls(ws: Workspace, name: string): ExpectedCall[] {
  const a = ws.accounts.get(name);
  const rows = ws.db.prepare('SELECT * FROM cdrs WHERE account_id = ? ORDER BY call_id').all(a.id) as CdrDbRow[];
  return rows.map((r) => {
    const c = rowToCdr(r, a);
    return Object.fromEntries(FIELDS.map((f) => [f, c[f]])) as unknown as ExpectedCall;
  });
}

/** Field-by-field differences (at most 15), empty when the cache holds exactly `expected`. */
export function differences(actual: ExpectedCall[], expected: ExpectedCall[]): string[] {
  const out: string[] = [];
  const got = new Map(actual.map((c) => [c.callId, c]));
  const want = new Map(expected.map((c) => [c.callId, c]));
  if (got.size !== actual.length) out.push(`duplicate call ids in the cache (${actual.length} rows, ${got.size} ids)`);
  for (const [id, e] of want) {
    const g = got.get(id);
    if (!g) {
      out.push(`call ${id}: missing from the cache`);
      continue;
    }
    for (const f of FIELDS) if ((g[f] ?? null) !== (e[f] ?? null)) out.push(`call ${id} ${f}: got ${JSON.stringify(g[f])}, expected ${JSON.stringify(e[f])}`);
  }
  for (const id of got.keys()) if (!want.has(id)) out.push(`call ${id}: in the cache but not at the provider`);
  return out.slice(0, 15);
}
