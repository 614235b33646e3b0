// `cdr-desk replay DIR` as a real process: it serves a committed capture, and a second real process syncs from it
// to the capture's rows; on Ctrl+C (SIGINT) it says every request found its answer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync as run, startCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const CAPTURE = join(import.meta.dirname, '../providers/captures/sarv-voice/seed-example');

describe('cdr-desk replay', { timeout: 60_000 }, () => {
  it('serves a capture that a sync reads back exactly', async () => {
    const env = { CDR_DESK_KEY_FILE: isolatedKeyFile(), CDR_DESK_DATA_DIR: tempDir() };
    const server = startCli(['replay', CAPTURE], env);
    try {
      const url = await server.firstLine;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const add = await run(['accounts', 'add', 'Replayed', '--provider', 'sarv-voice', '--base-url', url, '--secret', 'username=u', '--secret', 'token=t'], env);
      expect(add.status, add.stderr).toBe(0);
      const ids = join(tempDir(), 'ids.txt');
      writeFileSync(ids, '5950_3_10-u1\n5950_4_10-u1\nabcd\n');
      const sync = await run(['--json', 'sync', 'Replayed', '--ids', ids], env);
      expect(sync.status, sync.stderr).toBe(0);
      expect(JSON.parse(sync.stdout).accounts[0]).toMatchObject({ name: 'Replayed', fetched: 2, inserted: 2, notFound: 1, error: null });
      const rows = JSON.parse((await run(['--json', 'search', '--account', 'Replayed', '--sort', 'callId'], env)).stdout).rows as { callId: string; status: string }[];
      expect(rows.map((r) => [r.callId, r.status])).toEqual([['5950_3_10-u1', 'congestion'], ['5950_4_10-u1', 'answered']]);
    } finally {
      server.child.kill('SIGINT');
    }
    const { status, stderr } = await server.done;
    expect(status).toBe(0);
    expect(stderr).toContain('replaying 1 exchanges of sarv-voice account "seed-example"');
    expect(stderr).toMatch(/served 1 \(\d by method and path only\), 0 without a captured answer, 0 given up by the client, 0 exchanges unused/);
  });
});
