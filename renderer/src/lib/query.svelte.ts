// The current search (filter + sort), shared by Calls, Campaigns and Export so that "export these calls" and
// the campaign view use exactly what the user is looking at. One filter object, the contract's SearchFilter.
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';

export const query: { filter: SearchFilter; sort: SortSpec } = $state({
  filter: {},
  sort: { field: 'startedAt', desc: true },
});

/** Drops empty values so the filter sent over IPC holds only what the user set. */
export function cleanFilter(filter: SearchFilter): SearchFilter {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as SearchFilter;
}
