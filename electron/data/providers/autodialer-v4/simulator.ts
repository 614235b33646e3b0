// Simulator of the Simotel autodialer v4 report API (the vendor's document and wiki): POST JSON with X-APIKEY and
// HTTP Basic auth on every call; `reports/ordered/id` (20 records an answer, `data.last_id`), `reports/search`
// (date_range in Gregorian minutes, conditions, start/count paging, newest first) and `reports/info` (one try's
// details by its cdr_id). Records are one number in one campaign with `tries[]`, in MongoDB extended JSON
// (`$oid`, `$date.$numberLong`), with Jalali (Solar Hijri) Tehran dates and booleans as strings.
//
// Dialects (AUTODIALER_V4_DIALECTS), one per reading the vendor's document leaves open (docs/providers/autodialer-v4.md):
//   seed              ordered/id reads `_id` (as the examples send it) and answers the records after it, with last_id;
//   id_-param         ordered/id reads only `id_` (as the parameter table names it);
//   inclusive-cursor  ordered/id answers the records from `_id` on, that record included;
//   no-last-id        ordered/id answers without `data.last_id` (the next cursor is the last record's `_id`);
//   success-text      `success` and the paging numbers as strings ("1", "true"), as the records' booleans are.
//
// Truth: every try is one call (`expected`). A record's `date` is the time of its last change (its latest try's
// start, or when a ringing try ended), which is what search's date_range filters on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatus } from '../../../shared/cdr.ts';
import { formatJalali } from '../../time/jalali.ts';
import { parseNaiveDateTime } from '../../time/parse.ts';
import { toIsoUtc } from '../../time/zone.ts';
import { readRequestBody, sendJson, type Fault, type FaultController } from '../simulation/faults.ts';
import { seededRng, type Rng } from '../simulation/random.ts';
import { startSimServer } from '../simulation/server.ts';
import { pickDialect, type ExpectedCall, type RunningSimulator, type SimulatorOptions, type StartSimulator } from '../simulation/types.ts';

export const AUTODIALER_V4_DIALECTS = ['seed', 'id_-param', 'inclusive-cursor', 'no-last-id', 'success-text'] as const;
export type AutodialerV4Dialect = (typeof AUTODIALER_V4_DIALECTS)[number];

const ZONE = 'Asia/Tehran';
const DEFAULT_END = Date.UTC(2024, 10, 1);
const DAY = 86_400_000;
const ORDERED_PAGE = 20;
const MAX_TRIES = 3;


/** Try dispositions with the generator's own truth of what each means. */
const LAST_TRY: readonly (readonly [readonly [string, CallStatus], number])[] = [
  [['ANSWERED', 'answered'], 50],
  [['NO ANSWER', 'no_answer'], 16],
  [['BUSY', 'busy'], 12],
  [['FAILED', 'failed'], 6],
  [['CONGESTION', 'congestion'], 4],
  [['LOST', 'no_answer'], 5],
  [['CHANUNAVAIL', 'failed'], 3],
];
const EARLIER_TRY: readonly (readonly [readonly [string, CallStatus], number])[] = [
  [['NO ANSWER', 'no_answer'], 5],
  [['BUSY', 'busy'], 3],
  [['FAILED', 'failed'], 1],
  [['CONGESTION', 'congestion'], 1],
];
const CAUSES: Readonly<Record<string, [string, string]>> = {
  ANSWERED: ['16', 'Normal Clearing'],
  'NO ANSWER': ['19', 'No answer from user'],
  BUSY: ['17', 'User busy'],
  FAILED: ['38', 'Network out of order'],
  CONGESTION: ['34', 'No circuit/channel available'],
  LOST: ['16', 'Normal Clearing'],
  CHANUNAVAIL: ['20', 'Subscriber absent'],
  RINGING: ['0', ''],
};
const CAMPAIGNS = ['یادآوری اقساط بانک', 'نظرسنجی رضایت مشتریان', 'اطلاع‌رسانی جشنواره نوروز', 'تمدید اشتراک', 'پیگیری سفارش'];

interface Try {
  cdr: string;
  disposition: string;
  normalized: CallStatus;
  start: number;
  wait: number;
  billsec: number;
  /** Time the record last changed because of this try (a ringing try ends later). */
  changed: number;
}

interface Rec {
  id: string;
  campaign: { id: string; name: string };
  number: string;
  tries: Try[];
  changed: number;
  stringNumbers: boolean;
  /** The record as served, until it changes. */
  json?: Record<string, unknown>;
}

const hms = (s: number) => [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');

function oidAt(r: Rng, ms: number): string {
  return Math.floor(ms / 1000).toString(16).padStart(8, '0') + r.hex(16);
}

function durationOf(t: Try): number {
  return t.wait + t.billsec;
}

function expectedOf(rec: Rec, t: Try): ExpectedCall {
  const answered = t.normalized === 'answered';
  return {
    callId: t.cdr,
    status: t.normalized,
    providerStatus: t.disposition,
    direction: 'out',
    source: null,
    destination: rec.number,
    campaign: rec.campaign.name,
    startedAt: toIsoUtc(t.start),
    answeredAt: answered ? toIsoUtc(t.start + t.wait * 1000) : null,
    endedAt: toIsoUtc(t.start + durationOf(t) * 1000),
    durationSec: durationOf(t),
    billSec: answered ? t.billsec : 0,
    agent: null,
    contact: null,
  };
}

function recordJson(rec: Rec): Record<string, unknown> {
  return (rec.json ??= buildRecordJson(rec));
}

function buildRecordJson(rec: Rec): Record<string, unknown> {
  const last = rec.tries[rec.tries.length - 1]!;
  const first = rec.tries[0]!;
  const answered = last.normalized === 'answered';
  const finished = answered || (rec.tries.length >= MAX_TRIES && last.disposition !== 'RINGING');
  const disposition = answered ? 'ANSWERED' : finished ? 'LOST' : last.disposition;
  const billsec = answered ? last.billsec : 0;
  const n = (x: number) => (rec.stringNumbers ? String(x) : x);
  return {
    _id: { $oid: rec.id },
    campaign_id: { $oid: rec.campaign.id },
    campaign: rec.campaign.name,
    number: rec.number,
    disposition,
    try: n(rec.tries.length),
    billsec: n(billsec),
    wait: n(last.wait),
    billsec_hhmmss: hms(billsec),
    start: formatJalali(ZONE, first.start),
    end: formatJalali(ZONE, last.start + durationOf(last) * 1000),
    date: formatJalali(ZONE, rec.changed),
    finished: finished ? 'true' : 'false',
    tries: rec.tries.map((t) => ({
      cdr_id: { $oid: t.cdr },
      cause: CAUSES[t.disposition]?.[0] ?? '0',
      'cause-txt': CAUSES[t.disposition]?.[1] ?? '',
      starttime: { $date: { $numberLong: String(t.start) } },
      disposition: t.disposition,
      wait: n(t.wait),
    })),
  };
}

class AutodialerData {
  readonly r: Rng;
  readonly campaigns: { id: string; name: string }[];
  readonly records: Rec[] = [];
  readonly byCdr = new Map<string, { rec: Rec; t: Try }>();
  readonly expected: ExpectedCall[] = [];
  private clock: number;

  constructor(seed: number, calls: number, start: number, end: number) {
    this.r = seededRng(seed ^ 0xa0d1);
    const r = this.r;
    this.campaigns = CAMPAIGNS.map((name, i) => ({ id: oidAt(r, start - (10 - i) * DAY), name }));
    const span = Math.max(60_000, end - start);
    // The last few numbers are being dialled when the report is read: their one try is still ringing.
    const ringing = Math.min(5, Math.max(1, Math.floor(calls / 20)));
    let made = 0;
    const recs: Rec[] = [];
    while (made < calls) {
      const recent = made >= calls - ringing;
      const first = recent ? end - r.int(60, 7200) * 1000 : Math.floor((start + r.next() * span * 0.9) / 1000) * 1000;
      const want = recent ? 1 : Math.min(r.int(1, MAX_TRIES), calls - ringing - made);
      const rec: Rec = {
        id: oidAt(r, first - r.int(60, 3600) * 1000),
        campaign: r.pick(this.campaigns),
        number: `09${r.pick(['12', '13', '19', '35', '36', '01', '02', '21'])}${String(r.int(0, 9_999_999)).padStart(7, '0')}`,
        tries: [],
        changed: first,
        stringNumbers: r.next() < 0.1,
      };
      let t = first;
      for (let i = 0; i < want && t < end; i++) {
        const tr = recent ? this.ringingTry(t) : this.newTry(t, i < want - 1);
        rec.tries.push(tr);
        rec.changed = tr.changed;
        t += r.int(15, 180) * 60_000;
      }
      made += rec.tries.length;
      recs.push(rec);
    }
    recs.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const rec of recs) this.addRecord(rec);
    this.clock = recs.reduce((m, x) => Math.max(m, x.changed), end);
  }

  private addRecord(rec: Rec): void {
    this.records.push(rec);
    for (const t of rec.tries) {
      this.byCdr.set(t.cdr, { rec, t });
      this.expected.push(expectedOf(rec, t));
    }
  }

  private newTry(start: number, earlier: boolean): Try {
    const r = this.r;
    const [disposition, normalized] = r.weighted(earlier ? EARLIER_TRY : LAST_TRY);
    const answered = normalized === 'answered';
    const wait = disposition === 'FAILED' || disposition === 'CONGESTION' ? r.int(0, 2) : r.int(1, 30);
    return { cdr: oidAt(r, start), disposition, normalized, start, wait, billsec: answered ? r.int(1, 400) : 0, changed: start };
  }

  private ringingTry(start: number): Try {
    return { cdr: oidAt(this.r, start), disposition: 'RINGING', normalized: 'pending', start, wait: this.r.int(5, 25), billsec: 0, changed: start };
  }

  private tick(): number {
    this.clock += this.r.int(1, 5) * 60_000;
    return this.clock;
  }

  /** New calls: even ones on new records, odd ones as a new try of a number not reached yet (when there is one). */
  add(count: number): ExpectedCall[] {
    const before = this.expected.length;
    const retry = this.records.filter((x) => {
      const last = x.tries[x.tries.length - 1]!;
      return x.tries.length < MAX_TRIES && last.normalized !== 'answered' && last.disposition !== 'RINGING';
    });
    for (let i = 0; i < count; i++) {
      const t = this.tick();
      const again = i % 2 === 1 ? retry.shift() : undefined;
      if (again) {
        const tr = this.newTry(t, false);
        again.tries.push(tr);
        again.changed = t;
        again.json = undefined;
        this.byCdr.set(tr.cdr, { rec: again, t: tr });
        this.expected.push(expectedOf(again, tr));
        continue;
      }
      const rec: Rec = {
        id: oidAt(this.r, t),
        campaign: this.campaigns[i % this.campaigns.length]!,
        number: `0912${String(this.r.int(0, 9_999_999)).padStart(7, '0')}`,
        tries: [this.newTry(t, false)],
        changed: t,
        stringNumbers: false,
      };
      this.addRecord(rec);
    }
    return this.expected.slice(before);
  }

  /** Tries that were ringing end now (same cdr_id, now with a disposition). At most as many as are ringing. */
  update(count: number): ExpectedCall[] {
    const out: ExpectedCall[] = [];
    const ringing = this.records.filter((x) => x.tries[x.tries.length - 1]!.disposition === 'RINGING');
    for (const rec of ringing.slice(0, count)) {
      const now = this.tick();
      const last = rec.tries[rec.tries.length - 1]!;
      const [disposition, normalized] = this.r.weighted(LAST_TRY);
      last.disposition = disposition;
      last.normalized = normalized;
      last.billsec = normalized === 'answered' ? this.r.int(5, 200) : 0;
      last.changed = now;
      rec.changed = now;
      rec.json = undefined;
      const e = expectedOf(rec, last);
      this.expected[this.expected.findIndex((x) => x.callId === last.cdr)] = e;
      out.push(e);
    }
    return out;
  }
}

class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const b = JSON.parse(text) as unknown;
    if (b && typeof b === 'object' && !Array.isArray(b)) return b as Record<string, unknown>;
  } catch {
    /* below */
  }
  throw new ApiError(400, 'Invalid JSON body');
}

function minute(text: unknown, field: string, edge: 'from' | 'to'): number | null {
  if (text === undefined || text === null || text === '') return null;
  try {
    const ms = parseNaiveDateTime(String(text), ZONE)!;
    return edge === 'to' ? Math.floor(ms / 60_000) * 60_000 + 59_999 : ms;
  } catch {
    throw new ApiError(400, `${field} is not a valid date (YYYY-MM-DD HH:MM)`);
  }
}

export interface AutodialerSimulator extends RunningSimulator {
  /** Every record (number in a campaign) the provider holds. */
  recordCount(): number;
  /** How many reports/info requests were served. */
  infoRequests(): number;
}

export async function startAutodialerV4Sim(options: SimulatorOptions = {}): Promise<AutodialerSimulator> {
  const seed = options.seed ?? 0;
  const end = options.end ?? DEFAULT_END;
  const start = options.start ?? end - 30 * DAY;
  const data = new AutodialerData(seed, options.calls ?? 240, start, end);
  const secrets = { apiKey: `9UV0${data.r.hex(20).toUpperCase()}${seed}`, username: 'sadr', password: `Sadr@${seed}23` };
  const basic = `Basic ${Buffer.from(`${secrets.username}:${secrets.password}`).toString('base64')}`;
  let infoCount = 0;
  const dialect = pickDialect(AUTODIALER_V4_DIALECTS, options.dialect, 'autodialer-v4');
  const orderedPage = options.pageSize ?? ORDERED_PAGE;
  const ok = dialect === 'success-text' ? 'true' : 1;
  const asText = (n: number) => (dialect === 'success-text' ? String(n) : n);
  let faults: FaultController | null = null;

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => {
    const reply = (status: number, body: unknown) => sendJson(res, status, body, fault);
    try {
      if (req.headers['x-apikey'] !== secrets.apiKey) throw new ApiError(403, 'Invalid API key');
      if (req.headers.authorization !== basic) throw new ApiError(401, 'Authentication failed: wrong username or password');
      if (req.method !== 'POST') throw new ApiError(405, 'Method not allowed');
      const body = parseBody(await readRequestBody(req));
      switch (url.pathname) {
        case '/api/v4/autodialer/reports/ordered/id': {
          const asked = dialect === 'id_-param' ? body.id_ : body._id;
          const after = faults!.paging.ignoreOffset ? '' : String(asked ?? '');
          const records = faults!.visible(data.records, orderedPage);
          const i = after === '' ? 0 : records.findIndex((x) => (dialect === 'inclusive-cursor' ? x.id >= after : x.id > after));
          const page = i < 0 ? [] : records.slice(i, i + orderedPage);
          const lastId = page.length ? page[page.length - 1]!.id : after;
          const out: Record<string, unknown> = { data: page.map(recordJson) };
          if (dialect !== 'no-last-id') out.last_id = lastId;
          reply(200, { success: ok, message: '', data: out });
          return;
        }
        case '/api/v4/autodialer/reports/search': {
          const pg = (body.pagination ?? {}) as Record<string, unknown>;
          const s = Number(pg.start ?? 0);
          const count = Math.min(Number(pg.count ?? 20), options.pageSize ?? Infinity);
          if (!Number.isInteger(s) || s < 0 || !Number.isInteger(count) || count < 1) throw new ApiError(400, 'pagination is not valid');
          const dr = (body.date_range ?? {}) as Record<string, unknown>;
          const from = minute(dr.from, 'date_range.from', 'from');
          const to = minute(dr.to, 'date_range.to', 'to');
          const cond = (body.conditions ?? {}) as Record<string, unknown>;
          const alike = String(body.alike ?? 'false') === 'true';
          const disp = String(cond.disposition ?? '');
          const camp = String(cond.campaign_id ?? '');
          const num = String(cond.number ?? '');
          const rows = data.records
            .filter((x) => {
              if ((from !== null && x.changed < from) || (to !== null && x.changed > to)) return false;
              if (camp && x.campaign.id !== camp) return false;
              if (num && !(alike ? x.number.includes(num) : x.number === num)) return false;
              if (disp && recordJson(x).disposition !== disp) return false;
              return true;
            })
            .sort((a, b) => b.changed - a.changed || (a.id < b.id ? 1 : -1));
          const at = faults!.pagedStart(s);
          const served = faults!.paging.ignoreOffset ? 0 : s;
          reply(200, {
            success: ok,
            message: '',
            data: { pagination: { start: asText(served), count: asText(count), sorting: { date: -1 }, total: asText(rows.length) }, data: faults!.visible(rows, count).slice(at, at + count).map(recordJson) },
          });
          return;
        }
        case '/api/v4/autodialer/reports/info': {
          infoCount++;
          const id = String(body._id ?? '');
          const hit = data.byCdr.get(id);
          if (!hit) {
            reply(200, { success: 0, message: 'Report not found' });
            return;
          }
          const n = (x: number) => (hit.rec.stringNumbers ? String(x) : x);
          reply(200, {
            success: ok,
            message: 'Requested operation is done successfully',
            data: {
              dcontext: `poll${String((data.campaigns.indexOf(hit.rec.campaign) % 9) + 1).padStart(2, '0')}`,
              amaflags: 'DOCUMENTATION',
              channel: `SIP/dahdi-${(parseInt(hit.t.cdr.slice(-4), 16) % 0xffff).toString(16).padStart(8, '0')}`,
              duration: n(durationOf(hit.t)),
              wait: n(hit.t.wait),
            },
          });
          return;
        }
        default:
          throw new ApiError(404, `No route for ${url.pathname}`);
      }
    } catch (err) {
      if (err instanceof ApiError) reply(err.status, { success: 0, message: err.message });
      else throw err;
    }
  };

  const server = await startSimServer(handler, { port: options.port, faults: options.faults, latencyMs: options.latencyMs });
  faults = server.faults;
  return {
    provider: 'autodialer-v4',
    dialect,
    baseUrl: server.baseUrl,
    secrets,
    timezone: ZONE,
    expected: data.expected,
    ids: [],
    unknownIds: [],
    faults: server.faults,
    mutate: (change, count) => (change === 'add' ? data.add(count) : data.update(count)),
    close: () => server.close(),
    recordCount: () => data.records.length,
    infoRequests: () => infoCount,
  };
}

export const startAutodialerV4: StartSimulator = startAutodialerV4Sim;
