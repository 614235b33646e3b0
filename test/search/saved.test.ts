import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSavedSearch, getSavedSearch, listSavedSearches, saveSearch } from '../../electron/data/search/saved.ts';
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

describe('saved searches', () => {
  it('saves, lists, reuses and deletes a named filter set', () => {
    const saved = saveSearch(ws, { name: 'Busy in Saigon', filter: { accounts: ['Saigon'], statuses: ['busy', 'no_answer'] }, sort: { field: 'durationSec', desc: true } });
    expect(saved).toMatchObject({ name: 'Busy in Saigon', sort: { field: 'durationSec', desc: true } });
    saveSearch(ws, { name: 'answered', filter: { statuses: ['answered'] } });
    expect(listSavedSearches(ws).map((s) => s.name)).toEqual(['answered', 'Busy in Saigon']);

    const again = getSavedSearch(ws, 'busy in saigon');
    expect(search(ws, { filter: again.filter, sort: again.sort ?? undefined }).rows.map((r) => r.callId)).toEqual(['vn-3', 'vn-2']);

    deleteSavedSearch(ws, 'ANSWERED');
    expect(listSavedSearches(ws).map((s) => s.name)).toEqual(['Busy in Saigon']);
    expect(() => deleteSavedSearch(ws, 'answered')).toThrow(/no saved search named "answered"/);
    expect(() => getSavedSearch(ws, 'answered')).toThrow(/no saved search/);
  });

  it('replaces a search of the same name, keeping when it was first made', () => {
    const first = saveSearch(ws, { name: 'Mine', filter: { text: 'ngà' } }, Date.UTC(2024, 0, 1));
    const second = saveSearch(ws, { name: 'mine', filter: { text: 'đức' } }, Date.UTC(2024, 0, 2));
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).toBe('2024-01-02T00:00:00Z');
    expect(second.filter).toEqual({ text: 'đức' });
    expect(listSavedSearches(ws).filter((s) => s.name.toLowerCase() === 'mine')).toHaveLength(1);
  });

  it('refuses a search that could not run, and an empty name', () => {
    expect(() => saveSearch(ws, { name: 'bad', filter: { statuses: ['sideways' as never] } })).toThrow(/unknown status/);
    expect(() => saveSearch(ws, { name: 'bad', filter: { accounts: ['Nowhere'] } })).toThrow(/no such account/);
    expect(() => saveSearch(ws, { name: 'bad', filter: {}, sort: { field: 'colour' as never, desc: true } })).toThrow(/unknown sort field/);
    expect(() => saveSearch(ws, { name: '  ', filter: {} })).toThrow(/name is empty/);
    expect(listSavedSearches(ws).some((s) => s.name === 'bad')).toBe(false);
  });
});
