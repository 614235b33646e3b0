// Every capture under test/providers/captures/<provider>/<name>/ (exchanges written by `cdr-desk sync --capture`,
// with the rows they must give in expected.json) replayed through the sync engine into a real SQLite file: the
// rows stored are exactly the expected ones, the unknown ids counted, and every request found its answer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../electron/data/providers/simulation/replay.ts';
import type { ExpectedCall } from '../../electron/data/providers/simulation/types.ts';
import { syncAccounts } from '../../electron/data/sync/engine.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { cachedCalls, differences } from '../helpers/provider-oracle.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, 'captures');

interface Expected {
  note: string;
  ids?: string[];
  notFound: number;
  calls: ExpectedCall[];
}

const captures = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((p) => readdirSync(join(ROOT, p.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => ({ provider: p.name as ProviderId, dir: join(ROOT, p.name, d.name), name: d.name })));

describe('captures replay to their expected rows', () => {
  let ws: Workspace;
  beforeAll(() => {
    isolatedKeyFile();
    ws = openWorkspace(tempDir());
  });
  afterAll(() => ws.close());

  it('every provider has a capture of its document’s own example answers', () => {
    expect(captures.filter((c) => c.name === 'seed-example').map((c) => c.provider).sort()).toEqual(Object.keys(PROVIDERS).sort());
  });

  for (const c of captures) {
    it(`${c.provider}/${c.name}`, async () => {
      expect(existsSync(join(c.dir, 'expected.json')), 'a capture needs its expected.json').toBe(true);
      const expected = JSON.parse(readFileSync(join(c.dir, 'expected.json'), 'utf8')) as Expected;
      // Any credentials: the capture holds none, and the replay redacts ours before matching.
      const secrets = Object.fromEntries(PROVIDERS[c.provider].secrets.map((s) => [s.key, `replay-${s.key}`]));
      const replay = await startReplayServer(c.dir, { secrets: Object.values(secrets) });
      try {
        expect(replay.capture.about?.provider).toBe(c.provider);
        const name = `${c.provider} ${c.name}`;
        await ws.accounts.add({ name, provider: c.provider, baseUrl: replay.baseUrl, timezone: replay.capture.about!.timezone, secrets });
        const [r] = await syncAccounts(ws, { accounts: [name], ids: expected.ids, http: { retries: 1, backoffMs: 1 } });
        expect(r!.error).toBeNull();
        // Every request found a captured answer. An exchange left unused is allowed: an adapter may come to ask
        // less (a campaign with no calls skipped) without a row changing; the rows below are the contract.
        expect(replay.misses).toEqual([]);
        expect(differences(cachedCalls(ws, name), expected.calls)).toEqual([]);
        expect({ inserted: r!.inserted, notFound: r!.notFound }).toEqual({ inserted: expected.calls.length, notFound: expected.notFound });
      } finally {
        await replay.close();
      }
    });
  }
});
