// `accounts add` without --timezone, as a real process whose own zone is none of the providers': the account
// takes its provider's home zone (the descriptor's defaultTimezone, what the app's account form proposes).
import { describe, expect, it } from 'vitest';
import { PROVIDERS, type ProviderId } from '../../electron/shared/providers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isolatedKeyFile, tempDir } from '../helpers/tmp.ts';

const HOME_ZONES: Record<ProviderId, string> = {
  'autodialer-v4': 'Asia/Tehran',
  'voiceotp-v2': 'Asia/Ho_Chi_Minh',
  'pbx-cdr': 'Europe/Bucharest',
  'tel4vn-v3': 'Asia/Ho_Chi_Minh',
  'sarv-voice': 'Asia/Kolkata',
};

describe('cdr-desk accounts add: the zone default follows the provider', () => {
  const env = { CDR_DESK_KEY_FILE: isolatedKeyFile(), CDR_DESK_DATA_DIR: tempDir(), TZ: 'America/Los_Angeles' };

  it('the descriptors name the zones CLI.md documents', () => {
    for (const [id, zone] of Object.entries(HOME_ZONES)) expect(PROVIDERS[id as ProviderId].defaultTimezone).toBe(zone);
  });

  it('each provider without --timezone gets its home zone, never the machine zone', () => {
    for (const p of Object.values(PROVIDERS)) {
      const secrets = p.secrets.flatMap((s) => ['--secret', `${s.key}=x-${s.key}`]);
      const r = runCli(['--json', 'accounts', 'add', `home ${p.id}`, '--provider', p.id, '--base-url', 'https://api.example.com', ...secrets], env);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).timezone).toBe(HOME_ZONES[p.id]);
    }
    const list = JSON.parse(runCli(['accounts', 'list', '--json'], env).stdout) as { name: string; timezone: string }[];
    expect(list.map((a) => a.timezone)).not.toContain('America/Los_Angeles');
    expect(Object.fromEntries(list.map((a) => [a.name, a.timezone]))).toEqual(
      Object.fromEntries(Object.entries(HOME_ZONES).map(([id, zone]) => [`home ${id}`, zone])),
    );
  });

  it('an explicit --timezone still wins, and --help names each home zone', () => {
    const r = runCli(['--json', 'accounts', 'add', 'explicit', '--provider', 'sarv-voice', '--base-url', 'https://x.example.in',
      '--timezone', 'UTC', '--secret', 'username=u', '--secret', 'token=t'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).timezone).toBe('UTC');
    const help = runCli(['accounts', '--help'], env);
    for (const [id, zone] of Object.entries(HOME_ZONES)) expect(help.stdout + help.stderr).toMatch(new RegExp(`${id} .* ${zone} `));
  });
});
