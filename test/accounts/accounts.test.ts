import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const SECRET = 'tok-Sécret-42=xyz';

function cdr(callId: string, extra: Partial<NormalizedCdr> = {}): NormalizedCdr {
  return {
    callId, campaignId: null, campaign: 'Spring', direction: 'out', source: '0312285000', destination: '+40700000000',
    status: 'answered', providerStatus: 'ANSWERED', startedAt: 1_710_401_324_000, answeredAt: null, endedAt: null,
    durationSec: 15, billSec: 10, waitSec: null, keypress: null, agent: null, recording: null, extraText: null,
    raw: { id: callId }, ...extra,
  };
}

describe('accounts', () => {
  let ws: Workspace;
  let keyFile: string;
  beforeAll(() => {
    keyFile = isolatedKeyFile();
    ws = openWorkspace(tempDir());
    return () => ws.close();
  });

  it('adds an account, keeps the secret out of the database, and lists it without secrets', async () => {
    await ws.accounts.add({
      name: 'Bucharest PBX', provider: 'pbx-cdr', baseUrl: 'https://pbx.example.ro/pbx/', timezone: 'Europe/Bucharest',
      secrets: { token: SECRET, apiKey: 'k-1' },
    });
    const [view] = ws.accounts.views();
    expect(view).toMatchObject({ name: 'Bucharest PBX', baseUrl: 'https://pbx.example.ro/pbx', secretKeys: ['apiKey', 'token'] });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    for (const f of readdirSync(ws.dataDir)) {
      expect(readFileSync(join(ws.dataDir, f)).includes(SECRET)).toBe(false);
    }
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await ws.accounts.secretsOf(ws.accounts.get('bucharest pbx'))).toEqual({ token: SECRET, apiKey: 'k-1' });
  });

  it.each([
    [{ provider: 'nope' }, /provider/],
    [{ baseUrl: 'ftp://x' }, /http:\/\/ or https:\/\//],
    [{ baseUrl: 'not a url' }, /not a valid URL/],
    [{ timezone: 'Mars/Olympus' }, /unknown time zone/],
    [{ secrets: { token: 'a' } }, /needs secret apiKey/],
    [{ secrets: { token: 'a', apiKey: 'b', pin: 'c' } }, /has no secret "pin"/],
    [{ name: 'Bucharest PBX' }, /already exists/],
  ])('refuses bad input %o with a clear message and writes nothing', async (patch, message) => {
    const before = ws.accounts.all().length;
    const input = { name: 'Other', provider: 'pbx-cdr', baseUrl: 'https://h', timezone: 'UTC', secrets: { token: 'a', apiKey: 'b' }, ...patch };
    await expect(ws.accounts.add(input)).rejects.toThrow(message);
    expect(ws.accounts.all().length).toBe(before);
  });

  it('names a secret the provider needs that is gone from the store (adapters no longer check)', async () => {
    await ws.accounts.add({ name: 'Half', provider: 'pbx-cdr', baseUrl: 'https://h', timezone: 'UTC', secrets: { token: 'a', apiKey: 'b' } });
    const half = ws.accounts.get('Half');
    await ws.secrets.set(`account:${half.id}`, { token: 'a' }); // the store edited behind the accounts' back
    await expect(ws.accounts.secretsOf(half)).rejects.toThrow(/^account "Half": the secret "apiKey" is missing; set it again$/);
    await ws.accounts.remove('Half');
  });

  it('edits fields and merges secrets', async () => {
    await ws.accounts.edit('Bucharest PBX', { timezone: 'UTC', secrets: { apiKey: 'k-2' } });
    const a = ws.accounts.get('Bucharest PBX');
    expect(a.timezone).toBe('UTC');
    expect(await ws.accounts.secretsOf(a)).toEqual({ token: SECRET, apiKey: 'k-2' });
  });

  it('upserts calls idempotently and removes them with the account', async () => {
    const a = ws.accounts.get('Bucharest PBX');
    const writer = new CdrWriter(ws.db);
    expect(writer.write(a.id, [cdr('1'), cdr('2')])).toEqual({ inserted: 2, updated: 0 });
    expect(writer.write(a.id, [cdr('1'), cdr('2')])).toEqual({ inserted: 0, updated: 0 });
    expect(writer.write(a.id, [cdr('2', { status: 'busy' })])).toEqual({ inserted: 0, updated: 1 });
    expect(ws.accounts.views()[0]!.cdrCount).toBe(2);
    await ws.accounts.remove('Bucharest PBX');
    expect(ws.db.prepare('SELECT count(*) FROM cdrs').pluck().get()).toBe(0);
    expect(await ws.secrets.get(`account:${a.id}`)).toBeNull();
  });
});
