// While1 Voice PBX CDR API (seed 002): POST {base}/api/cdr, Bearer token, `page` + `filters`, and
// api_hash = md5(http_build_query(params) . apiKey) over PHP's form encoding of the parameters.
//
// Reading strategy (cursor = { lastId, maxStartMs }):
//   pass A (only once a cursor exists): re-read the calls of the LOOKBACK before the newest call already synced,
//          by `date_between`, to pick up late changes to recent rows (transcription, comments, recording, agent);
//   pass B: `from_id` = the last synchronized id (the API filters `>= id`, so the boundary row comes back and is
//          skipped), plus `date_between` for an explicit window; page 1..max_page, rows in ascending id.
// Each page of pass B carries the cursor after it, so the engine commits rows and cursor together; a run that
// dies after page k resumes at the first id after page k. If the server ever answered out of id order, the
// cursor is only advanced when the pass is complete (slower resume, never a skipped row).
import { createHash } from 'node:crypto';
import type { CallStatus, Direction, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import { providerError, wrongAddress } from '../../net/provider-error.ts';
import { parseDurationSec, parseNaiveDateTime } from '../../time/parse.ts';
import { formatWall } from '../../time/zone.ts';
import { int, text } from '../fields.ts';
import { httpBuildQuery, type PhpValue } from './php-query.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

// The knobs live in the descriptor (electron/shared/providers.ts, `limits`).
/** Recent calls re-read on every incremental sync to catch late edits. */
export const PBX_LOOKBACK_MS = requiredLimit('pbx-cdr', 'lookbackMs');
/** Pages requested ahead while earlier ones are being committed (after the first, which tells max_page). */
export const PBX_PREFETCH = requiredLimit('pbx-cdr', 'prefetch');
const CDR_PATH = '/api/cdr';

/** The documented filters, in the documented order (the hash depends on the order of the keys). */
export const PBX_FILTER_KEYS = [
  'date_between', 'project_id', 'user_id', 'inbound_route_id', 'direction', 'call_status', 'telephone_like',
  'telephone', 'source', 'destination', 'hour_between', 'from_id', 'uniqueid', 'linkedid', 'has_transcription',
  'has_monitor_file', 'has_recording_file', 'external_id',
] as const;

export type PbxFilters = Partial<Record<(typeof PBX_FILTER_KEYS)[number], PhpValue>>;

/** Provider status (call_status, Asterisk dispositions) → normalized status. Unknown texts become 'unknown'. */
export const PBX_STATUS: Readonly<Record<string, CallStatus>> = {
  ANSWERED: 'answered',
  ANSWER: 'answered',
  'NO ANSWER': 'no_answer',
  NOANSWER: 'no_answer',
  BUSY: 'busy',
  CONGESTION: 'congestion',
  FAILED: 'failed',
  CHANUNAVAIL: 'failed',
  INVALIDARGS: 'failed',
  CANCEL: 'cancelled',
  CANCELLED: 'cancelled',
  CANCELED: 'cancelled',
  DONTCALL: 'cancelled',
  TORTURE: 'cancelled',
};

const DIRECTION: Readonly<Record<string, Direction>> = { IN: 'in', INBOUND: 'in', OUT: 'out', OUTBOUND: 'out' };

export function pbxStatus(callStatus: string | null): CallStatus {
  if (!callStatus) return 'unknown';
  return PBX_STATUS[callStatus.trim().toUpperCase().replace(/[_\s]+/g, ' ')] ?? 'unknown';
}

/** The body the seed shows: page + filters (every documented key, nulls dropped by the encoding) + api_hash. */
export function pbxRequestBody(page: number, filters: PbxFilters, apiKey: string): { params: Record<string, PhpValue>; body: string } {
  const f: Record<string, PhpValue> = {};
  for (const k of PBX_FILTER_KEYS) f[k] = filters[k] ?? null;
  const params: Record<string, PhpValue> = { page, filters: f };
  const apiHash = createHash('md5').update(httpBuildQuery(params) + apiKey).digest('hex');
  params.api_hash = apiHash;
  return { params, body: httpBuildQuery(params) };
}

export interface PbxRow {
  id: string | number;
  uniqueid?: string | null;
  time?: string | null;
  time_end?: string | null;
  caller_id?: string | null;
  source?: string | number | null;
  destination?: string | number | null;
  direction?: string | null;
  user_fullname?: string | null;
  call_status?: string | null;
  call_codes?: string | null;
  comments?: string | null;
  recording_file?: string | null;
  recording_url?: string | null;
  project?: string | null;
  transcription_text?: string | null;
  bill_duration?: string | number | null;
  duration?: string | number | null;
  ring_time?: string | number | null;
  [key: string]: unknown;
}

interface PbxAnswer {
  has_error?: unknown;
  messages?: unknown;
  pagination?: unknown;
  results?: unknown;
}

/** The epoch seconds at the head of an Asterisk uniqueid (`1710401324.480`), or null. */
export function uniqueidEpochMs(uniqueid: unknown): number | null {
  const m = /^\s*(\d{9,11})(?:\.\d+)?\s*$/.exec(String(uniqueid ?? ''));
  return m ? Number(m[1]) * 1000 : null;
}

/** A naive PBX time read in `zone`; in a repeated hour, the reading closest to `near` (when known). */
function zonedNear(value: unknown, zone: string, near: number | null): number | null {
  const t = text(value);
  if (t === null) return null;
  const earlier = parseNaiveDateTime(t, zone, 'earlier');
  const later = parseNaiveDateTime(t, zone, 'later');
  if (earlier === null || later === null || earlier === later || near === null) return earlier;
  return Math.abs(later - near) < Math.abs(earlier - near) ? later : earlier;
}

/** The caller name inside `"John Doe" <0312000000>`, if any. */
function callerName(callerId: string | null): string | null {
  if (!callerId) return null;
  const m = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(callerId);
  const name = m?.[1]?.trim();
  return name ? name : null;
}

/** One While1 CDR row → NormalizedCdr. Throws (with the field) on values that are not what the API documents. */
export function mapPbxRow(row: PbxRow, zone: string): NormalizedCdr {
  const callId = text(row.id);
  if (!callId) throw new Error('a CDR row has no id');
  try {
    const providerStatus = text(row.call_status);
    const status = pbxStatus(providerStatus);
    const durationSec = parseDurationSec(row.duration);
    const billSec = parseDurationSec(row.bill_duration);
    const startedAt = zonedNear(row.time, zone, uniqueidEpochMs(row.uniqueid));
    const expectedEnd = startedAt !== null && durationSec !== null ? startedAt + durationSec * 1000 : startedAt;
    let endedAt = zonedNear(row.time_end, zone, expectedEnd);
    if (endedAt === null && expectedEnd !== null && durationSec !== null) endedAt = expectedEnd;
    const answeredAt = status === 'answered' && endedAt !== null && billSec !== null ? endedAt - billSec * 1000 : null;
    const callerId = text(row.caller_id);
    const extra = [callerName(callerId), text(row.transcription_text), text(row.comments)].filter(
      (x): x is string => x !== null,
    );
    const dir = text(row.direction);
    return {
      callId,
      campaignId: null,
      campaign: text(row.project),
      direction: dir ? (DIRECTION[dir.toUpperCase()] ?? null) : null,
      source: text(row.source),
      destination: text(row.destination),
      status,
      providerStatus,
      startedAt,
      answeredAt,
      endedAt,
      durationSec,
      billSec,
      waitSec: parseDurationSec(row.ring_time),
      keypress: null,
      agent: text(row.user_fullname),
      recording: text(row.recording_url) ?? text(row.recording_file),
      extraText: extra.length ? extra.join(' | ') : null,
      raw: row,
    };
  } catch (err) {
    throw new Error(`call ${callId}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

interface PbxCursor {
  lastId: number;
  maxStartMs: number | null;
}

function readCursor(value: unknown): PbxCursor | null {
  if (!value || typeof value !== 'object') return null;
  const c = value as Partial<PbxCursor>;
  if (typeof c.lastId !== 'number' || !Number.isFinite(c.lastId)) return null;
  return { lastId: c.lastId, maxStartMs: typeof c.maxStartMs === 'number' ? c.maxStartMs : null };
}

interface PageAnswer {
  rows: PbxRow[];
  rowCount: number | null;
  maxPage: number;
}

function providerMessages(body: PbxAnswer): string {
  const msgs = Array.isArray(body.messages) ? body.messages.map((m) => String(m)).filter(Boolean) : [];
  return msgs.length ? msgs.join('; ') : 'no message';
}

async function requestPage(ctx: AdapterContext, page: number, filters: PbxFilters): Promise<PageAnswer> {
  const account = ctx.account.name;
  const { body } = pbxRequestBody(page, filters, ctx.secrets.apiKey ?? '');
  const res = await ctx.http
    .json<PbxAnswer | null>({
      method: 'POST',
      path: CDR_PATH,
      headers: {
        authorization: `Bearer ${ctx.secrets.token}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      signal: ctx.signal,
    })
    .catch((err: unknown) => {
      throw wrongAddress(err, ctx.http, 'pbx-cdr', CDR_PATH, ctx.account.baseUrl);
    });
  const answer = res.body;
  const refusal = answer && typeof answer === 'object' && answer.has_error === true;
  if (refusal || res.status >= 400) {
    const providerMessage = refusal ? providerMessages(answer) : null;
    throw providerError(ctx.http, { provider: 'pbx-cdr', path: CDR_PATH, status: res.status, providerMessage, credentialsHint: 'check the token and API key' });
  }
  if (!answer || typeof answer !== 'object') throw new UserError(`pbx-cdr ${CDR_PATH}: the answer is not a JSON object (HTTP ${res.status})`, account);
  if (!Array.isArray(answer.results)) throw new UserError('PBX CDR API answer has no "results" list', account);
  const p = answer.pagination;
  let maxPage = 0;
  let rowCount: number | null = null;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const pg = p as Record<string, unknown>;
    maxPage = int(pg.max_page, 'pagination.max_page') ?? 0;
    rowCount = int(pg.row_count, 'pagination.row_count');
  }
  return { rows: answer.results as PbxRow[], rowCount, maxPage };
}

/** Pages answered but not yet taken by the sync, at most (they wait while it commits; the bound keeps memory flat). */
export const PBX_AHEAD = 2 * PBX_PREFETCH;

/**
 * Pages 1..max_page of one query, yielded in order. Page 1 tells max_page; then up to PBX_PREFETCH requests are in
 * flight, and each answer sends the next request at once, whether or not the sync has taken the pages before it,
 * so requests go on while the sync commits, up to PBX_AHEAD pages waiting. (Pages 2.. are not asked beside page 1:
 * past the end they would be requests a provider counts and a capture replays, to save one round trip a pass.)
 */
async function* readPages(ctx: AdapterContext, filters: PbxFilters): AsyncGenerator<PageAnswer & { page: number }> {
  // Requests still out when the pages end (past the end, or the sync stopped) are aborted, never awaited.
  const abort = new AbortController();
  const own: AdapterContext = { ...ctx, signal: AbortSignal.any([ctx.signal, abort.signal]) };
  const sent = new Map<number, Promise<PageAnswer>>();
  let maxPage = 1; // known once page 1 answers
  const learn = (a: PageAnswer) => {
    maxPage = Math.max(maxPage, a.maxPage);
  };
  let next = 1;
  let taken = 0;
  let inflight = 0;
  let failed = false; // nothing new is asked after a failure (the sync stops at it)
  const fill = () => {
    while (!abort.signal.aborted && !failed && next <= maxPage && inflight < PBX_PREFETCH && next - taken <= PBX_AHEAD) {
      const p = requestPage(own, next, filters);
      inflight++;
      // Awaited below in order; the catch keeps a failure there (or of a page never used) from going unhandled.
      p.then(learn, () => void (failed = true)).finally(() => {
        inflight--;
        fill();
      });
      sent.set(next, p);
      next++;
    }
  };
  try {
    for (let page = 1; page <= maxPage; page++) {
      fill();
      const answer = await sent.get(page)!;
      sent.delete(page);
      taken = page;
      learn(answer);
      yield { ...answer, page };
      if (!answer.rows.length) break;
    }
  } finally {
    abort.abort(new Error('pages read'));
  }
}

function windowFilter(ctx: AdapterContext, from: number | null, to: number | null): PbxFilters {
  if (from === null && to === null) return {};
  const zone = ctx.account.timezone;
  // Naive bounds are widened by an hour so a repeated (DST) hour is never cut; rows are then kept by instant.
  const a = from === null ? '2000-01-01 00:00:00' : formatWall(zone, from - 3_600_000);
  const b = formatWall(zone, (to ?? Date.now() + 86_400_000) + 3_600_000);
  return { date_between: [a, b] };
}

function idOf(row: PbxRow): number {
  const n = Number(row.id);
  return Number.isFinite(n) ? n : NaN;
}

async function* pbxPages(ctx: AdapterContext): AsyncGenerator<SyncPage> {
  const zone = ctx.account.timezone;
  const cursor = readCursor(ctx.cursor);
  const inWindow = (c: NormalizedCdr) =>
    c.startedAt === null ||
    ((ctx.window.from === null || c.startedAt >= ctx.window.from) && (ctx.window.to === null || c.startedAt <= ctx.window.to));

  // Pass A: late edits to recent calls already synced.
  if (cursor && cursor.maxStartMs !== null) {
    const from = Math.max(cursor.maxStartMs - PBX_LOOKBACK_MS, ctx.window.from ?? -Infinity);
    const to = Math.min(cursor.maxStartMs, ctx.window.to ?? Infinity);
    if (from <= to) {
      let seen = 0;
      for await (const page of readPages(ctx, windowFilter(ctx, from, to))) {
        seen += page.rows.length;
        const cdrs = page.rows.filter((r) => idOf(r) <= cursor.lastId).map((r) => mapPbxRow(r, zone)).filter(inWindow);
        if (cdrs.length) yield { cdrs, progress: { done: seen, total: page.rowCount } };
      }
    }
  }

  // Pass B: everything after the last synchronized id.
  let lastId = cursor?.lastId ?? -Infinity;
  let maxStartMs = cursor?.maxStartMs ?? null;
  let ascending = true;
  let prevId = lastId;
  const filters: PbxFilters = { ...windowFilter(ctx, ctx.window.from, ctx.window.to) };
  if (cursor) filters.from_id = cursor.lastId;
  let done = 0;
  for await (const page of readPages(ctx, filters)) {
    const cdrs: NormalizedCdr[] = [];
    for (const r of page.rows) {
      const id = idOf(r);
      // Not skipped: a row without a usable id would otherwise vanish while the sync reports success.
      if (Number.isNaN(id)) throw new UserError(`PBX CDR API: a CDR row has no numeric "id" (got ${JSON.stringify(r.id ?? null).slice(0, 40)})`, ctx.account.name);
      if (!(id > (cursor?.lastId ?? -Infinity))) continue; // the boundary row of `from_id >= id`
      if (id < prevId) ascending = false;
      prevId = id;
      const c = mapPbxRow(r, zone);
      if (id > lastId) lastId = id;
      if (c.startedAt !== null && (maxStartMs === null || c.startedAt > maxStartMs)) maxStartMs = c.startedAt;
      if (inWindow(c)) cdrs.push(c);
    }
    done += page.rows.length;
    const next: PbxCursor | undefined = Number.isFinite(lastId) ? { lastId, maxStartMs } : undefined;
    yield { cdrs, cursor: ascending ? next : undefined, progress: { done, total: page.rowCount ?? null } };
  }
  if (!ascending && Number.isFinite(lastId)) yield { cdrs: [], cursor: { lastId, maxStartMs } };
}

export const pbxCdrAdapter: ProviderAdapter = {
  descriptor: PROVIDERS['pbx-cdr'],
  pages: pbxPages,
  async testConnection(ctx) {
    const now = Date.now();
    await requestPage(ctx, 1, windowFilter(ctx, now - 60_000, now));
  },
};
