// The read commands (summary, alerts, export) open the cache memory-mapped (openWorkspaceForReading), a search
// with a small page cache instead: the same answers as a workspace opened for writing, the mapping only on their
// connection. A search, which reads no running totals, leaves totals computed with other tz data for the next
// command that reads them.
import { beforeAll, describe, expect, it } from 'vitest';
import { ONE_SEARCH_CACHE_KIB, PAGE_CACHE_KIB } from '../../electron/data/db/open.ts';
import { openWorkspace, openWorkspaceForReading } from '../../electron/data/workspace.ts';
import { search } from '../../electron/data/search/search.ts';
import { COMMANDS } from '../../electron/cli/commands/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { seedWorkspace } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const keyFile = isolatedKeyFile();
const dataDir = tempDir();

beforeAll(async () => {
  const ws = openWorkspace(dataDir);
  await seedWorkspace(ws, 150, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1));
  ws.close();
});

function zoneDataVersion(): string {
  const ws = openWorkspaceForReading(dataDir, { totals: false });
  try {
    return ws.db.prepare('SELECT version FROM zone_data').pluck().get() as string;
  } finally {
    ws.close();
  }
}

describe('a workspace opened for reading', () => {
  it('maps the file, and a search answers as it does on a workspace opened for writing', () => {
    const reading = openWorkspaceForReading(dataDir, { totals: true });
    const writing = openWorkspace(dataDir);
    try {
      expect(reading.db.pragma('mmap_size', { simple: true })).toBeGreaterThan(0);
      expect(writing.db.pragma('mmap_size', { simple: true })).toBe(0);
      const opts = { filter: { statuses: ['answered' as const], minDuration: 10 }, sort: { field: 'durationSec' as const, desc: true }, limit: 50 };
      const read = search(reading, opts);
      expect(read.total).toBeGreaterThan(50);
      expect(read).toEqual(search(writing, opts));
    } finally {
      reading.close();
      writing.close();
    }
  });

  it('keeps a small page cache and no map for a command that runs one search, the full cache and the map for the others', () => {
    const searching = openWorkspaceForReading(dataDir, { totals: false, searchOnly: true });
    const summing = openWorkspaceForReading(dataDir, { totals: true });
    try {
      expect(searching.db.pragma('cache_size', { simple: true })).toBe(-ONE_SEARCH_CACHE_KIB);
      expect(summing.db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
      expect(searching.db.pragma('mmap_size', { simple: true })).toBe(0);
      expect(summing.db.pragma('mmap_size', { simple: true })).toBeGreaterThan(0);
      const opts = { filter: { text: 'answered' }, sort: { field: 'agent' as const, desc: false }, limit: 40, offset: 30 };
      const found = search(searching, opts);
      expect(found.rows.length).toBeGreaterThan(0);
      expect(found).toEqual(search(summing, opts));
    } finally {
      searching.close();
      summing.close();
    }
  });

  it('is what the commands that only read the cache ask for, and only a search skips the totals', async () => {
    const readers: Record<string, string> = {};
    for (const entry of COMMANDS) {
      const reads = (await entry.load()).onlyReads;
      if (reads) readers[entry.name] = reads;
    }
    expect(readers).toEqual({ search: 'calls', summary: 'calls and totals', alerts: 'calls and totals', export: 'calls and totals' });
  });

  it('cdr-desk search leaves totals counted with other tz data as they are; cdr-desk summary counts them again', () => {
    const db = openWorkspace(dataDir).db;
    db.prepare("UPDATE zone_data SET version = 'tz data of another runtime'").run();
    db.close();
    const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { CDR_DESK_KEY_FILE: keyFile });

    const searched = cli('search', '--status', 'answered', '--json');
    expect(searched.status, searched.stderr).toBe(0);
    expect(JSON.parse(searched.stdout).total).toBeGreaterThan(0);
    expect(zoneDataVersion()).toBe('tz data of another runtime');

    const summed = cli('summary', '--by', 'status', '--json');
    expect(summed.status, summed.stderr).toBe(0);
    expect(zoneDataVersion()).toBe(process.versions.tz ?? '');
  });
});
