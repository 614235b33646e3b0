// Sarv (India) voice report, seed 004: POST {base}/api/voice/fetch_report.php with username, token and a
// comma-separated batch of unique_ids. Calls can only be read by id. The documented body carries a trailing
// comma (not strict JSON); the per-call id limit (error 019) is undocumented, so batches shrink until accepted.
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import { providerError, wrongAddress } from '../../net/provider-error.ts';
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
  desc?: string;
  data?: Record<string, unknown>;
}

interface SarvBody {
  status?: string;
  code?: string;
  desc?: unknown;
  data?: Record<string, SarvEntry>;
}

/** One per-id entry onto the record model. `raw` keeps the entry as received. */
export function mapSarvEntry(callId: string, entry: SarvEntry, zone: string, account: string): NormalizedCdr {
  const d = entry.data ?? {};
  const status = sarvStatus(d.report);
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

/** Fetches one batch: the parsed body, or 'shrink' when Sarv says the batch holds too many ids (019). */
async function fetchBatch(ctx: AdapterContext, ids: readonly string[]): Promise<SarvBody | 'shrink'> {
  const username = ctx.secrets.username ?? '';
  const form = new URLSearchParams({ username, token: ctx.secrets.token ?? '', unique_ids: ids.join(',') });
  const { status, body } = await ctx.http.json<SarvBody>(
    {
      method: 'POST',
      path: SARV_REPORT_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: ctx.signal,
    },
    parseTolerantJson,
  ).catch((err: unknown) => {
    throw wrongAddress(err, ctx.http, 'sarv-voice', SARV_REPORT_PATH, ctx.account.baseUrl);
  });
  const code = body && typeof body === 'object' ? String(body.code ?? '') : '';
  if (code === '019') return 'shrink';
  if (!body || typeof body !== 'object' || body.status !== 'success' || (code && code !== '000')) {
    const providerMessage = code ? errorMessage(code, body.desc, username) : `no report in the answer (status "${String(body?.status)}")`;
    throw providerError(ctx.http, { provider: 'sarv-voice', path: SARV_REPORT_PATH, status, providerMessage, credentialsHint: 'check the username and token' });
  }
  if (status >= 400) throw providerError(ctx.http, { provider: 'sarv-voice', path: SARV_REPORT_PATH, status, credentialsHint: 'check the username and token' });
  return body;
}

/** The learned batch size is kept as the cursor so the next sync starts below Sarv's limit. */
function startBatch(cursor: unknown): number {
  const n = (cursor as { batch?: unknown } | null)?.batch;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, SARV_FIRST_BATCH) : SARV_FIRST_BATCH;
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const ids = [...new Set(ctx.ids)];
  let batch = startBatch(ctx.cursor);
  let done = 0;
  while (done < ids.length) {
    const chunk = ids.slice(done, done + batch);
    const body = await fetchBatch(ctx, chunk);
    if (body === 'shrink') {
      if (chunk.length === 1) {
        throw new UserError('Sarv refuses even a single unique id per request (error 019, unique ids limit)', ctx.account.name);
      }
      batch = Math.max(1, Math.floor(chunk.length / 2));
      continue; // the same ids again, fewer at a time
    }
    const page: SyncPage = { cdrs: [], notFound: [], final: [], progress: { done: done + chunk.length, total: ids.length } };
    for (const id of chunk) {
      const entry = body.data?.[id];
      if (!entry || typeof entry !== 'object') continue; // not mentioned: stays pending, asked again next sync
      if (entry.status !== 'success' || !entry.data) {
        page.notFound!.push(id);
        continue;
      }
      const cdr = mapSarvEntry(id, entry, ctx.account.timezone, ctx.account.name);
      page.cdrs.push(cdr);
      if (cdr.status !== 'unknown') page.final!.push(id);
    }
    if (batch !== startBatch(ctx.cursor)) page.cursor = { batch };
    done += chunk.length;
    yield page;
  }
}

export const sarvVoiceAdapter: ProviderAdapter = {
  descriptor: PROVIDERS['sarv-voice'],
  pages,
  async testConnection(ctx) {
    // An id that cannot exist: good credentials answer success with a per-id error; bad ones an error code.
    const body = await fetchBatch(ctx, ['cdr-desk-connection-check']);
    if (body === 'shrink') return;
  },
};
