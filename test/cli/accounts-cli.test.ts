// The `cdr-desk` binary as scripts use it: a real process, real data folder, stdout/stderr/exit status.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

describe('cdr-desk CLI: global contract and accounts', () => {
  const keyFile = isolatedKeyFile();
  const dataDir = tempDir();
  const env = { CDR_DESK_KEY_FILE: keyFile };

  it('--help lists every command and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['accounts', 'sync', 'search', 'summary', 'export']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('adds an account that lists back without its secret, and no file holds the secret in plain text', () => {
    const add = runCli(['--data-dir', dataDir, 'accounts', 'add', 'Saigon', '--provider', 'tel4vn-v3',
      '--base-url', 'https://autocall.example.vn', '--timezone', 'Asia/Ho_Chi_Minh', '--secret', 'token=PLAIN-SECRET-77'], env);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toBe('');
    const list = runCli(['accounts', 'list', '--json'], { ...env, CDR_DESK_DATA_DIR: dataDir });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'Saigon', provider: 'tel4vn-v3', baseUrl: 'https://autocall.example.vn', timezone: 'Asia/Ho_Chi_Minh', cdrCount: 0, lastSyncAt: null, lastError: null, autoSync: 'off' },
    ]);
    expect(list.stdout + list.stderr + add.stderr).not.toContain('PLAIN-SECRET-77');
    for (const f of readdirSync(dataDir)) expect(readFileSync(join(dataDir, f), 'latin1')).not.toContain('PLAIN-SECRET-77');
  });

  it('sets the automatic sync with --auto-sync, and refuses an interval it does not know, naming the account', () => {
    const dir = tempDir();
    const add = runCli(['--data-dir', dir, 'accounts', 'add', 'Hanoi', '--provider', 'tel4vn-v3', '--base-url', 'https://a.example.vn',
      '--auto-sync', '4h', '--secret', 'token=t'], env);
    expect(add.status, add.stderr).toBe(0);
    const autoSyncOf = () => JSON.parse(runCli(['--data-dir', dir, 'accounts', 'list', '--json'], env).stdout)[0].autoSync;
    expect(autoSyncOf()).toBe('4h');
    expect(runCli(['--data-dir', dir, 'accounts', 'edit', 'Hanoi', '--auto-sync', 'daily@07:30'], env).status).toBe(0);
    expect(autoSyncOf()).toBe('daily@07:30');
    const bad = runCli(['--data-dir', dir, 'accounts', 'edit', 'Hanoi', '--auto-sync', '2h'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('cdr-desk: account "Hanoi": autoSync: auto-sync is off, 15m, 1h, 4h or daily@HH:MM (24-hour, e.g. daily@07:30)');
    expect(autoSyncOf()).toBe('daily@07:30');
    expect(runCli(['accounts', '--help']).stdout).toContain('--auto-sync');
  });

  it('fails with one line naming the account and the cause, and exit status 1', () => {
    const r = runCli(['--data-dir', dataDir, 'accounts', 'add', 'Saigon', '--provider', 'tel4vn-v3', '--base-url', 'https://x', '--secret', 'token=t'], env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['cdr-desk: account "Saigon": an account with this name already exists']);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on usage mistakes', () => {
    expect(runCli(['frobnicate']).status).toBe(2);
    expect(runCli(['--data-dir', dataDir, 'accounts', 'add', 'X', '--bogus'], env).status).toBe(2);
  });

  it('refuses an unwritable data folder without writing anything', () => {
    // Tests run as root here, so permissions do not stop writes; a regular file in the path does.
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const r = runCli(['--data-dir', join(blocker, 'data'), 'accounts', 'list'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/data folder .* is not writable/);
  });

  it('removes an account with its rows', () => {
    const r = runCli(['--data-dir', dataDir, '--json', 'accounts', 'remove', 'Saigon'], env);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ removed: 'Saigon' });
    expect(JSON.parse(runCli(['--data-dir', dataDir, 'accounts', 'list', '--json'], env).stdout)).toEqual([]);
  });
});
