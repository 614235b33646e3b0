// A large CLI sync killed with SIGKILL while its writer thread defers search indexing (search/tail.ts): the calls
// it committed above the watermark are found by every search exactly as a plain scan of the calls finds them;
// `cdr-desk doctor` passes and leaves the tail as it is; the next open indexes the tail in bulk, and the searches
// answer the same through the FTS indexes, which then match the calls table.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxCdrSimulator } from '../../electron/data/providers/pbx-cdr/simulator.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { foldText, looksLikePhone, phoneDigits, words } from '../../electron/data/search/normalize.ts';
import { search } from '../../electron/data/search/search.ts';
import { tailSize, tailStart } from '../../electron/data/search/tail.ts';
import { THREAD_AFTER_ROWS } from '../../electron/data/sync/writer.ts';
import type { CallStatus } from '../../electron/shared/cdr.ts';
import type { SearchFilter } from '../../electron/shared/filter.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const BIN = join(import.meta.dirname, '../../bin/cdr-desk.js');
// Past the writer thread's start, so the sync defers indexing.
const CALLS = THREAD_AFTER_ROWS + 6000;

interface Row { call_id: string; status: CallStatus; search_text: string; phone_digits: string }

/** Whether each query word starts a word (a run of letters and digits) of the folded text: `"w"*` in FTS5. */
function hasWordPrefixes(text: string, queryWords: string): boolean {
  const tokens = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return queryWords.split(' ').every((q) => tokens.some((t) => t.startsWith(q)));
}

/** The filter's calls found by reading every call: folded words as prefixes of the text's words, digits as substrings. */
function plainScan(rows: readonly Row[], f: SearchFilter): string[] {
  const textTest = (r: Row, text: string) => {
    if (!looksLikePhone(text)) return hasWordPrefixes(r.search_text, words(foldText(text)).join(' '));
    const d = phoneDigits(text);
    return hasWordPrefixes(r.search_text, d) || r.phone_digits.includes(d);
  };
  return rows
    .filter((r) => (f.text === undefined || textTest(r, f.text)) && (f.phone === undefined || r.phone_digits.includes(phoneDigits(f.phone))))
    .filter((r) => !f.statuses || f.statuses.includes(r.status))
    .map((r) => r.call_id)
    .sort();
}

describe('a large sync killed while its search indexing is deferred', { timeout: 240_000 }, () => {
  let sim: RunningSimulator;
  let dir: string;
  let ws: Workspace;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = { ...process.env, CDR_DESK_KEY_FILE: isolatedKeyFile() };
    sim = await startPbxCdrSimulator({ seed: 45, calls: CALLS });
    dir = tempDir();
    ws = openWorkspace(dir);
    await ws.accounts.add({ name: 'Tail', provider: 'pbx-cdr', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
  });
  afterAll(async () => {
    ws.close();
    await sim.close();
  });

  it('finds the tail exactly after the kill, and after the next open indexed it', async () => {
    sim.faults.set({ every: { n: 1, fault: { kind: 'slow', delayMs: 40 } } });
    const tailNow = ws.db.prepare('SELECT (SELECT max(id) FROM cdrs) - after_id FROM search_tail').pluck();
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, '--data-dir', dir, 'sync', '--json'], { env, stdio: 'ignore' });
      const timer = setInterval(() => {
        if (((tailNow.get() as number | undefined) ?? 0) >= 500) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 5);
      child.on('error', reject);
      child.on('close', (_status, sig) => {
        clearInterval(timer);
        resolve(sig);
      });
    });
    expect(signal).toBe('SIGKILL');
    const tail = tailSize(ws.db);
    expect(tail).toBeGreaterThanOrEqual(500);
    const rows = ws.db.prepare('SELECT call_id, status, search_text, phone_digits FROM cdrs').all() as Row[];
    expect(rows.length).toBeLessThan(CALLS);

    // Words and digits of calls in the tail and below it, alone and with a status.
    const newest = rows[rows.length - 1]!; // rowid order: the last call committed, in the tail
    const someWord = words(newest.search_text).find((w) => /\p{L}{4,}/u.test(w)) ?? 'a';
    const filters: SearchFilter[] = [
      { text: someWord }, { text: someWord.slice(0, 3) }, { text: newest.call_id }, { phone: newest.phone_digits.slice(-5) },
      { phone: '072' }, { text: '0722' }, { text: someWord, statuses: ['answered'] }, { phone: '12', statuses: ['busy', 'no_answer'] },
    ];
    const searched = () => filters.map((filter) => {
      const r = search(ws, { filter, limit: 10_000 });
      return { total: r.total, ids: r.rows.map((c) => c.callId).sort() };
    });
    const scanned = filters.map((f) => {
      const ids = plainScan(rows, f);
      return { total: ids.length, ids };
    });
    expect(scanned[2]!.ids).toContain(newest.call_id);
    expect(scanned[3]!.ids).toContain(newest.call_id);
    expect(searched()).toEqual(scanned);

    const d = spawnSync(process.execPath, [BIN, '--data-dir', dir, 'doctor', '--json'], { env, encoding: 'utf8' });
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ ok: true, integrity: 'ok', fts: { cdrs_fts: 'ok', cdrs_phone: 'ok' }, searchTail: tail });
    expect(tailSize(ws.db)).toBe(tail); // doctor changes nothing

    openWorkspace(dir).close(); // the next open indexes the tail
    expect(tailStart(ws.db)).toBeNull();
    for (const t of ['cdrs_fts', 'cdrs_phone']) ws.db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
    expect(searched()).toEqual(scanned);
  });
});
