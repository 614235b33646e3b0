// Simulator of TEL4VN autocall v3: GET /v3/report/call/campaign and /v3/report/call/lead with Bearer
// auth, limit/offset paging, start_time/end_time windows (naive Vietnam times), `{"error": ...}` bodies, and the
// seed's quirks: press_key as JSON inside a string, "" for empty times, created_at with an offset, and
// last_call_time off by a doubled offset.
//
// Model: a campaign has leads; a lead has attempts (calls). The lead report shows only the latest attempt of a
// lead (its cdr_uuid); earlier attempts are counted in the campaign stats but never visible. A correct sync
// stores every call that was visible as some lead's latest attempt while it synced: `expected` is that set
// (a lead dialled again by `mutate('update')` keeps its previous call in `expected` and adds the new one).
// Window semantics (undocumented; chosen here): a lead is in [start_time, end_time] when its latest call's
// start_stamp is (or, for a lead never called, its created_at); campaign stats count attempts by start time.
// Dialects (TEL4VN_V3_DIALECTS), one per reading the vendor's document leaves open (docs/providers/tel4vn-v3.md):
//   seed       `limit` as asked (no maximum documented), the answer echoes limit, offset and total;
//   limit-cap  the server serves at most `pageSize` (100 by default) leads an answer and echoes that limit;
//   no-total   the lead report answers `{"data": [...]}` only, as the campaign report does (no limit/offset/total).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatus } from '../../../shared/cdr.ts';
import { parseNaiveDateTime } from '../../time/parse.ts';
import { offsetMinutesAt, toIsoUtc } from '../../time/zone.ts';
import { sendJson, type Fault, type FaultController } from '../simulation/faults.ts';
import { seededRng, type Rng } from '../simulation/random.ts';
import { startSimServer } from '../simulation/server.ts';
import { pickDialect, type ExpectedCall, type RunningSimulator, type SimulatorOptions, type StartSimulator } from '../simulation/types.ts';

export const TEL4VN_V3_DIALECTS = ['seed', 'limit-cap', 'no-total'] as const;
export type Tel4vnV3Dialect = (typeof TEL4VN_V3_DIALECTS)[number];

const ZONE = 'Asia/Ho_Chi_Minh';
const DEFAULT_END = Date.UTC(2024, 10, 1);
const DAY = 86_400_000;


const uuid = (r: Rng) => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`;

/** The provider's status texts with the generator's own truth of what each means. */
const STATUSES: readonly (readonly [readonly [string, CallStatus], number])[] = [
  [['answered', 'answered'], 40],
  [['no_answered', 'no_answer'], 14],
  [['no_answer', 'no_answer'], 3],
  [['busy', 'busy'], 13],
  [['busy_line', 'busy'], 3],
  [['cancel', 'cancelled'], 6],
  [['congestion', 'congestion'], 4],
  [['invalid', 'invalid_number'], 4],
  [['not_available', 'failed'], 6],
  [['phone_block', 'failed'], 2],
  [['ANSWERED', 'answered'], 2],
  [['other', 'unknown'], 1],
];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Thu', 'Quốc', 'Bảo'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Linh', 'Mai', 'Nam', 'Ngà', 'Phương', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];
const OFFERS = ['Giảm 50% gốc', 'Miễn lãi 3 tháng', 'Tặng 100 phút gọi', 'Ưu đãi phí thường niên', 'Hoàn tiền 10%'];
const CAMPAIGNS = ['AutocallTTS', 'Nhắc nợ tháng 10', 'Chăm sóc khách hàng', 'Khuyến mãi Tết', 'VoiceOTP110'];

interface Attempt {
  cdr: string;
  status: string;
  normalized: CallStatus;
  start: number;
  wait: number;
  billsec: number;
  pressKey: string;
  /** The lag between the call's end and the buggy last_call_time's base, in seconds. */
  lag: number;
  /** Still ringing when read: no status, no answer or end time yet (the report is live). */
  inProgress: boolean;
}

interface Campaign {
  uuid: string;
  name: string;
  lists: { uuid: string; name: string }[];
}

interface Lead {
  uuid: string;
  campaign: Campaign;
  list: { uuid: string; name: string };
  phone: string;
  name: string;
  nameInLeadName: boolean;
  code: string;
  contract: string;
  offer: string;
  created: number;
  createdMicros: number;
  /** Dial attempts that produced no call record (the seed's never-connected leads still count them). */
  uncalledTries: number;
  attempts: Attempt[];
  /** Numbers as strings in this row (a provider quirk some rows show). */
  stringNumbers: boolean;
  /** The row as served, until the lead changes. */
  row?: Record<string, unknown>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, l = 2) => String(n).padStart(l, '0');

/** 'YYYY-MM-DD HH:MM:SS' wall time in the simulator's zone. */
function wall(ms: number): string {
  const d = new Date(ms + offsetMinutesAt(ZONE, ms) * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM' with the zone's real offset. */
function withOffset(ms: number, micros?: number): string {
  const off = offsetMinutesAt(ZONE, ms);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const frac = micros !== undefined ? `.${String(micros).padStart(6, '0').replace(/0+$/, '') || '0'}` : '';
  return `${wall(ms).replace(' ', 'T')}${frac}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function endOf(a: Attempt): number {
  return a.start + (a.wait + a.billsec) * 1000;
}

function expectedOf(lead: Lead, a: Attempt): ExpectedCall {
  const answered = a.normalized === 'answered' && !a.inProgress;
  return {
    callId: a.cdr,
    status: a.inProgress ? 'pending' : a.normalized,
    providerStatus: a.inProgress ? null : a.status,
    direction: 'out',
    source: null,
    destination: lead.phone,
    campaign: lead.campaign.name,
    startedAt: toIsoUtc(a.start),
    answeredAt: answered ? toIsoUtc(a.start + a.wait * 1000) : null,
    endedAt: a.inProgress ? null : toIsoUtc(endOf(a)),
    durationSec: a.inProgress ? 0 : a.wait + a.billsec,
    billSec: a.inProgress ? 0 : a.billsec,
    agent: null,
    contact: lead.nameInLeadName ? lead.name : null,
  };
}

function leadRow(lead: Lead): Record<string, unknown> {
  return (lead.row ??= buildLeadRow(lead));
}

function buildLeadRow(lead: Lead): Record<string, unknown> {
  const a = lead.attempts[lead.attempts.length - 1];
  const num = (n: number) => (lead.stringNumbers ? String(n) : n);
  const answered = a ? a.normalized === 'answered' && !a.inProgress : false;
  const done = a ? !a.inProgress : false;
  const recDay = a ? new Date(a.start + 7 * 3_600_000) : null;
  const month = recDay ? MONTHS[recDay.getUTCMonth()] : '';
  // The doubled offset: the provider adds the zone's offset to an already local time and labels it local again.
  const lastBase = a ? endOf(a) + a.lag * 1000 : lead.created + (lead.uncalledTries > 0 ? 60_000 * lead.uncalledTries : 0);
  const lastCallTime = withOffset(lastBase + offsetMinutesAt(ZONE, lastBase) * 60_000);
  return {
    billsec: num(a && done ? a.billsec : 0),
    called_count: num(lead.attempts.length + lead.uncalledTries),
    campaign_name: lead.campaign.name,
    cdr_uuid: a ? a.cdr : '',
    contract_number: lead.contract,
    duration: num(a && done ? a.wait + a.billsec : 0),
    lead_code: lead.code,
    lead_uuid: lead.uuid,
    lead_name: lead.nameInLeadName ? lead.name : '',
    list_name: lead.list.name,
    phone_number: lead.phone,
    press_key: a ? (done ? a.pressKey : '{}') : '',
    record_name: a && answered ? `${a.cdr}.mp3` : '',
    recording_url: a && answered && recDay ? `/usr/local/freeswitch/recordings/autocall.tel4vn.com/archive/${recDay.getUTCFullYear()}/${month}/${pad(recDay.getUTCDate())}` : '',
    status: a && done ? a.status : '',
    additional: {
      data1: 1,
      miengiam: lead.offer,
      phone_number: lead.phone,
      sdt: lead.phone.replace(/^0(\d)/, '09$1').slice(0, 10),
      ten: lead.name,
    },
    start_stamp: a ? wall(a.start) : '',
    end_stamp: a && done ? wall(endOf(a)) : '',
    answer_stamp: a && answered ? wall(a.start + a.wait * 1000) : '',
    created_at: withOffset(lead.created, lead.createdMicros),
    last_call_time: lastCallTime,
  };
}

class Tel4vnData {
  readonly r: Rng;
  readonly campaigns: Campaign[] = [];
  readonly leads: Lead[] = [];
  readonly expected: ExpectedCall[] = [];
  /** Bumped by every change, so cached answers are not served after one. */
  version = 0;
  private clock: number;

  constructor(seed: number, calls: number, start: number, end: number) {
    this.r = seededRng(seed ^ 0x7e14);
    const r = this.r;
    for (const name of CAMPAIGNS) {
      const lists = Array.from({ length: r.int(1, 2) }, (_, i) => ({ uuid: uuid(r), name: `ListAutocall${pad(i + 1)}` }));
      this.campaigns.push({ uuid: uuid(r), name, lists });
    }
    // A campaign with no leads at all, as in the seed.
    this.campaigns.push({ uuid: uuid(r), name: 'TestDelete', lists: [{ uuid: uuid(r), name: 'ListEmpty' }] });
    const active = this.campaigns.slice(0, CAMPAIGNS.length);
    const span = Math.max(60_000, end - start);
    // The last few calls are still ringing when the report is read (recent, so a later sync sees them end).
    const ringing = Math.min(5, Math.max(1, Math.floor(calls / 20)));
    let made = 0;
    while (made < calls) {
      const recent = made >= calls - ringing;
      const first = recent ? end - r.int(60, 7200) * 1000 : start + Math.floor(r.next() * span * 0.9);
      const lead = this.newLead(r.pick(active), first - r.int(600, 3 * 86_400) * 1000);
      if (!recent && r.next() < 0.15) {
        lead.uncalledTries = r.int(0, 4); // never connected: a lead, not a call
      } else {
        const tries = recent ? 1 : r.int(1, 3);
        let t = first;
        for (let i = 0; i < tries && t < end; i++) {
          lead.attempts.push(this.newAttempt(t, i < tries - 1));
          t += r.int(20, 240) * 60_000;
        }
        made++;
        const last = lead.attempts[lead.attempts.length - 1]!;
        last.inProgress = recent;
        this.expected.push(expectedOf(lead, last));
      }
      this.leads.push(lead);
    }
    this.sortLeads();
    this.clock = this.leads.reduce((m, l) => Math.max(m, this.activity(l)), end);
  }

  private sortLeads(): void {
    this.leads.sort((a, b) => a.created - b.created || (a.uuid < b.uuid ? -1 : 1));
  }

  private newLead(campaign: Campaign, created: number): Lead {
    const r = this.r;
    const name = `${r.pick(FAMILY)} ${r.pick(MIDDLE)} ${r.pick(GIVEN)}`;
    return {
      uuid: uuid(r),
      campaign,
      list: r.pick(campaign.lists),
      phone: `0${r.pick(['3', '7', '8', '9'])}${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
      name,
      nameInLeadName: r.next() < 0.5,
      code: r.next() < 0.4 ? `KH${r.int(10_000, 99_999)}` : '',
      contract: r.next() < 0.3 ? `HD-${r.int(100_000, 999_999)}` : '',
      offer: r.pick(OFFERS),
      created: Math.floor(created / 1000) * 1000,
      createdMicros: r.int(1, 999_999),
      uncalledTries: 0,
      attempts: [],
      stringNumbers: r.next() < 0.08,
    };
  }

  private newAttempt(start: number, earlier: boolean): Attempt {
    const r = this.r;
    const [status, normalized] = earlier
      ? r.pick([['busy', 'busy'], ['no_answered', 'no_answer'], ['not_available', 'failed']] as const)
      : r.weighted(STATUSES);
    const answered = normalized === 'answered';
    const keys = answered && r.next() < 0.4 ? Array.from({ length: r.int(1, 2) }, () => String(r.int(0, 9))) : [];
    return {
      cdr: uuid(r),
      status,
      normalized,
      start: Math.floor(start / 1000) * 1000,
      wait: normalized === 'invalid_number' ? r.int(0, 2) : r.int(2, 35),
      billsec: answered ? r.int(3, 320) : 0,
      pressKey: keys.length ? JSON.stringify(Object.fromEntries(keys.map((k, i) => [`key_${i + 1}`, k]))) : '{}',
      lag: r.int(30, 180),
      inProgress: false,
    };
  }

  /** A lead's time for windows: its latest call's start, or its creation when never called. */
  activity(l: Lead): number {
    const a = l.attempts[l.attempts.length - 1];
    return a ? a.start : l.created;
  }

  private tick(): number {
    this.clock += this.r.int(1, 5) * 60_000;
    return this.clock;
  }

  /**
   * New calls: even ones on new leads, odd ones by dialling an existing lead again (a lead never called first).
   * A lead dialled again shows its new call; its previous call stays a call that happened (still expected).
   */
  add(count: number): ExpectedCall[] {
    this.version++;
    const out: ExpectedCall[] = [];
    const active = this.campaigns.filter((c) => c.name !== 'TestDelete');
    const redial = [
      ...this.leads.filter((l) => l.attempts.length === 0),
      ...this.leads.filter((l) => l.attempts.length > 0 && !l.attempts[l.attempts.length - 1]!.inProgress),
    ];
    for (let i = 0; i < count; i++) {
      const t = this.tick();
      const lead = i % 2 === 1 && redial.length ? redial.shift()! : this.newLead(active[i % active.length]!, t - 60_000);
      const a = this.newAttempt(t, false);
      if (lead.attempts.length === 0 && !this.leads.includes(lead)) this.leads.push(lead);
      lead.attempts.push(a);
      lead.row = undefined;
      out.push(expectedOf(lead, a));
    }
    this.sortLeads();
    for (const e of out) this.expected.push(e);
    return out;
  }

  /** Calls that were ringing end now (same cdr_uuid, now with a status, answer and end). At most as many as ring. */
  update(count: number): ExpectedCall[] {
    this.version++;
    const out: ExpectedCall[] = [];
    const ringing = this.leads
      .filter((l) => l.attempts.length > 0 && l.attempts[l.attempts.length - 1]!.inProgress)
      .sort((x, y) => this.activity(x) - this.activity(y));
    for (const lead of ringing.slice(0, count)) {
      const a = lead.attempts[lead.attempts.length - 1]!;
      a.inProgress = false;
      lead.row = undefined;
      const e = expectedOf(lead, a);
      this.expected[this.expected.findIndex((x) => x.callId === a.cdr)] = e;
      out.push(e);
    }
    return out;
  }
}

const STAT_FIELDS: Readonly<Record<string, string>> = {
  answered: 'answered',
  ANSWERED: 'answered',
  busy: 'busy',
  busy_line: 'busy_line',
  cancel: 'cancel',
  congestion: 'congestion',
  invalid: 'invalid',
  no_answered: 'no_answered',
  no_answer: 'no_answered',
  not_available: 'not_available',
  phone_block: 'phone_block',
};

function campaignStats(data: Tel4vnData, c: Campaign, from: number | null, to: number | null, list: string | null): Record<string, unknown> {
  const s: Record<string, number> = {
    answered: 0, busy: 0, busy_line: 0, cancel: 0, congestion: 0, inbound: 0, invalid: 0, ivr: 0, local: 0,
    no_answered: 0, not_available: 0, outbound: 0, phone_block: 0, total: 0,
  };
  for (const l of data.leads) {
    if (l.campaign !== c || (list && l.list.uuid !== list)) continue;
    for (const a of l.attempts) {
      if ((from !== null && a.start < from) || (to !== null && a.start > to)) continue;
      const f = a.inProgress ? undefined : STAT_FIELDS[a.status];
      if (f) s[f]!++;
      s.outbound!++;
      s.total!++;
    }
  }
  const { answered, busy, busy_line, ...rest } = s;
  return { answered, busy, busy_line, campaign_name: c.name, campaign_uuid: c.uuid, ...rest };
}

class BadRequest extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super('bad request');
    this.status = status;
    this.body = body;
  }
}

function timeParam(url: URL, key: string): number | null {
  const v = url.searchParams.get(key);
  if (v === null || v === '') return null;
  try {
    return parseNaiveDateTime(v, ZONE);
  } catch {
    throw new BadRequest(400, { error: [{ field: key, message: 'invalid time, expected YYYY-MM-DD HH:MM:SS' }] });
  }
}

function intParam(url: URL, key: string, dflt: number): number {
  const v = url.searchParams.get(key);
  if (v === null || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new BadRequest(400, { error: [{ field: key, message: `${key} must be a non-negative integer` }] });
  return Number(v);
}

export interface Tel4vnSimulator extends RunningSimulator {
  /** Leads that have no call (never connected): they are leads, never calls. */
  uncalledLeads(): number;
  /** Every lead the provider holds. */
  leadCount(): number;
  campaignCount: number;
}

export async function startTel4vnV3Sim(options: SimulatorOptions = {}): Promise<Tel4vnSimulator> {
  const seed = options.seed ?? 3;
  const end = options.end ?? DEFAULT_END;
  const start = options.start ?? end - 30 * DAY;
  const data = new Tel4vnData(seed, options.calls ?? 240, start, end);
  const token = `t4v-${seed}-${data.r.hex(24)}`;
  const filtered = new Map<string, Lead[]>();
  const dialect = pickDialect(TEL4VN_V3_DIALECTS, options.dialect, 'tel4vn-v3');
  const cap = options.pageSize ?? (dialect === 'limit-cap' ? 100 : Infinity);
  let faults: FaultController | null = null;

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => {
    const reply = (status: number, body: unknown) => sendJson(res, status, body, fault);
    if (req.headers.authorization !== `Bearer ${token}`) {
      reply(401, { error: req.headers.authorization ? 'token is invalid or expired' : 'missing authorization header' });
      return;
    }
    if (req.method !== 'GET') {
      reply(405, { error: 'method not allowed' });
      return;
    }
    try {
      const from = timeParam(url, 'start_time');
      const to = timeParam(url, 'end_time');
      const campaignId = url.searchParams.get('campaign_uuid') || null;
      const listId = url.searchParams.get('list_uuid') || null;
      const campaign = campaignId ? data.campaigns.find((c) => c.uuid === campaignId) : undefined;
      if (campaignId && !campaign) throw new BadRequest(404, { error: 'campaign is not found' });
      if (url.pathname === '/v3/report/call/campaign') {
        const camps = campaign ? [campaign] : data.campaigns;
        reply(200, { data: camps.map((c) => campaignStats(data, c, from, to, listId)) });
        return;
      }
      if (url.pathname === '/v3/report/call/lead') {
        const limit = Math.min(intParam(url, 'limit', 10), cap);
        const offset = intParam(url, 'offset', 0);
        // Paging asks the same filter again and again: keep its result until the data changes.
        const key = `${data.version}|${campaignId}|${listId}|${from}|${to}`;
        let rows = filtered.get(key);
        if (!rows) {
          if (filtered.size > 64) filtered.clear();
          rows = data.leads.filter((l) => {
            if (campaign && l.campaign !== campaign) return false;
            if (listId && l.list.uuid !== listId) return false;
            const t = data.activity(l);
            return (from === null || t >= from) && (to === null || t <= to);
          });
          filtered.set(key, rows);
        }
        const at = faults!.pagedStart(offset);
        const page = faults!.visible(rows, limit).slice(at, at + limit).map(leadRow);
        // A server that ignores `offset` echoes the one it used.
        const served = faults!.paging.ignoreOffset ? 0 : offset;
        reply(200, dialect === 'no-total' ? { data: page } : { data: page, limit, offset: served, total: rows.length });
        return;
      }
      reply(404, { error: `route ${url.pathname} not found` });
    } catch (err) {
      if (err instanceof BadRequest) reply(err.status, err.body);
      else throw err;
    }
  };

  const server = await startSimServer(handler, { port: options.port, faults: options.faults, latencyMs: options.latencyMs });
  faults = server.faults;
  return {
    provider: 'tel4vn-v3',
    dialect,
    baseUrl: server.baseUrl,
    secrets: { token },
    timezone: ZONE,
    expected: data.expected,
    ids: [],
    unknownIds: [],
    faults: server.faults,
    mutate: (change, count) => (change === 'add' ? data.add(count) : data.update(count)),
    close: () => server.close(),
    uncalledLeads: () => data.leads.filter((l) => l.attempts.length === 0).length,
    leadCount: () => data.leads.length,
    campaignCount: data.campaigns.length,
  };
}

export const startTel4vnV3: StartSimulator = startTel4vnV3Sim;
