// Sarv voice report simulator (seed 004): fetch_report.php by GET query or POST form (urlencoded or multipart),
// the documented envelope with its trailing comma after an unknown id, error codes 001/002/005, and error 019
// when a request carries more unique ids than the (configurable) per-call limit. Dialects follow the readings the
// document leaves open (docs/providers/sarv-voice.md): where the results live, how an unknown id is answered, how
// the id limit shows.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatus } from '../../../shared/cdr.ts';
import { toIsoUtc, wallTimeAt } from '../../time/zone.ts';
import { readRequestBody, sendJson, type Fault } from '../simulation/faults.ts';
import { seededRng, type Rng } from '../simulation/random.ts';
import { startSimServer } from '../simulation/server.ts';
import type { ExpectedCall, RunningSimulator, SimulatorOptions } from '../simulation/types.ts';

const ZONE = 'Asia/Kolkata';
const PATH = '/api/voice/fetch_report.php';
const DEFAULT_END = Date.UTC(2024, 10, 1);
const DAY = 86_400_000;
/** One per open reading of the document; 'seed' is its own examples (trailing comma and all). */
export const SARV_DIALECTS = [
  'seed',
  /** The unknown id's entry as strict JSON (no trailing comma). */
  'strict-json',
  /** The per-id results under `desc`, as the Return Value table names them, and no `data`. */
  'desc-key',
  /** Unknown ids left out of the results. */
  'unknown-absent',
  /** An unknown id's entry as a bare text: `"abcd":"Invalid Unique Id"`. */
  'unknown-entry-text',
  /** A batch holding an unknown id is refused as a whole: `{"status":"error","desc":"Invalid Unique Id"}`. */
  'unknown-batch-error',
  /** A batch holding an unknown id gets a 404 HTML page. */
  'unknown-html-404',
  /** Past the id limit, only the first ids are answered (no error 019). */
  'truncate-batch',
  /** Error 019 comes with HTTP 400. */
  'limit-http-400',
  /** Codes as JSON numbers (`"code":0`, `"code":19`). */
  'numeric-code',
  /** Parameters read from the query string only (the document's GET form): a POST body is not seen. */
  'get-only',
  /** Each call's fields under its entry's `desc` (the table's per-id columns are status and desc), not `data`. */
  'record-in-desc',
] as const;
export type SarvDialect = (typeof SARV_DIALECTS)[number];

function dialectOf(name: string | null | undefined, fallback: SarvDialect): SarvDialect {
  if (name === null || name === undefined || name === '') return fallback;
  if (!(SARV_DIALECTS as readonly string[]).includes(name)) throw new Error(`sarv-voice simulator has no dialect "${name}" (${SARV_DIALECTS.join(', ')})`);
  return name as SarvDialect;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface SarvSimulatorOptions extends SimulatorOptions {
  /** Unique ids accepted per request; more get error 019. Sarv does not document its limit. */
  maxIdsPerCall?: number;
}

export interface SarvSimulator extends RunningSimulator {
  /** Can be changed while running. */
  maxIdsPerCall: number;
  /** Requests refused with 019 so far. */
  limitRefusals: number;
}

type Outcome = Exclude<CallStatus, 'invalid_number' | 'cancelled' | 'unknown'>;

/** How Sarv's panel words each outcome in `report` (its own spelling, "Congession" included). */
const REPORT: Record<Outcome, string> = {
  answered: 'Answered',
  no_answer: 'No Answer',
  busy: 'Busy',
  congestion: 'Congession',
  failed: 'Failed',
  pending: 'Pending',
};

interface SarvCall {
  id: string;
  number: string;
  outcome: Outcome;
  start: number | null;
  connect: number | null;
  end: number | null;
  /** Connected seconds, as Sarv's `duration`. */
  duration: number | null;
  dtmf: string;
}

/** '10-Oct-2017 2:34:58 PM' in India. */
function sarvTime(ms: number | null): string {
  if (ms === null) return '';
  const w = wallTimeAt(ZONE, ms);
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.day}-${MONTHS[w.month - 1]}-${w.year} ${h12}:${p(w.minute)}:${p(w.second)} ${w.hour < 12 ? 'AM' : 'PM'}`;
}

function indianNumber(r: Rng): string {
  const mobile = `${r.pick(['6', '7', '8', '9'])}${r.digits(9)}`;
  // Mostly bare 10-digit mobiles; some with the trunk 0 or the country code, which must survive as text.
  return r.weighted([[mobile, 8], [`0${mobile}`, 1], [`91${mobile}`, 1]]);
}

/** Fills in the timeline of `call` for `outcome`, starting at `start`. */
function playOut(r: Rng, call: SarvCall, outcome: Outcome, start: number): void {
  call.outcome = outcome;
  call.dtmf = '';
  if (outcome === 'pending') {
    Object.assign(call, { start: null, connect: null, end: null, duration: null });
    return;
  }
  call.start = start;
  if (outcome === 'answered') {
    call.connect = start + r.int(3, 25) * 1000;
    call.duration = r.int(1, 240);
    call.end = call.connect + call.duration * 1000;
    call.dtmf = r.weighted([['', 6], ['1', 2], ['2', 1], ['9', 1]]);
    return;
  }
  const ringSec = outcome === 'no_answer' ? r.int(25, 45) : outcome === 'busy' ? r.int(2, 8) : r.int(0, 13);
  call.end = start + ringSec * 1000;
  call.connect = call.end; // as in the seed's congested call: time_connect = time_end, duration 0
  call.duration = 0;
}

function expectedOf(c: SarvCall): ExpectedCall {
  const answered = c.outcome === 'answered';
  return {
    callId: c.id,
    status: c.outcome,
    providerStatus: REPORT[c.outcome],
    direction: 'out',
    source: null,
    destination: c.number,
    campaign: null,
    startedAt: toIsoUtc(c.start),
    answeredAt: answered ? toIsoUtc(c.connect) : null,
    endedAt: toIsoUtc(c.end),
    durationSec: c.duration,
    billSec: c.duration === null ? null : answered ? c.duration : 0,
    agent: null,
    contact: null,
  };
}

function entryText(c: SarvCall | undefined, dialect: SarvDialect): string {
  // Unknown ids: exactly the documented shape, trailing comma and all.
  if (!c && dialect === 'unknown-entry-text') return '"Invalid Unique Id"';
  if (!c) return `{\n"status":"error",\n"desc":"invalid unique id"${dialect === 'strict-json' ? '' : ','}\n}`;
  const data = {
    status: c.outcome === 'pending' ? 'Pending' : 'Dialed',
    report: REPORT[c.outcome],
    contact_number: c.number,
    duration: c.duration === null ? '' : String(c.duration),
    time_start: sarvTime(c.start),
    time_connect: sarvTime(c.connect),
    time_end: sarvTime(c.end),
    dtmf: c.dtmf,
  };
  const fields = Object.entries(data).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (dialect === 'record-in-desc') return `{\n"status":"success",\n"desc":{\n${fields.join(',\n')}\n}\n}`;
  return `{\n"status":"success",\n"desc":"unique id fetched found",\n"data":{\n${fields.join(',\n')}\n}\n}`;
}

function reportText(ids: readonly string[], calls: ReadonlyMap<string, SarvCall>, dialect: SarvDialect): string {
  const answered = [...new Set(ids)].filter((id) => dialect !== 'unknown-absent' || calls.has(id));
  const entries = answered.map((id) => `${JSON.stringify(id)}:${entryText(calls.get(id), dialect)}`);
  const code = dialect === 'numeric-code' ? '0' : '"000"';
  const results = `{\n${entries.join(',\n')}\n}`;
  if (dialect === 'desc-key') return `{\n"status":"success",\n"code":${code},\n"desc":${results}\n}`;
  return `{\n"status":"success",\n"code":${code},\n"desc":"Request Submitted Successfully",\n"data":${results}\n}`;
}

function errorBody(code: string, desc: string, dialect: SarvDialect): unknown {
  return { status: 'error', code: dialect === 'numeric-code' ? Number(code) : code, desc };
}

/** Fields of a multipart/form-data body (what the seed's `request.post({formData})` sends). */
function multipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const out: Record<string, string> = {};
  if (!boundary) return out;
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const m = /name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n?$/.exec(part);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

async function requestParams(req: IncomingMessage, url: URL, dialect: SarvDialect): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  delete params.dialect;
  if (req.method !== 'POST' || dialect === 'get-only') return params;
  const body = await readRequestBody(req);
  const type = String(req.headers['content-type'] ?? '');
  if (/multipart\/form-data/i.test(type)) return { ...params, ...multipartFields(body, type) };
  return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
}

export async function startSarvVoiceSim(options: SarvSimulatorOptions = {}): Promise<SarvSimulator> {
  const dialect = dialectOf(options.dialect, 'seed');
  const r = seededRng(options.seed ?? 4);
  const end = options.end ?? DEFAULT_END;
  const start = options.start ?? end - 30 * DAY;
  const secrets = { username: 'demo.sarv', token: `sarv${r.hex(24)}` };
  const calls = new Map<string, SarvCall>();
  const ids: string[] = [];
  const unknownIds: string[] = [];
  let serial = 0;

  const addCall = (): SarvCall => {
    serial++;
    const campaign = 5950 + Math.floor(serial / 40);
    const at = start + Math.floor((r.next() * (end - start)) / 1000) * 1000;
    const day = String(wallTimeAt(ZONE, at).day).padStart(2, '0');
    const call: SarvCall = { id: `${campaign}_${serial}_${day}-u1`, number: indianNumber(r), outcome: 'pending', start: null, connect: null, end: null, duration: null, dtmf: '' };
    const outcome = r.weighted<Outcome>([['answered', 45], ['no_answer', 20], ['busy', 10], ['congestion', 8], ['failed', 7], ['pending', 10]]);
    playOut(r, call, outcome, at);
    calls.set(call.id, call);
    ids.push(call.id);
    return call;
  };
  const count = options.calls ?? 120;
  for (let i = 0; i < count; i++) {
    addCall();
    // A few ids the provider never issued, among the real ones, as a pasted list would have them.
    if (i % 50 === 7) {
      const bogus = unknownIds.length === 0 ? 'abcd' : `5950_${90000 + i}_01-u9`;
      unknownIds.push(bogus);
      ids.push(bogus);
    }
  }

  const sim: SarvSimulator = {
    provider: 'sarv-voice',
    baseUrl: '',
    secrets,
    timezone: ZONE,
    get expected() {
      return [...calls.values()].map(expectedOf);
    },
    ids,
    unknownIds,
    faults: undefined as unknown as SarvSimulator['faults'],
    maxIdsPerCall: options.maxIdsPerCall ?? 10,
    limitRefusals: 0,
    mutate(change, n) {
      const changed: SarvCall[] = [];
      if (change === 'add') for (let i = 0; i < n; i++) changed.push(addCall());
      else {
        // Calls still pending get their final outcome, e.g. answered a little later.
        for (const c of [...calls.values()].filter((x) => x.outcome === 'pending').slice(0, n)) {
          playOut(r, c, r.weighted<Outcome>([['answered', 3], ['no_answer', 1], ['busy', 1]]), end - r.int(60, 3600) * 1000);
          changed.push(c);
        }
      }
      return changed.map(expectedOf);
    },
    close: async () => {},
  };

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => {
    if (url.pathname !== PATH) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const d = dialectOf(url.searchParams.get('dialect'), dialect);
    const p = await requestParams(req, url, d);
    const reply = (body: unknown, status = 200) => sendJson(res, status, body, fault);
    if (!('username' in p) || !('token' in p) || !('unique_ids' in p)) return reply(errorBody('001', 'Parameter Missing .', d));
    if (!p.username!.trim() || !p.token!.trim() || !p.unique_ids!.trim()) return reply(errorBody('002', 'Parameter is blank.', d));
    if (p.username !== secrets.username || p.token !== secrets.token) return reply(errorBody('005', 'Invalid Credentials.', d));
    let asked = p.unique_ids!.split(',').map((s) => s.trim()).filter(Boolean);
    if (asked.length > sim.maxIdsPerCall) {
      if (d === 'truncate-batch') asked = asked.slice(0, sim.maxIdsPerCall);
      else {
        sim.limitRefusals++;
        return reply(errorBody('019', 'Exceeded unique ids limit for single api call .', d), d === 'limit-http-400' ? 400 : 200);
      }
    }
    if (asked.some((id) => !calls.has(id))) {
      if (d === 'unknown-batch-error') return reply({ status: 'error', desc: 'Invalid Unique Id' });
      if (d === 'unknown-html-404') {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
        return;
      }
    }
    sendJson(res, 200, null, fault, reportText(asked, calls, d));
  };
  const server = await startSimServer(handler, { port: options.port, faults: options.faults, latencyMs: options.latencyMs });
  sim.baseUrl = server.baseUrl;
  sim.faults = server.faults;
  sim.close = server.close;
  return sim;
}
