// Sarv (India) voice report, seed 004: POST {base}/api/voice/fetch_report.php with username, token and a
// comma-separated batch of unique_ids. Calls can only be read by id. The documented body carries a trailing
// comma (not strict JSON); the per-call id limit (error 019) is undocumented, so batches shrink until accepted.
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import type { HttpRequest } from '../../net/http.ts';
import { providerError, wrongAddressError } from '../../net/provider-error.ts';
import { TimeFormatError } from '../../time/parse.ts';
import { zonedToEpochMs } from '../../time/zone.ts';
import { int, text } from '../fields.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

export const SARV_REPORT_PATH = '/api/voice/fetch_report.php';
/** A modest first batch (descriptor limits): the submit API takes at most 50 numbers a call, the report limit is unknown. */
export const SARV_FIRST_BATCH = requiredLimit('sarv-voice', 'batch');

/** JSON.parse after removing commas that stand right before `}` or `]` (outside strings), as Sarv sends them. */
export function parseTolerantJson(source: string): unknown {
  let out = '';
  let inString = false;
  let pendingComma = -1; // index in `out` of a comma not yet known to be followed by a value
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += source[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if ((ch === '}' || ch === ']') && pendingComma >= 0) {
      out = out.slice(0, pendingComma) + out.slice(pendingComma + 1);
    }
    if (ch === ',') pendingComma = out.length;
    else if (!/\s/.test(ch)) pendingComma = -1;
    if (ch === '"') inString = true;
    out += ch;
  }
  return JSON.parse(out);
}

/** Sarv's response codes (seed 004), as one clear sentence each. 019 is handled by shrinking the batch. */
const ERROR_CODES: Record<string, string> = {
  '001': 'a required parameter is missing (username, token or unique_ids)',
  '002': 'a required parameter is blank (username, token or unique_ids)',
  '003': "this computer's IP address is not in the account's Sarv whitelist",
  '004': 'invalid user type (the Sarv user may not use the voice report API)',
  '005': 'invalid credentials (check the username and token)',
  '006': 'the Sarv user is inactive',
  '019': 'too many unique ids in one request',
};

/** Sarv's `report` texts (normalized: lower case, letters only) onto the normalized statuses. */
const STATUS_BY_REPORT: Record<string, CallStatus> = {
  answered: 'answered',
  answer: 'answered',
  connected: 'answered',
  noanswer: 'no_answer',
  notanswered: 'no_answer',
  unanswered: 'no_answer',
  busy: 'busy',
  congession: 'congestion', // sic, as Sarv spells it
  congestion: 'congestion',
  failed: 'failed',
  fail: 'failed',
  rejected: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancel: 'cancelled',
  invalidnumber: 'invalid_number',
  invalid: 'invalid_number',
};

/** Sarv's own `status` of an entry that is not over yet ("Pending"; a finished one is "Dialed"). */
const NOT_FINAL = new Set(['pending', 'queued', 'dialing', 'ringing', 'inprogress']);

export function sarvStatus(report: unknown): CallStatus {
  const key = typeof report === 'string' ? report.toLowerCase().replace(/[^a-z]/g, '') : '';
  return STATUS_BY_REPORT[key] ?? 'unknown';
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const SARV_TIME = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])$/;

/** '10-Oct-2017 2:34:58 PM' as a wall time in `zone`; '' is null. */
export function parseSarvTime(value: unknown, zone: string): number | null {
  const t = text(value)?.trim();
  if (!t) return null;
  const m = SARV_TIME.exec(t);
  const month = m ? MONTHS[m[2]!.toLowerCase()] : undefined;
  if (!m || !month) throw new TimeFormatError(`"${t}" is not a time like 10-Oct-2017 2:34:58 PM`);
  const h12 = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? 0);
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (h12 < 1 || h12 > 12 || minute > 59 || second > 59 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw new TimeFormatError(`"${t}" is not a valid time`);
  }
  const hour = (h12 % 12) + (m[7]!.toLowerCase() === 'pm' ? 12 : 0);
  return zonedToEpochMs(zone, { year, month, day, hour, minute, second });
}

interface SarvEntry {
  status?: string;
  desc?: unknown;
  data?: Record<string, unknown>;
}

interface SarvBody {
  status?: string;
  code?: unknown;
  desc?: unknown;
  data?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A call's own fields, under the entry's `data` (the examples) or `desc` (the table's per-id columns). */
function recordOf(entry: SarvEntry): Record<string, unknown> | null {
  if (isObject(entry.data)) return entry.data;
  return isObject(entry.desc) ? entry.desc : null;
}

/** One per-id entry onto the record model. `raw` keeps the entry as received. */
export function mapSarvEntry(callId: string, entry: SarvEntry, zone: string, account: string): NormalizedCdr {
  const d = recordOf(entry) ?? {};
  const status = NOT_FINAL.has(String(d.status ?? '').toLowerCase().replace(/[^a-z]/g, '')) ? 'pending' : sarvStatus(d.report);
  const time = (field: string) => {
    try {
      return parseSarvTime(d[field], zone);
    } catch (err) {
      throw new UserError(`sarv-voice call ${callId}: ${field} ${(err as Error).message}`, account);
    }
  };
  let durationSec: number | null;
  try {
    durationSec = int(d.duration, 'duration');
  } catch (err) {
    throw new UserError(`sarv-voice call ${callId}: ${(err as Error).message}`, account);
  }
  const startedAt = time('time_start');
  const connectedAt = time('time_connect');
  // time_connect is filled even for congested calls (it equals time_end there): only an answer is a pick-up.
  const answeredAt = status === 'answered' ? connectedAt : null;
  return {
    callId,
    campaignId: null,
    campaign: null,
    direction: 'out', // voice broadcast: Sarv dials the contact
    source: null,
    destination: text(d.contact_number),
    status,
    providerStatus: text(d.report),
    startedAt,
    answeredAt,
    endedAt: time('time_end'),
    // Sarv's duration is the connected time (1 s in the seed's answered call that ran 6 s from dialing).
    durationSec,
    billSec: status === 'answered' || durationSec === null ? durationSec : 0,
    waitSec: answeredAt !== null && startedAt !== null ? Math.max(0, Math.round((answeredAt - startedAt) / 1000)) : null,
    keypress: text(d.dtmf),
    agent: null,
    recording: null,
    extraText: null,
    raw: entry,
  };
}

function errorMessage(code: string, desc: unknown, username: string): string {
  const known = ERROR_CODES[code];
  const theirs = typeof desc === 'string' && desc.trim() ? ` ("${desc.trim()}")` : '';
  return `Sarv refused the report request for user "${username}": ${known ? `error ${code}, ${known}` : `error ${code}`}${theirs}`;
}

/** Sarv's words for an id it does not know ("invalid unique id", "Invalid Unique Id", "data not found"...). */
const NOT_FOUND = /invalid\s*unique\s*id|not\s*found|not\s*exist|no\s+(data|record)|invalid\s+id|unknown\s+(unique\s+)?id/i;

/** The code as Sarv's three digits, whether it came as "019" or 19. */
function codeOf(body: SarvBody): string {
  const c = body.code;
  if (typeof c === 'number' && Number.isInteger(c)) return String(c).padStart(3, '0');
  return typeof c === 'string' ? c.trim() : '';
}

/**
 * What one request's answer says. `rejected`: the whole batch was refused in a way that blames an id (an error
 * envelope saying "invalid unique id", or a bare 404 page once the URL is proven): it is split until the unknown
 * ids stand alone. `proven` says whether the answer itself came from the API (its JSON envelope).
 */
type BatchAnswer =
  | { kind: 'report'; results: Record<string, unknown> }
  | { kind: 'shrink' }
  | { kind: 'rejected'; proven: boolean; status: number }
  /** Parameters missing although sent in the body: the server reads the query string only. */
  | { kind: 'missing' };

async function askBatch(ctx: AdapterContext, ids: readonly string[], method: 'POST' | 'GET'): Promise<BatchAnswer> {
  const username = ctx.secrets.username ?? '';
  const params = { username, token: ctx.secrets.token ?? '', unique_ids: ids.join(',') };
  const req: HttpRequest = {
    method,
    path: SARV_REPORT_PATH,
    ...(method === 'GET'
      ? { query: params, headers: { accept: 'application/json' } }
      : { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(params).toString() }),
    signal: ctx.signal,
  };
  const res = await ctx.http.request(req);
  let body: SarvBody | null = null;
  try {
    const parsed = parseTolerantJson(res.text);
    body = isObject(parsed) ? (parsed as SarvBody) : null;
  } catch {
    body = null;
  }
  if (!body) {
    const snippet = ctx.http.redact(res.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80));
    if (res.status === 404 || res.status === 410 || NOT_FOUND.test(snippet)) return { kind: 'rejected', proven: false, status: res.status };
    throw ctx.http.notJson(req, res);
  }
  const code = codeOf(body);
  if (code === '019') return { kind: 'shrink' };
  if (code === '001' && method === 'POST') return { kind: 'missing' };
  const success = String(body.status ?? '').toLowerCase() === 'success' && (code === '' || code === '000');
  if (!success) {
    const refusal = (providerMessage: string) =>
      providerError(ctx.http, { provider: 'sarv-voice', path: SARV_REPORT_PATH, status: res.status, providerMessage, credentialsHint: 'check the username and token' });
    if (ERROR_CODES[code] || (code && !NOT_FOUND.test(String(body.desc ?? '')))) throw refusal(errorMessage(code, body.desc, username));
    if (NOT_FOUND.test(String(body.desc ?? '')) || res.status === 404) return { kind: 'rejected', proven: true, status: res.status };
    throw refusal(`no report in the answer (status "${String(body.status)}")`);
  }
  if (res.status >= 400) throw providerError(ctx.http, { provider: 'sarv-voice', path: SARV_REPORT_PATH, status: res.status, credentialsHint: 'check the username and token' });
  // The examples keep the per-id results under `data`; the Return Value table names them `desc`.
  const results = isObject(body.data) ? body.data : isObject(body.desc) ? body.desc : null;
  if (!results) throw new UserError(`Sarv answered success without per-id results (neither "data" nor "desc" holds them)`, ctx.account.name);
  return { kind: 'report', results };
}

/** The learned batch size is kept as the cursor so the next sync starts below Sarv's limit. */
function startBatch(cursor: unknown): number {
  const n = (cursor as { batch?: unknown } | null)?.batch;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, SARV_FIRST_BATCH) : SARV_FIRST_BATCH;
}

/** The entry about one id: a call, "unknown", or nothing usable (a success entry without a call). */
function readEntry(ctx: AdapterContext, id: string, entry: unknown): NormalizedCdr | 'notFound' {
  if (!isObject(entry)) return 'notFound'; // a bare text ("Invalid Unique Id") or null
  const e = entry as SarvEntry;
  const record = recordOf(e);
  if (String(e.status ?? '').toLowerCase() !== 'success' || !record) return 'notFound';
  return mapSarvEntry(id, e, ctx.account.timezone, ctx.account.name);
}

/** A bare 404 page before any answer of the API: the base URL is the likelier culprit than an unknown id. */
function wrongBaseUrl(ctx: AdapterContext): UserError {
  return wrongAddressError(ctx.http, 'sarv-voice', SARV_REPORT_PATH, ctx.account.baseUrl);
}

function halves<T>(xs: readonly T[]): T[][] {
  const mid = Math.ceil(xs.length / 2);
  return [xs.slice(0, mid), xs.slice(mid)];
}

/**
 * The ids still to ask, in order, taken from the front by moving a start index: splicing each batch off the front
 * of the array moved every id behind it, so a sync's cost grew with the square of its ids.
 */
class IdQueue {
  private ids: readonly string[];
  private start = 0;

  constructor(ids: readonly string[]) {
    this.ids = ids;
  }

  get length(): number {
    return this.ids.length - this.start;
  }

  take(n: number): string[] {
    const out = this.ids.slice(this.start, this.start + n);
    this.start += out.length;
    return out;
  }

  /** Ids to ask again before the rest (a refused or cut batch: rare, so the queue is rebuilt). */
  putBack(ids: readonly string[]): void {
    this.ids = [...ids, ...this.ids.slice(this.start)];
    this.start = 0;
  }
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const ids = [...new Set(ctx.ids)];
  const learned = startBatch(ctx.cursor);
  let batch = learned;
  let method: 'POST' | 'GET' = 'POST';
  // True once an answer of this sync came from the API itself: a bare 404 page then blames an id, not the URL.
  let urlProven = false;
  const todo = new IdQueue(ids);
  /** Batches to ask as they are: halves of a refused batch, or ids a batch left unanswered. */
  const forced: string[][] = [];
  let settled = 0;
  while (forced.length || todo.length) {
    const chunk = forced.shift() ?? todo.take(batch);
    const answer = await askBatch(ctx, chunk, method);
    if (answer.kind === 'missing') {
      // The document's first form is a GET with the query string; some servers read nothing else.
      method = 'GET';
      forced.unshift(chunk);
      continue;
    }
    if (answer.kind === 'shrink') {
      if (chunk.length === 1) throw new UserError('Sarv refuses even a single unique id per request (error 019, unique ids limit)', ctx.account.name);
      batch = Math.max(1, Math.floor(chunk.length / 2));
      todo.putBack(chunk); // the same ids again, fewer at a time
      continue;
    }
    const page: SyncPage = { cdrs: [], notFound: [], final: [], asked: chunk };
    if (answer.kind === 'rejected') {
      urlProven ||= answer.proven;
      if (chunk.length > 1) {
        // Which id is to blame is not said: halve until the unknown ones stand alone.
        forced.unshift(...halves(chunk));
        continue;
      }
      if (!urlProven) throw wrongBaseUrl(ctx);
      page.notFound!.push(chunk[0]!);
    } else {
      urlProven = true;
      const unanswered: string[] = [];
      for (const id of chunk) {
        if (!(id in answer.results)) {
          unanswered.push(id);
          continue;
        }
        const r = readEntry(ctx, id, answer.results[id]);
        if (r === 'notFound') page.notFound!.push(id);
        else {
          page.cdrs.push(r);
          if (r.status !== 'unknown' && r.status !== 'pending') page.final!.push(id);
        }
      }
      if (unanswered.length === chunk.length && chunk.length === 1) page.notFound!.push(chunk[0]!); // asked alone, not answered: unknown
      else if (unanswered.length) {
        // Left out of the answer. A cut tail means a silent id limit: ask fewer at a time. Others are asked alone.
        const answeredCount = chunk.length - unanswered.length;
        const isTail = answeredCount > 0 && unanswered.every((id, i) => id === chunk[answeredCount + i]);
        if (isTail) {
          batch = Math.min(batch, answeredCount);
          todo.putBack(unanswered);
        } else forced.unshift(...(answeredCount === 0 ? halves(unanswered) : unanswered.map((id) => [id])));
      }
    }
    settled += page.cdrs.length + page.notFound!.length;
    if (batch !== learned) page.cursor = { batch };
    page.progress = { done: settled, total: ids.length };
    yield page;
  }
}

export const sarvVoiceAdapter: ProviderAdapter = {
  descriptor: PROVIDERS['sarv-voice'],
  pages,
  async testConnection(ctx) {
    // An id that cannot exist: good credentials answer success with a per-id error (or refuse the id); bad ones an
    // error code. A bare 404 page cannot tell a wrong URL from an unknown id: it is reported as a possibly wrong URL.
    let answer = await askBatch(ctx, ['cdr-desk-connection-check'], 'POST');
    if (answer.kind === 'missing') answer = await askBatch(ctx, ['cdr-desk-connection-check'], 'GET');
    if (answer.kind === 'rejected' && !answer.proven) throw wrongBaseUrl(ctx);
  },
};
