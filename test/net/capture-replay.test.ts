// Capture and replay: `cdr-desk sync NAME --capture DIR` (a real process) against each provider's simulator
// writes every exchange with no secret left in any file; the capture served back by the replay server syncs into
// a fresh cache exactly the rows the first sync stored, with other credentials and no request unanswered.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactExchange, redactValues } from '../../electron/data/net/capture.ts';
import { startReplayServer } from '../../electron/data/providers/simulation/replay.ts';
import type { RunningSimulator } from '../../electron/data/providers/simulation/types.ts';
import { SIMULATORS } from '../../electron/data/providers/simulators.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { openWorkspace } from '../../electron/data/workspace.ts';
import { PROVIDERS } from '../../electron/shared/providers.ts';
import { cachedCalls, SIMULATED_PROVIDERS } from '../helpers/provider-oracle.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

describe('capture redaction', () => {
  const secrets = ['s3cr3t/+&=ü "x"', 'plain-token-1234', 'alice'];
  const x = redactExchange({
    account: 'A',
    secrets,
    request: {
      method: 'POST',
      path: `/api/x?token=${encodeURIComponent(secrets[0]!)}&page=2&filters%5Bapi_hash%5D=abc123&user=alice`,
      headers: { Authorization: 'Basic YWxpY2U6cGFzcw==', 'X-APIKEY': 'k-999', 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'undici' },
      body: `page=1&api_hash=9f86d081884c7d65&note=${new URLSearchParams({ n: secrets[0]! }).toString().slice(2)}`,
    },
    response: { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'sid=1' }, body: `{"echo":"plain-token-1234","q":${JSON.stringify(secrets[0])},"n":1}` },
  });

  it('takes every secret out: values in any encoding, credential headers, secret-named parameters and key hashes', () => {
    const text = JSON.stringify(x);
    for (const s of [...secrets, encodeURIComponent(secrets[0]!), 'YWxpY2U6cGFzcw==', 'k-999', '9f86d081884c7d65', 'abc123', 'sid=1']) expect(text).not.toContain(s);
    expect(x.request.path).toBe('/api/x?token=***&page=2&filters%5Bapi_hash%5D=***&user=***');
    expect(x.request.headers).toEqual({ authorization: '***', 'x-apikey': '***', 'content-type': 'application/x-www-form-urlencoded' });
    expect(x.request.body).toBe('page=1&api_hash=***&note=***');
    expect(x.response).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"echo":"***","q":"***","n":1}' });
  });

  it('keeps a JSON body a JSON body, with secret-named keys redacted at any depth', () => {
    const j = redactExchange({
      account: 'A',
      secrets: [],
      request: { method: 'POST', path: '/p', headers: { 'content-type': 'application/json' }, body: '{"_id":"","auth":{"password":"pw","user":"u"},"list":[{"token":"t"}]}' },
    });
    expect(JSON.parse(j.request.body!)).toEqual({ _id: '', auth: '***', list: [{ token: '***' }] });
    expect(redactValues('a plain-token-1234 b', secrets)).toBe('a *** b');
  });
});

describe('capture folders', () => {
  it('one per account, distinct even when names give the same folder name; a folder holding a capture is refused', async () => {
    const { CaptureWriter } = await import('../../electron/data/net/capture.ts');
    const dir = tempDir('cdr-desk-capture-folders-');
    const w = new CaptureWriter(dir);
    expect([w.folderOf('Hà Nội/OTP'), w.folderOf('Ha Noi_OTP'), w.folderOf('Hà Nội/OTP')]).toEqual([
      join(dir, 'Ha_Noi_OTP'), join(dir, 'Ha_Noi_OTP-2'), join(dir, 'Ha_Noi_OTP'),
    ]);
    w.record({ account: 'Hà Nội/OTP', secrets: [], request: { method: 'GET', path: '/x', headers: {}, body: null }, error: 'refused' });
    expect(() => new CaptureWriter(dir).folderOf('Hà Nội/OTP')).toThrow(/^account "Hà Nội\/OTP": the capture folder .*Ha_Noi_OTP already holds a capture: choose an empty folder$/);
  });
});

describe('cdr-desk sync --capture, then replay', { timeout: 180_000 }, () => {
  const keyFile = isolatedKeyFile();
  const dataDir = tempDir('cdr-desk-capture-data-');
  const captureDir = tempDir('cdr-desk-capture-');
  const env = { CDR_DESK_KEY_FILE: keyFile, CDR_DESK_DATA_DIR: dataDir };
  const sims = new Map<string, RunningSimulator>();

  beforeAll(async () => {
    const ws = openWorkspace(dataDir);
    for (const provider of SIMULATED_PROVIDERS) {
      const sim = await SIMULATORS[provider]!({ seed: 5, calls: 130 });
      sims.set(provider, sim);
      await ws.accounts.add({ name: `Captured ${provider}`, provider, baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
    }
    ws.close();
  });
  afterAll(async () => {
    for (const s of sims.values()) await s.close();
  });

  for (const provider of SIMULATED_PROVIDERS) {
    it(`${provider}: every exchange captured without a secret, and the capture replays to the same rows`, async () => {
      const sim = sims.get(provider)!;
      const name = `Captured ${provider}`;
      const byId = PROVIDERS[provider].listing === 'by-id';
      const idsFile = join(tempDir(), 'ids.txt');
      writeFileSync(idsFile, sim.ids.join('\n'));
      const r = await runCliAsync(['--json', 'sync', name, '--capture', captureDir, ...(byId ? ['--ids', idsFile] : [])], env);
      expect(r.status, r.stderr).toBe(0);
      const folder = join(captureDir, `Captured_${provider}`);
      expect(r.stderr).toContain(`exchanges of account "${name}" in ${folder}`);

      const files = readdirSync(folder);
      expect(files).toContain('account.json');
      expect(JSON.parse(readFileSync(join(folder, 'account.json'), 'utf8'))).toMatchObject({ account: name, provider, timezone: sim.timezone });
      const exchanges = files.filter((f) => /^\d{4}\.json$/.test(f));
      expect(exchanges.length).toBeGreaterThan(1);
      const secrets = Object.values(sim.secrets);
      for (const f of files) {
        const text = readFileSync(join(folder, f), 'utf8');
        for (const s of secrets) expect(text, `${f} holds a secret`).not.toContain(s);
        expect(text).not.toMatch(/"authorization": "(?!\*\*\*")/i);
        expect(text).not.toMatch(/api_hash=(?!\*\*\*)/);
      }

      // The first sync's rows, as the CLI stored them.
      const original = openWorkspace(dataDir);
      const want = cachedCalls(original, name);
      original.close();
      expect(want.length).toBe(sim.expected.length);

      // Replayed with other credentials into a fresh cache.
      const other = Object.fromEntries(Object.keys(sim.secrets).map((k) => [k, `replay-${k}-value`]));
      const replay = await startReplayServer(folder, { secrets: Object.values(other) });
      const ws = openWorkspace(tempDir());
      try {
        await ws.accounts.add({ name: 'Replayed', provider, baseUrl: replay.baseUrl, timezone: sim.timezone, secrets: other });
        const [again] = await syncAccounts(ws, { accounts: ['Replayed'], ids: byId ? sim.ids : undefined, http: { retries: 2, backoffMs: 1 } });
        expect(again!.error).toBeNull();
        expect(replay.misses).toEqual([]);
        expect(cachedCalls(ws, 'Replayed')).toEqual(want);
        expect(again!.notFound).toBe(byId ? sim.unknownIds.length : 0);
      } finally {
        ws.close();
        await replay.close();
      }
    });
  }
});

describe('a capture keeps every attempt', () => {
  it('a 503 that was retried is captured, and the replay serves it again before the answer', async () => {
    isolatedKeyFile();
    const { CaptureWriter } = await import('../../electron/data/net/capture.ts');
    const sim = await SIMULATORS['sarv-voice']({ seed: 8, calls: 12, faults: { queue: [{ kind: 'status', status: 503 }] } });
    const dir = tempDir('cdr-desk-capture-retry-');
    const ws = openWorkspace(tempDir());
    try {
      await ws.accounts.add({ name: 'Retried', provider: 'sarv-voice', baseUrl: sim.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
      const capture = new CaptureWriter(dir);
      const [r] = await syncAccounts(ws, { accounts: ['Retried'], ids: sim.ids, http: { capture, retries: 2, backoffMs: 1 } });
      expect(r!.error).toBeNull();
      const folder = join(dir, 'Retried');
      const first = JSON.parse(readFileSync(join(folder, '0001.json'), 'utf8'));
      const second = JSON.parse(readFileSync(join(folder, '0002.json'), 'utf8'));
      expect([first.response.status, second.response.status]).toEqual([503, 200]);
      expect(first.request).toEqual(second.request);

      const replay = await startReplayServer(folder, { secrets: Object.values(sim.secrets) });
      try {
        const http = { retries: 2, backoffMs: 1 };
        await ws.accounts.add({ name: 'Replayed', provider: 'sarv-voice', baseUrl: replay.baseUrl, timezone: sim.timezone, secrets: sim.secrets });
        const [again] = await syncAccounts(ws, { accounts: ['Replayed'], ids: sim.ids, http });
        expect(again!.error).toBeNull();
        expect({ served: replay.served, loose: replay.loose, misses: replay.misses, unserved: replay.unserved().length }).toEqual({
          served: capture.count('Retried'),
          loose: 0,
          misses: [],
          unserved: 0,
        });
        expect(cachedCalls(ws, 'Replayed')).toEqual(cachedCalls(ws, 'Retried'));
      } finally {
        await replay.close();
      }
    } finally {
      ws.close();
      await sim.close();
    }
  });
});
