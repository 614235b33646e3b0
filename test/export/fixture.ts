// A real workspace with one account per test file and calls written by CdrWriter: the rows an export reads.
import { CdrWriter } from '../../electron/data/db/cdrs.ts';
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import type { NormalizedCdr } from '../../electron/shared/cdr.ts';
import { tempDir } from '../helpers/tmp.ts';

export function call(callId: string, extra: Partial<NormalizedCdr> = {}): NormalizedCdr {
  return {
    callId, campaignId: 'c1', campaign: 'Spring', direction: 'out', source: '0312285000', destination: '+40700000000',
    status: 'answered', providerStatus: 'ANSWERED', startedAt: Date.UTC(2024, 9, 25, 6, 0, 12), answeredAt: Date.UTC(2024, 9, 25, 6, 0, 20),
    endedAt: Date.UTC(2024, 9, 25, 6, 1, 5), durationSec: 53, billSec: 45, waitSec: 8, keypress: '1', agent: 'Ana Pop',
    recording: 'rec/1.mp3', extraText: null, raw: { id: callId }, ...extra,
  };
}

/** Instants (epoch ms) around the 2024 EU spring and autumn changes, and a plain one. */
export const DST_INSTANTS = [
  Date.UTC(2024, 2, 31, 0, 59, 59), // Bucharest 02:59:59 EET, one second before the gap
  Date.UTC(2024, 2, 31, 1, 0, 0), // Bucharest 04:00:00 EEST
  Date.UTC(2024, 9, 27, 0, 30, 0), // Bucharest 03:30 EEST (first pass of the repeated hour)
  Date.UTC(2024, 9, 27, 1, 30, 0), // Bucharest 03:30 EET (second pass)
  Date.UTC(2024, 0, 15, 22, 5, 9, 750), // milliseconds are dropped, not rounded
];

/** Rows that try every cell rule: scripts, leading zeros, +, formula starts, quotes, separators, line breaks. */
export const TRICKY: NormalizedCdr[] = [
  call('000123', { campaign: 'کمپین بهار ۱۴۰۳', agent: 'علی رضایی', contact: 'مریم احمدی', source: '00989121234567', destination: '+989121234567' }),
  call('0042', { campaign: 'Chiến dịch Tết', agent: 'Nguyễn Thị Hương', providerStatus: 'ANSWER, "ok"; done' }),
  call('=1+1', { campaign: 'Campanie Ţară şi Ștefan', agent: '@admin', keypress: '-5', recording: '=HYPERLINK("http://x","y")', contact: '+Nguyễn Văn A' }),
  call('+40211234567', { campaign: 'line\r\nbreak', agent: '\tTabbed', providerStatus: '\rcr', source: null, destination: null }),
  call('x-nulls', { campaign: null, direction: null, providerStatus: null, startedAt: null, answeredAt: null, endedAt: null,
    durationSec: null, billSec: null, keypress: null, agent: null, recording: null, status: 'no_answer' }),
  call('x-dst', { campaign: 'DST', startedAt: DST_INSTANTS[0]!, answeredAt: DST_INSTANTS[1]!, endedAt: DST_INSTANTS[2]!, durationSec: 0, billSec: 0 }),
  call('x-dst2', { campaign: 'DST', startedAt: DST_INSTANTS[3]!, answeredAt: DST_INSTANTS[4]!, endedAt: null, status: 'busy' }),
];

export interface Fixture {
  ws: Workspace;
  dir: string;
  accountId: number;
}

export async function fixture(account: string, timezone: string, rows: NormalizedCdr[], provider = 'pbx-cdr'): Promise<Fixture> {
  const dir = tempDir();
  const ws = openWorkspace(dir);
  const secrets = provider === 'pbx-cdr' ? { token: 't', apiKey: 'k' } : { token: 't' };
  const a = await ws.accounts.add({ name: account, provider, baseUrl: 'https://pbx.example.ro', timezone, secrets });
  const writer = new CdrWriter(ws.db);
  ws.db.transaction(() => writer.write(a.id, rows))();
  return { ws, dir, accountId: a.id };
}
