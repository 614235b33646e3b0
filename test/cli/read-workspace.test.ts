// The read commands (search, summary, alerts, export) open the cache memory-mapped (openWorkspaceForReading):
// the same answers as a workspace opened for writing, the mapping only on their connection.
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, openWorkspaceForReading } from '../../electron/data/workspace.ts';
import { search } from '../../electron/data/search/search.ts';
import { COMMANDS } from '../../electron/cli/commands/index.ts';
import { seedWorkspace } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
const dataDir = tempDir();

beforeAll(async () => {
  const ws = openWorkspace(dataDir);
  await seedWorkspace(ws, 150, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1));
  ws.close();
});

describe('a workspace opened for reading', () => {
  it('maps the file, and a search answers as it does on a workspace opened for writing', () => {
    const reading = openWorkspaceForReading(dataDir);
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

  it('is what the commands that only read the cache ask for, and no command that writes it', async () => {
    const readers: string[] = [];
    for (const entry of COMMANDS) if ((await entry.load()).onlyReads) readers.push(entry.name);
    expect(readers.sort()).toEqual(['alerts', 'export', 'search', 'summary']);
  });
});
