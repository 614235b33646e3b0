// Named filter sets kept in the database, shared by the UI and the CLI (`cdr-desk saved`, `search --saved`).
import { SavedSearchInput, SavedSearchName, type SavedSearch } from '../../shared/search.ts';
import type { SearchFilter, SortSpec } from '../../shared/filter.ts';
import { UserError } from '../errors.ts';
import { compileFilter, hostDb, parseFilter, type FilterHost } from './filter.ts';
import { parseSort } from './sort.ts';
import { toIsoUtc } from '../time/zone.ts';

interface DbSaved {
  name: string;
  filter: string;
  sort: string | null;
  created_at: number;
  updated_at: number;
}

function toSaved(r: DbSaved): SavedSearch {
  return {
    name: r.name,
    filter: JSON.parse(r.filter) as SearchFilter,
    sort: r.sort ? (JSON.parse(r.sort) as SortSpec) : null,
    createdAt: toIsoUtc(r.created_at)!,
    updatedAt: toIsoUtc(r.updated_at)!,
  };
}

function checkName(name: unknown): string {
  const parsed = SavedSearchName.safeParse(name);
  if (!parsed.success) throw new UserError(parsed.error.issues[0]!.message);
  return parsed.data;
}

/** Saves a filter set under a name, replacing one of the same name (names ignore case). */
export function saveSearch(ws: FilterHost, input: { name: string; filter: SearchFilter; sort?: SortSpec }, now = Date.now()): SavedSearch {
  const name = checkName(input.name);
  const filter = parseFilter(input.filter);
  const sort = input.sort === undefined ? undefined : parseSort(input.sort);
  compileFilter(ws, filter); // a search that cannot run is refused now, not when it is reused
  const checked = SavedSearchInput.parse({ name, filter, sort });
  hostDb(ws)
    .prepare(
      `INSERT INTO saved_searches (name, filter, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET name = excluded.name, filter = excluded.filter, sort = excluded.sort,
         updated_at = excluded.updated_at`,
    )
    .run(checked.name, JSON.stringify(checked.filter), checked.sort ? JSON.stringify(checked.sort) : null, now, now);
  return getSavedSearch(ws, name);
}

export function listSavedSearches(ws: FilterHost): SavedSearch[] {
  return (hostDb(ws).prepare('SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE').all() as DbSaved[]).map(toSaved);
}

export function getSavedSearch(ws: FilterHost, name: string): SavedSearch {
  const row = hostDb(ws).prepare('SELECT * FROM saved_searches WHERE name = ? COLLATE NOCASE').get(name) as DbSaved | undefined;
  if (!row) throw new UserError(`no saved search named "${name}" (see cdr-desk saved list)`);
  return toSaved(row);
}

export function deleteSavedSearch(ws: FilterHost, name: string): void {
  const info = hostDb(ws).prepare('DELETE FROM saved_searches WHERE name = ? COLLATE NOCASE').run(name);
  if (info.changes === 0) throw new UserError(`no saved search named "${name}" (see cdr-desk saved list)`);
}
