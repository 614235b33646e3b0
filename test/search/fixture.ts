// A small workspace for search tests: three accounts in three zones with hand-written calls whose names,
// numbers and times exercise folding, phone fragments and time windows.
import { openWorkspace, type Workspace } from '../../electron/data/workspace.ts';
import { addSyntheticAccount, makeCdr, writeSynthetic } from '../helpers/synthetic.ts';
import { tempDir } from '../helpers/tmp.ts';

export const T = (iso: string) => Date.parse(iso);

export async function searchFixture(): Promise<Workspace> {
  const ws = openWorkspace(tempDir());
  const vn = await addSyntheticAccount(ws, { name: 'Saigon', provider: 'tel4vn-v3', timezone: 'Asia/Ho_Chi_Minh', script: 'vi' });
  const ir = await addSyntheticAccount(ws, { name: 'Tehran', provider: 'autodialer-v4', timezone: 'Asia/Tehran', script: 'fa' });
  const ro = await addSyntheticAccount(ws, { name: 'Bucharest', provider: 'pbx-cdr', timezone: 'Europe/Bucharest', script: 'ro' });
  writeSynthetic(ws, vn, [
    makeCdr({ callId: 'vn-1', campaign: 'Khuyến mãi Tết', campaignId: 'c-tet', destination: '0775702541', status: 'answered',
      startedAt: T('2024-03-07T06:34:26Z'), durationSec: 31, billSec: 22, waitSec: 9, agent: 'Đinh Công Tráng', extraText: 'Đỗ Thị Ngà' }),
    makeCdr({ callId: 'vn-2', campaign: 'Khuyến mãi Tết', campaignId: 'c-tet', destination: '+84 912 345 678', status: 'busy',
      startedAt: T('2024-03-07T16:59:59Z'), durationSec: 5, billSec: 0 }), // 23:59:59 local on 7 March
    makeCdr({ callId: 'vn-3', campaign: 'Nhắc nợ', campaignId: 'c-no', destination: '0912-000-111', status: 'no_answer',
      startedAt: T('2024-03-07T17:00:00Z'), durationSec: 20, billSec: 0, extraText: 'Trần Văn Đức' }), // 00:00 on 8 March
    makeCdr({ callId: 'vn-4', campaign: null, destination: null, status: 'failed', startedAt: null, durationSec: null }),
  ]);
  writeSynthetic(ws, ir, [
    makeCdr({ callId: 'ir-1', campaign: 'یادآوری قسط', campaignId: 'c-qest', destination: '۰۹۱۲۳۴۵۶۷۸۹', status: 'answered',
      startedAt: T('2024-03-07T05:00:00Z'), durationSec: 100, billSec: 90, extraText: 'علي كريمي', direction: 'out' }),
    makeCdr({ callId: 'ir-2', campaign: 'یادآوری قسط', campaignId: 'c-qest', source: '+98 912 111 2222', destination: '1900',
      status: 'cancelled', direction: 'in', startedAt: T('2024-03-07T20:29:59Z'), durationSec: 3, billSec: 0, extraText: 'فاطمە رضایی' }),
  ]);
  writeSynthetic(ws, ro, [
    makeCdr({ callId: 'ro-1', campaign: 'Ofertă de toamnă', campaignId: 'c-oft', destination: '+40 722 123 456', status: 'answered',
      startedAt: T('2024-03-07T21:30:00Z'), durationSec: 60, billSec: 55, agent: 'Elena Șerban', extraText: 'Ştefan Ţepeş' }),
    makeCdr({ callId: 'ro-2', campaign: 'Ofertă de toamnă', campaignId: 'c-oft', destination: '0722-999-000', status: 'invalid_number',
      startedAt: T('2024-03-08T08:00:00Z'), durationSec: 0, billSec: 0, providerStatus: 'NUMBER "UNALLOCATED" (404)' }),
  ]);
  return ws;
}
