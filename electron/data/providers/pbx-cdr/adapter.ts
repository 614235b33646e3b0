// While1 Voice PBX CDR API: POST {base}/api/cdr, Bearer token, `page` + `filters`, and
// api_hash = md5(http_build_query(params) . apiKey) over PHP's form encoding of the parameters.
// docs/providers/pbx-cdr.md lists what the vendor's document leaves open and how each reading is handled here.
//
// Reading strategy (cursor = { lastId, maxStartMs, pageBase }):
//   pass A (only once a cursor exists): re-read, by `date_between`, the calls of the PBX_EDIT_MARGIN before the
//          newest call already synced, for edits made after hangup (transcription, comments, recording, agent);
//   pass B: `from_id` = the last synchronized id (the API filters `>= id`, so the boundary row comes back again),
//          plus `date_between` for an explicit window; rows in ascending id.
// Paging never trusts `max_page` (a count or a last index, 0 beside a result in the vendor's own example): pages
// are read until a short or empty one. Whether pages count from 0 or 1 is learned once (page 0 asked beside page
// 1) and kept in the cursor. Each query's `row_count` is reported as a claim; an echoed `current_page` that is not
// the page asked, or a page of rows already served, is reported as a problem and ends that query, and a pass with
// a problem hands back the cursor it started from, so the next sync reads it again.
// Each page of pass B carries the cursor after it, so the engine commits rows and cursor together; a run that
// dies after page k resumes at the first id after page k. If the server ever answered out of id order, the
// cursor is only advanced when the pass is complete (slower resume, never a skipped row).
import { createHash } from 'node:crypto';
import type { CallStatus, Direction, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import { providerError, ProviderHttpError, wrongAddress } from '../../net/provider-error.ts';
import { parseDurationSec, parseNaiveDateTime } from '../../time/parse.ts';
import { formatWall } from '../../time/zone.ts';
import { int, text } from '../fields.ts';
import { httpBuildQuery, type PhpValue } from './php-query.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

// The knobs live in the descriptor (electron/shared/providers.ts, `limits`).
/**
 * How long after a call the PBX may still change its row (transcription, comments, recording published): the
 * calls of this span before the newest one already synced are read again. The vendor's document gives no delay;
 * it offers `from_id` for "the last synchronized id", i.e. rows are meant to be final once written (docs/providers).
 */
export const PBX_EDIT_MARGIN_MS = requiredLimit('pbx-cdr', 'lookbackMs');
/** Rows a page holds when the answer does not say (`page_size`). */
export const PBX_PAGE_SIZE = 100;
/** Pages requested ahead while earlier ones are being committed (when the first answer's counts are usable). */
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
export function pbxRequestBody(page: number, filters: PbxFilters, apiKey: string, extra: Record<string, PhpValue> = {}): { params: Record<string, PhpValue>; body: string } {
  const f: Record<string, PhpValue> = {};
  for (const k of PBX_FILTER_KEYS) f[k] = filters[k] ?? null;
  const params: Record<string, PhpValue> = { ...extra, page, filters: f };
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
  /** The number of the first page (0 or 1), once learned. */
  pageBase?: 0 | 1;
}

function readCursor(value: unknown): PbxCursor | null {
  if (!value || typeof value !== 'object') return null;
  const c = value as Partial<PbxCursor>;
  if (typeof c.lastId !== 'number' || !Number.isFinite(c.lastId)) return null;
  return { lastId: c.lastId, maxStartMs: typeof c.maxStartMs === 'number' ? c.maxStartMs : null, ...(c.pageBase === 0 || c.pageBase === 1 ? { pageBase: c.pageBase } : {}) };
}

interface PageAnswer {
  rows: PbxRow[];
  rowCount: number | null;
  pageSize: number;
  currentPage: number | null;
  maxPage: number | null;
}

function providerMessages(body: PbxAnswer): string {
  const m = body.messages;
  const msgs = Array.isArray(m) ? m.map((x) => String(x)).filter(Boolean) : typeof m === 'string' && m ? [m] : [];
  return msgs.length ? msgs.join('; ') : 'no message';
}

async function requestPage(ctx: AdapterContext, page: number, filters: PbxFilters): Promise<PageAnswer> {
  const account = ctx.account.name;
  // `action=read`: named by the vendor's English page, absent from the Romanian one; servers that do not know it
  // ignore it (it is inside the hash either way).
  const { body } = pbxRequestBody(page, filters, ctx.secrets.apiKey ?? '', { action: 'read' });
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
  const refusal = answer && typeof answer === 'object' && (answer.has_error === true || answer.has_error === 1 || answer.has_error === 'true');
  if (refusal || res.status >= 400) {
    const providerMessage = refusal ? providerMessages(answer) : null;
    throw providerError(ctx.http, { provider: 'pbx-cdr', path: CDR_PATH, status: res.status, providerMessage, credentialsHint: 'check the token and API key' });
  }
  if (!answer || typeof answer !== 'object') throw new UserError(`pbx-cdr ${CDR_PATH}: the answer is not a JSON object (HTTP ${res.status})`, account);
  if (!Array.isArray(answer.results)) throw new UserError('PBX CDR API answer has no "results" list', account);
  const p = answer.pagination;
  let rowCount: number | null = null;
  let pageSize = PBX_PAGE_SIZE;
  let currentPage: number | null = null;
  let maxPage: number | null = null;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const pg = p as Record<string, unknown>;
    rowCount = int(pg.row_count, 'pagination.row_count');
    pageSize = int(pg.page_size, 'pagination.page_size') || PBX_PAGE_SIZE;
    currentPage = int(pg.current_page, 'pagination.current_page');
    maxPage = int(pg.max_page, 'pagination.max_page');
  }
  return { rows: answer.results as PbxRow[], rowCount, pageSize, currentPage, maxPage };
}

/** What one query's paging found: the provider's count, the rows it served, and anything that did not add up. */
interface QueryState {
  /** The latest `row_count`, or null when the answers' counts cannot be trusted (0 beside rows, absent). */
  rowCount: number | null;
  distinct: Set<string>;
  problems: string[];
  /** The number of the first page, once known (from the cursor, or learned from the first answer). */
  base: 0 | 1 | null;
}

/** Pages answered but not yet taken by the sync, at most (they wait while it commits; the bound keeps memory flat). */
export const PBX_AHEAD = 2 * PBX_PREFETCH;

/** Counts that agree with the rows: `row_count` given, and not 0 beside a result (as in the vendor's example). */
const usable = (a: PageAnswer) => a.rowCount !== null && (a.rowCount > 0 || a.rows.length === 0);

/**
 * Pages count from 0 when `max_page` is the last page's number counted from 0 (⌈row_count/page_size⌉ − 1): with
 * pages from 1, the last page's number and the number of pages are the same.
 */
function countsFromZero(a: PageAnswer): boolean {
  return usable(a) && a.rowCount! > 0 && a.maxPage !== null && a.maxPage === Math.ceil(a.rowCount! / a.pageSize) - 1;
}

/**
 * Every page of one query in order, from the first, until a short or empty page (never until `max_page`). The first
 * page is asked alone (pages past the end would be requests a provider counts and a capture replays); then up to
 * PBX_PREFETCH requests are in flight, and each answer sends the next request at once, whether or not the sync has
 * taken the pages before it, up to PBX_AHEAD pages waiting, never past the page trusted counts say is the last, and
 * nothing new after a failure. An echoed `current_page` that is not the page asked, or a page of rows already
 * served, ends the query with a problem.
 */
async function* readPages(ctx: AdapterContext, filters: PbxFilters, state: QueryState): AsyncGenerator<PageAnswer & { page: number; last: boolean }> {
  // Requests still out when the pages end (past the end, or the sync stopped) are aborted, never awaited.
  const abort = new AbortController();
  const own: AdapterContext = { ...ctx, signal: AbortSignal.any([ctx.signal, abort.signal]) };
  const sent = new Map<number, Promise<PageAnswer>>();
  const firstPage = state.base ?? 1;
  let lastHint = Infinity; // the last page worth asking, once trusted counts tell it
  let next = firstPage;
  let taken = firstPage - 1;
  let started = false; // the first page is asked alone
  let inflight = 0;
  let failed = false; // nothing new is asked after a failure (the sync stops at it)
  const hint = (a: PageAnswer) => {
    if (!usable(a)) return;
    const base = state.base ?? 1;
    const pages = Math.ceil(a.rowCount! / a.pageSize);
    // A last page that is full is followed by one more request, to see it empty.
    lastHint = a.rowCount! % a.pageSize === 0 ? base + pages : base + pages - 1;
  };
  const fill = () => {
    while (started && !failed && !abort.signal.aborted && next <= lastHint && inflight < PBX_PREFETCH && next - taken <= PBX_AHEAD) {
      const p = requestPage(own, next, filters);
      inflight++;
      // Awaited below in order; the catch keeps a failure there (or of a page never used) from going unhandled.
      p.then(hint, () => void (failed = true)).finally(() => {
        inflight--;
        fill();
      });
      sent.set(next, p);
      next++;
    }
  };
  const take = (n: number): Promise<PageAnswer> => {
    const p = sent.get(n);
    sent.delete(n);
    return p ?? requestPage(own, n, filters);
  };
  try {
    fill();
    let answer = await take(firstPage);
    let page = firstPage;
    if (next <= firstPage) next = firstPage + 1;
    if (state.base === null) {
      state.base = countsFromZero(answer) ? 0 : 1;
      if (state.base === 0) {
        // Page 1 was the second page: page 0 comes first.
        sent.set(1, Promise.resolve(answer));
        page = 0;
        answer = await take(0);
      }
    }
    started = true;
    let trusted = true;
    for (;;) {
      taken = page;
      trusted &&= usable(answer);
      state.rowCount = trusted ? answer.rowCount : null;
      const ids = answer.rows.map((r) => String(r.id));
      if (answer.rows.length && trusted && answer.currentPage !== null && answer.currentPage !== page) {
        state.problems.push(`page ${page} was answered as page ${answer.currentPage}`);
        return;
      }
      if (page > state.base && ids.length && ids.every((id) => state.distinct.has(id))) {
        state.problems.push(`page ${page} repeats rows already served (ids ${ids[0]}..${ids[ids.length - 1]})`);
        return;
      }
      for (const id of ids) state.distinct.add(id);
      const last = answer.rows.length < answer.pageSize;
      // Requests go on while the sync holds this page (it may be committing).
      hint(answer);
      if (!last) fill();
      yield { ...answer, page, last };
      if (last) return;
      page++;
      fill();
      answer = await take(page);
      if (next <= page) next = page + 1;
    }
  } finally {
    abort.abort(new Error('pages read'));
  }
}

/** The claim and the problems of a finished query; `excluded` rows were served but are not this scope's calls. */
function selfCheck(scope: string, state: QueryState, excluded: number): Pick<SyncPage, 'scope' | 'claims' | 'problems'> {
  const problems = state.problems.map((p) => `${scope}: ${p}`);
  const claims = state.rowCount === null ? [] : [{ scope, expected: Math.max(0, state.rowCount - excluded) }];
  if (state.rowCount !== null && state.distinct.size < state.rowCount && !problems.length) {
    problems.push(`${scope}: the PBX counted ${state.rowCount} rows and served ${state.distinct.size} before a short page`);
  }
  return { scope, claims, problems };
}

function windowFilter(ctx: AdapterContext, from: number | null, to: number | null): PbxFilters {
  if (from === null && to === null) return {};
  const zone = ctx.account.timezone;
  // Naive bounds are widened by an hour so a repeated (DST) hour is never cut; rows are then kept by instant.
  const a = from === null ? '2000-01-01 00:00:00' : formatWall(zone, from - 3_600_000);
  const b = formatWall(zone, (to ?? Date.now() + 86_400_000) + 3_600_000);
  return { date_between: [a, b] };
}

/** The row's numeric id; a row without one fails the sync (it would otherwise vanish while the sync reports success). */
function idOf(row: PbxRow, account: string): number {
  const n = Number(row.id);
  if (row.id === null || row.id === undefined || row.id === '' || !Number.isFinite(n)) {
    throw new UserError(`PBX CDR API: a CDR row has no numeric "id" (got ${JSON.stringify(row.id ?? null).slice(0, 40)})`, account);
  }
  return n;
}

const utc = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

async function* pbxPages(ctx: AdapterContext): AsyncGenerator<SyncPage> {
  const zone = ctx.account.timezone;
  const cursor = readCursor(ctx.cursor);
  let base: 0 | 1 | null = cursor?.pageBase ?? null;
  const inWindow = (c: NormalizedCdr) =>
    c.startedAt === null ||
    ((ctx.window.from === null || c.startedAt >= ctx.window.from) && (ctx.window.to === null || c.startedAt <= ctx.window.to));

  // Pass A: late edits to the calls of the margin before the newest call already synced.
  if (cursor && cursor.maxStartMs !== null) {
    const from = Math.max(cursor.maxStartMs - PBX_EDIT_MARGIN_MS, ctx.window.from ?? -Infinity);
    const to = Math.min(cursor.maxStartMs, ctx.window.to ?? Infinity);
    if (from <= to) {
      const scope = `calls ${utc(from)}..${utc(to)} UTC (read again)`;
      const state: QueryState = { rowCount: null, distinct: new Set(), problems: [], base };
      let seen = 0;
      let excluded = 0;
      // The last page carries the query's own check; a query ended by a problem gets a page of its own for it.
      let checked = false;
      for await (const page of readPages(ctx, windowFilter(ctx, from, to), state)) {
        seen += page.rows.length;
        const cdrs: NormalizedCdr[] = [];
        for (const r of page.rows) {
          idOf(r, ctx.account.name);
          const c = mapPbxRow(r, zone);
          if (c.startedAt !== null && (c.startedAt < from || c.startedAt > to)) excluded++;
          else cdrs.push(c);
        }
        checked = page.last;
        yield { cdrs, scope, progress: { done: seen, total: page.rowCount }, ...(page.last ? selfCheck(scope, state, excluded) : {}) };
      }
      base = state.base;
      if (!checked) yield { cdrs: [], ...selfCheck(scope, state, excluded) };
    }
  }

  // Pass B: everything from the last synchronized id (that row included: `from_id` is `>= id`).
  let lastId = cursor?.lastId ?? -Infinity;
  let maxStartMs = cursor?.maxStartMs ?? null;
  let ascending = true;
  let prevId = lastId;
  const filters: PbxFilters = { ...windowFilter(ctx, ctx.window.from, ctx.window.to) };
  if (cursor) filters.from_id = cursor.lastId;
  const explicit = ctx.window.from !== null || ctx.window.to !== null;
  const scope = [cursor ? `calls from id ${cursor.lastId}` : 'calls', explicit ? `${utc(ctx.window.from)}..${utc(ctx.window.to)} UTC` : ''].filter(Boolean).join(' ');
  const state: QueryState = { rowCount: null, distinct: new Set(), problems: [], base };
  let done = 0;
  let excluded = 0;
  const cursorNow = (): PbxCursor | undefined =>
    Number.isFinite(lastId) ? { lastId, maxStartMs, ...(state.base !== null ? { pageBase: state.base } : {}) } : undefined;
  let checked = false;
  for await (const page of readPages(ctx, filters, state)) {
    const cdrs: NormalizedCdr[] = [];
    for (const r of page.rows) {
      const id = idOf(r, ctx.account.name);
      if (id < prevId) ascending = false;
      prevId = id;
      const c = mapPbxRow(r, zone);
      if (id > lastId) lastId = id;
      if (c.startedAt !== null && (maxStartMs === null || c.startedAt > maxStartMs)) maxStartMs = c.startedAt;
      if (inWindow(c)) cdrs.push(c);
      else excluded++;
    }
    done += page.rows.length;
    const progress = { done, total: page.rowCount ?? null };
    if (!page.last) {
      yield { cdrs, scope, cursor: ascending ? cursorNow() : undefined, progress };
      continue;
    }
    checked = true;
    yield { cdrs, progress, ...passEnd() };
  }
  if (!checked) yield { cdrs: [], ...passEnd() };

  /** The pass's own check, and its last cursor: the one it started from when it did not add up (read it again). */
  function passEnd(): Pick<SyncPage, 'scope' | 'claims' | 'problems' | 'cursor'> {
    const check = selfCheck(scope, state, excluded);
    const end = check.problems?.length ? (ctx.cursor ?? null) : cursorNow();
    return { ...check, ...(end !== undefined ? { cursor: end } : {}) };
  }
}

export const pbxCdrAdapter: ProviderAdapter = {
  descriptor: PROVIDERS['pbx-cdr'],
  pages: pbxPages,
  async testConnection(ctx) {
    const now = Date.now();
    // Page 1 whatever the numbering: a server counting from 0 answers it too (empty).
    await requestPage(ctx, 1, windowFilter(ctx, now - 60_000, now));
  },
};
