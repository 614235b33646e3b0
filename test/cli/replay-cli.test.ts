// `cdr-desk replay DIR` as a real process: it serves a committed capture, and a second real process syncs from it
// to the capture's rows; on Ctrl+C (SIGINT) it says every request found its answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const BIN = join(import.meta.dirname, '../../bin/cdr-desk.js');
const CAPTURE = join(import.meta.dirname, '../providers/captures/sarv-voice/seed-example');

function run(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('cdr-desk replay', { timeout: 60_000 }, () => {
  it('serves a capture that a sync reads back exactly', async () => {
    const env = { CDR_DESK_KEY_FILE: isolatedKeyFile(), CDR_DESK_DATA_DIR: tempDir() };
    const server: ChildProcess = spawn(process.execPath, [BIN, 'replay', CAPTURE], { env: { ...process.env, ...env } });
    let stderr = '';
    server.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => server.on('close', r));
    try {
      const url = await new Promise<string>((resolve) => server.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(d.trim())));
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
      server.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('replaying 1 exchanges of sarv-voice account "seed-example"');
    expect(stderr).toMatch(/served 1 \(\d by method and path only\), 0 without a captured answer, 0 given up by the client, 0 exchanges unused/);
  });
});
