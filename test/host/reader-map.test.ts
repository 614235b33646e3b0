// The read thread maps the cache file (db/open.ts, mapForReading), as the reading commands do: its searches and
// summaries read index and row pages in place. Seen from outside the connection: after one read on the thread,
// this process maps the cache file, which the host's own connection (not mapped) never does.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReader } from '../../electron/data/host/reader.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { seedWorkspace } from '../helpers/synthetic.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

isolatedKeyFile();
let ws: Workspace;
beforeAll(async () => {
  ws = openWorkspace(tempDir());
  await seedWorkspace(ws, 2000, Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1));
  ws.db.pragma('wal_checkpoint(TRUNCATE)'); // the calls in the file itself: pages still in the WAL are not mapped
});
afterAll(() => ws.close());

const mapsCacheFile = () => readFileSync('/proc/self/maps', 'utf8').split('\n').some((line) => line.endsWith(ws.db.name));

describe('the read thread', () => {
  it.runIf(process.platform === 'linux')('maps the cache file for its reads; the host connection does not', async () => {
    ws.db.prepare('SELECT count(*) FROM cdrs').get();
    expect(mapsCacheFile()).toBe(false);
    const reader = createReader(ws.db, 'thread');
    try {
      const answer = (await reader.run('search.query', { filter: { text: 'a' }, limit: 50 })) as { rows: unknown[] };
      expect(answer.rows.length).toBeGreaterThan(0);
      expect(mapsCacheFile()).toBe(true);
    } finally {
      await reader.close();
    }
  });
});
