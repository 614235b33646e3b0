// Simotel autodialer v4 (the vendor's report info, search and ordered reader; docs/providers/autodialer-v4.md lists
// what its documents leave open and how each reading is handled here). Every request
// is a JSON POST with `X-APIKEY` and HTTP Basic auth; answers are `{"success":1,"message":"","data":...}`, errors
// `{"success":0,"message":"..."}`.
//
// A report record is one number in one campaign; its `tries[]` are the calls. We store one call per try
// (callId = the try's cdr_id.$oid), started at the try's starttime (MongoDB extended JSON epoch ms), and enrich
// each try from `reports/info {"_id": cdr_id}` (duration, wait, channel...) a few requests at a time.
// Record dates (`start`, `end`, `date`) are Jalali (Solar Hijri) wall times in the account's zone (time/jalali.ts).
//
// Which endpoint when:
// - Incremental sync (no --from/--to): `reports/ordered/id` from the cursor `lastId` ("" on a first sync), 20
//   records an answer in table order; `data.last_id` is committed with each page, so a new record is read once
//   and a sync killed midway resumes after the last committed answer.
// - Records change after they were read (the dialer tries the number again, a ringing try ends). So a sync that
//   already has a cursor first re-reads, with `reports/search` and a `date_range`, the records whose `date` falls
//   from OVERLAP (30 min) before the latest record date seen (`hw`) up to now, newest first, paged by `start`; its
//   place is committed per page too. This assumes `date` is a record's last activity (the vendor's example has
//   it equal to the latest try's start), so a changed record lands after `hw`; the overlap covers late writes.
//   Records that search returned are not asked for again by the ordered reader in the same sync.
// - Explicit --from/--to: `reports/search` over that window only (its own cursor stream, resumable by `start`).
import { createHash } from 'node:crypto';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { UserError } from '../../errors.ts';
import { SharedLimit } from '../../net/limit.ts';
import { providerError, ProviderHttpError } from '../../net/provider-error.ts';
import { parseJalaliDateTime } from '../../time/jalali.ts';
import { formatWall } from '../../time/zone.ts';
import { int, text } from '../fields.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

const ORDERED_PATH = '/api/v4/autodialer/reports/ordered/id';
const SEARCH_PATH = '/api/v4/autodialer/reports/search';
const INFO_PATH = '/api/v4/autodialer/reports/info';
// The knobs live in the descriptor (electron/shared/providers.ts, `limits`).
export const AUTODIALER_SEARCH_COUNT = requiredLimit('autodialer-v4', 'pageSize');
export const AUTODIALER_SEARCH_BACKTRACK = requiredLimit('autodialer-v4', 'backtrack');
/** reports/info requests at once: as many as the account's pacer lets through. */
export const AUTODIALER_INFO_CONCURRENCY = PROVIDERS['autodialer-v4'].limits.concurrency;
/** Ordered answers read ahead of the sync (each names the next, so they cannot be asked at once). */
export const AUTODIALER_AHEAD = 4;
/**
 * How far before the latest record date seen the refresh starts. A record's `date` moves when it changes (a new
 * try, a ringing try ending: the vendor's example has it equal to the latest try's start), so a changed record
 * lands after that date; the margin only covers records written late and clocks a little apart.
 */
export const AUTODIALER_OVERLAP_MS = requiredLimit('autodialer-v4', 'lookbackMs');

/** Try (and record) dispositions → normalized status. Anything else is 'unknown' (its text is kept). */
export const AUTODIALER_STATUS: Readonly<Record<string, CallStatus>> = {
  ANSWERED: 'answered',
  ANSWER: 'answered',
  'NO ANSWER': 'no_answer',
  NOANSWER: 'no_answer',
  NO_ANSWER: 'no_answer',
  // The dialer gave up on the number without reaching anyone (Simotel's outcome once tries run out).
  LOST: 'no_answer',
  BUSY: 'busy',
  FAILED: 'failed',
  CHANUNAVAIL: 'failed',
  CONGESTION: 'congestion',
  CANCEL: 'cancelled',
  CANCELLED: 'cancelled',
  CANCELED: 'cancelled',
  INVALID: 'invalid_number',
  'INVALID NUMBER': 'invalid_number',
  // The try is not over when the report is read: a later sync sees its outcome (same cdr_id).
  RINGING: 'pending',
  DIALING: 'pending',
  'IN PROGRESS': 'pending',
};

export function autodialerStatus(disposition: string | null): CallStatus {
  if (!disposition) return 'unknown';
  return AUTODIALER_STATUS[disposition.trim().toUpperCase().replace(/\s+/g, ' ')] ?? 'unknown';
}

/** Booleans as the API sends them: true/false, "true"/"false", 1/0, "1"/"0". Null when absent or unclear. */
export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no' || v === '') return v === '' ? null : false;
  }
  return null;
}

/** An ObjectId in MongoDB extended JSON (`{"$oid":"..."}`) or as plain text. */
export function oid(value: unknown): string | null {
  if (value && typeof value === 'object' && '$oid' in value) return text((value as { $oid: unknown }).$oid);
  return typeof value === 'string' || typeof value === 'number' ? text(value) : null;
}

const MAX_INSTANT_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** A date in MongoDB extended JSON: `{"$date":{"$numberLong":"ms"}}`, `{"$date":ms}`, `{"$date":"ISO"}`, or ms. */
export function mongoDate(value: unknown): number | null {
  let v: unknown = value;
  if (v && typeof v === 'object' && '$date' in v) v = (v as { $date: unknown }).$date;
  if (v && typeof v === 'object' && '$numberLong' in v) v = (v as { $numberLong: unknown }).$numberLong;
  if (v === null || v === undefined || v === '') return null;
  // Whole ms within years 0000-9999: anything else is not a date a dialer wrote, and would not fit the cache.
  const instant = (ms: number) => (Math.abs(ms) <= MAX_INSTANT_MS ? Math.round(ms) : null);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    const ms = instant(v);
    if (ms !== null) return ms;
  } else if (typeof v === 'string') {
    const ms = /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : /(Z|[+-]\d{2}:?\d{2})$/.test(v.trim()) ? Date.parse(v) : NaN;
    if (!Number.isNaN(ms) && instant(ms) !== null) return instant(ms);
  }
  throw new Error(`${JSON.stringify(value).slice(0, 60)} is not a MongoDB date`);
}

type Json = Record<string, unknown>;

/** Record fields kept in each call's raw JSON (they never change once the record exists). */
const RECORD_IDENTITY = ['_id', 'campaign_id', 'campaign', 'number', 'start'] as const;

export interface AutodialerInfo {
  [key: string]: unknown;
  duration?: unknown;
  wait?: unknown;
}

/** One try of one record (+ its reports/info data, if any) → one call. Throws a plain Error naming a bad field. */
export function mapAutodialerTry(record: Json, t: Json, info: AutodialerInfo | null): NormalizedCdr | null {
  const callId = oid(t.cdr_id);
  if (!callId) return null;
  const providerStatus = text(t.disposition);
  const status = autodialerStatus(providerStatus);
  let startedAt: number | null;
  try {
    startedAt = mongoDate(t.starttime);
  } catch (err) {
    throw new Error(`try ${callId} field starttime: ${(err as Error).message}`);
  }
  const durationSec = int(info?.duration, 'duration');
  const waitSec = int(info?.wait, 'wait') ?? int(t.wait, 'wait');
  const answered = status === 'answered';
  let billSec: number | null = answered ? null : 0;
  if (answered && durationSec !== null) billSec = Math.max(0, durationSec - (waitSec ?? 0));
  else if (answered) {
    // Without the details, the record's own billsec belongs to its answering (last) try.
    const tries = Array.isArray(record.tries) ? (record.tries as Json[]) : [];
    if (tries.length && oid(tries[tries.length - 1]!.cdr_id) === callId) billSec = int(record.billsec, 'billsec');
  }
  // The record's identity only: its other fields (disposition, try, date...) change with every new try, and the
  // raw of a call that did not change must not change either.
  const recordFields = Object.fromEntries(RECORD_IDENTITY.filter((k) => k in record).map((k) => [k, record[k]]));
  const extra = [text(t['cause-txt']), text(info?.channel)].filter((x): x is string => !!x);
  return {
    callId,
    campaignId: oid(record.campaign_id),
    campaign: text(record.campaign),
    direction: 'out',
    source: null,
    destination: text(record.number),
    status,
    providerStatus,
    startedAt,
    answeredAt: answered && startedAt !== null ? startedAt + (waitSec ?? 0) * 1000 : null,
    endedAt: startedAt !== null && durationSec !== null ? startedAt + durationSec * 1000 : null,
    durationSec,
    billSec,
    waitSec,
    keypress: null,
    agent: null,
    recording: null,
    extraText: extra.length ? extra.join(' ') : null,
    raw: { record: recordFields, try: t, info },
  };
}

/** `{"success":0,"message":"..."}` → the message; null for a successful answer. */
export function autodialerErrorText(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'answer is not a JSON object';
  const b = body as Json;
  if (bool(b.success) === true) return null;
  return text(b.message) ?? text(b.error) ?? 'request failed (no message)';
}

async function post(ctx: AdapterContext, path: string, body: unknown): Promise<Json> {
  const { apiKey, username, password } = ctx.secrets;
  const res = await ctx.http.json<unknown>({
    method: 'POST',
    path,
    headers: {
      'x-apikey': apiKey ?? '',
      authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  if (res.status >= 400 || bool((res.body as Json | null)?.success) !== true) {
    const providerMessage = autodialerErrorText(res.body);
    throw providerError(ctx.http, { provider: 'autodialer-v4', path, status: res.status, providerMessage, credentialsHint: 'check the API key, username and password' });
  }
  return res.body as Json;
}

async function info(ctx: AdapterContext, cdrId: string): Promise<AutodialerInfo | null> {
  try {
    const body = await post(ctx, INFO_PATH, { _id: cdrId });
    const data = body.data;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as AutodialerInfo) : null;
  } catch (err) {
    // A try the details service does not know keeps its call, without details; credentials problems stop the sync.
    if (err instanceof ProviderHttpError && err.kind === 'refused' && err.status !== 401 && err.status !== 403 && (err.status ?? 500) < 500) return null;
    throw err;
  }
}

/** Every try of the records → calls, each enriched from reports/info (through `pool`, shared by the pages read ahead). */
async function recordsToCdrs(ctx: AdapterContext, records: readonly Json[], pool = new SharedLimit(AUTODIALER_INFO_CONCURRENCY)): Promise<NormalizedCdr[]> {
  const jobs: { record: Json; t: Json; id: string }[] = [];
  for (const record of records) {
    const tries = Array.isArray(record.tries) ? (record.tries as Json[]) : [];
    for (const t of tries) {
      const id = oid(t?.cdr_id);
      if (id) jobs.push({ record, t, id });
    }
  }
  const infos = await Promise.all(jobs.map((j) => pool.run(() => info(ctx, j.id))));
  return jobs.map((j, i) => {
    try {
      return mapAutodialerTry(j.record, j.t, infos[i] ?? null)!;
    } catch (err) {
      throw new UserError(`autodialer-v4: record ${oid(j.record._id) ?? '?'}: ${(err as Error).message}`, ctx.account.name);
    }
  });
}

/** The latest instant a record shows: its `date` (Jalali), else its latest try's start. */
function recordTime(record: Json, zone: string, account: string): number | null {
  let t: number | null = null;
  for (const f of ['date', 'end']) {
    try {
      t = parseJalaliDateTime(text(record[f]), zone);
    } catch (err) {
      throw new UserError(`autodialer-v4: record ${oid(record._id) ?? '?'} field ${f}: ${(err as Error).message}`, account);
    }
    if (t !== null) return t;
  }
  const tries = Array.isArray(record.tries) ? (record.tries as Json[]) : [];
  for (const tr of tries) {
    try {
      const s = mongoDate(tr?.starttime);
      if (s !== null && (t === null || s > t)) t = s;
    } catch {
      /* mapped (and reported) with the try itself */
    }
  }
  return t;
}

function listOf(data: unknown): Json[] {
  if (Array.isArray(data)) return data as Json[];
  if (data && typeof data === 'object') {
    const d = data as Json;
    for (const k of ['data', 'records', 'list', 'items']) if (Array.isArray(d[k])) return d[k] as Json[];
  }
  return [];
}

export interface AutodialerCursor {
  v: 1;
  /** ordered/id position: the last record id read ("" = start). */
  lastId: string | null;
  /** Latest record date seen (epoch ms). */
  hw: number | null;
  /** A search pass in progress: its window (epoch ms) and the next `start`. */
  search: { from: number | null; to: number; start: number } | null;
  /** True while the ordered reader has not reached the end (a resumed sync then skips the search refresh). */
  reading?: boolean;
  /** Distinct records the ordered reader has read from the table's start (checked against search's total). */
  records?: number;
  /** Records of the refresh margin as last read (id → digest): unchanged ones are not mapped nor enriched again. */
  recent?: Record<string, string>;
}

/** A record's fingerprint: any change (a try added or ended, a disposition) changes it. */
function digest(record: Json): string {
  return createHash('md5').update(JSON.stringify(record)).digest('hex').slice(0, 16);
}

function readCursor(c: unknown): AutodialerCursor {
  if (c && typeof c === 'object' && (c as AutodialerCursor).v === 1) return structuredClone(c as AutodialerCursor);
  return { v: 1, lastId: null, hw: null, search: null };
}

const minuteText = (zone: string, ms: number) => formatWall(zone, ms).slice(0, 16);

/** A count the answer carries as a number or numeric text, else null. */
function count(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function searchBody(zone: string, from: number | null, to: number, start: number, n: number): Json {
  return {
    alike: 'true',
    pagination: { start, count: n, sorting: { date: -1 } },
    // The API wants both ends; from the beginning of the Jalali era the dialer can hold is far enough back.
    date_range: { from: minuteText(zone, from ?? Date.UTC(2000, 0, 1)), to: minuteText(zone, to) },
    conditions: { disposition: '', campaign_id: '', number: '' },
  };
}

async function* searchPass(ctx: AdapterContext, cur: AutodialerCursor, seen: Set<string>, done: { n: number }, explicit: boolean, problems: string[], digests: Map<string, { d: string; t: number | null }>): AsyncGenerator<SyncPage> {
  const s = cur.search!;
  const zone = ctx.account.timezone;
  const scope = `records ${minuteText(zone, s.from ?? Date.UTC(2000, 0, 1))}..${minuteText(zone, s.to)} (${zone})`;
  const ids = new Set<string>();
  const fromStart = s.start === 0;
  for (;;) {
    const body = await post(ctx, SEARCH_PATH, searchBody(zone, s.from, s.to, s.start, AUTODIALER_SEARCH_COUNT));
    const data = (body.data ?? {}) as Json;
    const records = listOf(data);
    const pagination = (data.pagination ?? {}) as Json;
    const total = count(pagination.total);
    const servedAt = count(pagination.start);
    const pageRows = Math.min(AUTODIALER_SEARCH_COUNT, count(pagination.count) || AUTODIALER_SEARCH_COUNT);
    const recordIds = records.map((r) => oid(r._id) ?? JSON.stringify(r));
    let problem: string | null = null;
    if (servedAt !== null && servedAt !== s.start && records.length) problem = `start ${s.start} was answered as start ${servedAt}`;
    else if (s.start > 0 && records.length > AUTODIALER_SEARCH_BACKTRACK && recordIds.every((id) => ids.has(id))) problem = `the page at start ${s.start} repeats records already served`;
    if (problem) {
      problems.push(`${scope}: ${problem}`);
      cur.search = null;
      yield { cdrs: [], scope, problems: [`${scope}: ${problem}`], cursor: structuredClone(cur) };
      return;
    }
    // A refresh skips the records unchanged since the last sync read them (no reports/info for their tries).
    const changed = explicit ? records : records.filter((r) => cur.recent?.[oid(r._id) ?? ''] !== digest(r));
    const cdrs = await recordsToCdrs(ctx, changed);
    for (const r of records) {
      const id = oid(r._id);
      if (id) seen.add(`${id}|${Array.isArray(r.tries) ? r.tries.length : 0}`);
      const t = recordTime(r, zone, ctx.account.name);
      if (id) digests.set(id, { d: digest(r), t });
      cur.hw = maxOf(cur.hw, clampTo(t, s.to));
    }
    for (const id of recordIds) ids.add(id);
    const reached = s.start + records.length;
    done.n += records.length;
    // A short or empty page ends the pass, whatever `total` says (it is checked, not obeyed).
    const finished = records.length < pageRows;
    // Newest first: a record that changes while we page leaves the window (its date moves past `to`) and shifts
    // older ones up; the next page starts a few records early so none is skipped (re-reading is idempotent).
    s.start = records.length > AUTODIALER_SEARCH_BACKTRACK ? reached - AUTODIALER_SEARCH_BACKTRACK : reached;
    const page: SyncPage = { cdrs, scope, progress: { done: done.n, total: total === null ? null : Math.max(done.n, done.n - reached + total) } };
    if (finished) {
      cur.search = null;
      if (!explicit) cur.reading = true;
      // Records that change leave the window while we page, so only a shortfall read from the start is evidence.
      if (fromStart && total !== null && ids.size < total) {
        const p = `${scope}: the dialer counted ${total} records and served ${ids.size} before a short page`;
        problems.push(p);
        page.problems = [p];
      }
    }
    yield { ...page, cursor: structuredClone(cur) };
    if (finished) return;
  }
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const clampTo = (t: number | null, to: number) => (t === null || t > to ? null : t);

/** One ordered answer read ahead: its records (the new ones), the id the next starts after, and its calls being enriched. */
interface OrderedAnswer {
  records: Json[];
  fresh: Json[];
  lastId: string;
  cdrs: Promise<NormalizedCdr[]>;
}

/**
 * `reports/ordered/id` from the cursor on (`_id` and `id_`: the examples and the table disagree). Each answer names
 * the next, so answers are read one after another, up to AUTODIALER_AHEAD ahead of the sync, while the tries of
 * those already read are enriched through one pool of AUTODIALER_INFO_CONCURRENCY requests: the requests never
 * wait for a page's last info or for the sync's commit. Pages are yielded in order, each with the cursor after it,
 * as when read one at a time. A page of records already served is a problem that ends the pass.
 */
async function* orderedPass(ctx: AdapterContext, cur: AutodialerCursor, seen: Set<string>, done: { n: number }, now: number, problems: string[], digests: Map<string, { d: string; t: number | null }>): AsyncGenerator<SyncPage> {
  const scope = 'records in table order';
  // Requests still out when the pass ends (the sync stopped, or failed) are aborted, never awaited.
  const abort = new AbortController();
  const own: AdapterContext = { ...ctx, signal: AbortSignal.any([ctx.signal, abort.signal]) };
  const pool = new SharedLimit(AUTODIALER_INFO_CONCURRENCY);
  const read = async (after: string | null): Promise<OrderedAnswer | null> => {
    const body = await post(own, ORDERED_PATH, { _id: after ?? '', id_: after ?? '' });
    const data = (body.data ?? {}) as Json;
    const records = listOf(data);
    // A server that answers from `_id` on (that record included) sends the last one read again.
    const fresh = records.filter((r) => oid(r._id) !== after);
    const lastId = oid(data.last_id) ?? (records.length ? oid(records[records.length - 1]!._id) : null);
    if (fresh.length === 0 || !lastId || lastId === after) return null;
    const unseen = fresh.filter((r) => !seen.has(`${oid(r._id)}|${Array.isArray(r.tries) ? r.tries.length : 0}`));
    const cdrs = recordsToCdrs(own, unseen, pool);
    cdrs.catch(() => undefined); // awaited in order below, unless the pass ends first
    return { records, fresh, lastId, cdrs };
  };
  const ahead: Promise<OrderedAnswer | null>[] = [];
  const readAhead = () => {
    while (ahead.length < AUTODIALER_AHEAD) {
      const prev = ahead[ahead.length - 1];
      const next = prev ? prev.then((a) => (a ? read(a.lastId) : null)) : read(cur.lastId);
      next.catch(() => undefined);
      ahead.push(next);
    }
  };
  const served = new Set<string>();
  try {
    for (;;) {
      readAhead();
      const answer = await ahead.shift()!;
      if (!answer) {
        // At the end: the next sync starts with a refresh of the recent records.
        if (cur.lastId === null || cur.reading) {
          cur.lastId ??= '';
          cur.reading = false;
          yield { cdrs: [], cursor: structuredClone(cur) };
        }
        return;
      }
      const freshIds = answer.fresh.map((r) => oid(r._id) ?? JSON.stringify(r));
      if (freshIds.every((id) => served.has(id))) {
        const p = `${scope}: the answer after ${cur.lastId || 'the start'} repeats records already served`;
        problems.push(p);
        yield { cdrs: [], scope, problems: [p] };
        return;
      }
      const cdrs = await answer.cdrs;
      for (const r of answer.records) {
        const t = recordTime(r, ctx.account.timezone, ctx.account.name);
        const id = oid(r._id);
        if (id) digests.set(id, { d: digest(r), t });
        cur.hw = maxOf(cur.hw, clampTo(t, now));
      }
      for (const id of freshIds) served.add(id);
      if (cur.records !== undefined) cur.records += freshIds.length;
      cur.lastId = answer.lastId;
      cur.reading = true;
      done.n += answer.records.length;
      yield { cdrs, scope, cursor: structuredClone(cur), progress: { done: done.n, total: null } };
    }
  } finally {
    abort.abort(new Error('ordered pass ended'));
  }
}

/** The dialer's count of all its records against what the ordered reader has read since the table's start. */
async function checkAllRead(ctx: AdapterContext, cur: AutodialerCursor, now: number, problems: string[]): Promise<void> {
  if (cur.records === undefined) return;
  const body = await post(ctx, SEARCH_PATH, searchBody(ctx.account.timezone, null, now, 0, 1));
  const total = count(((body.data as Json | undefined)?.pagination as Json | undefined)?.total);
  if (total !== null && total > cur.records) problems.push(`records in table order: the dialer counts ${total} records, the ordered reader has read ${cur.records}`);
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const cur = readCursor(ctx.cursor);
  const seen = new Set<string>();
  const done = { n: 0 };
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 59_999;
  const problems: string[] = [];

  if (ctx.window.from !== null || ctx.window.to !== null) {
    // An explicit window: one search pass (its own cursor stream; resumed by `start` if interrupted).
    cur.search ??= { from: ctx.window.from, to: ctx.window.to ?? now, start: 0 };
    yield* searchPass(ctx, cur, seen, done, true, problems, new Map());
    return;
  }
  const before = readCursor(ctx.cursor);
  if (cur.lastId === null) cur.records = 0;

  // Records changed since the last sync (a sync that has read to the end before, or a pass left unfinished).
  if (!cur.search && !cur.reading && cur.lastId !== null && cur.hw !== null) cur.search = { from: cur.hw - AUTODIALER_OVERLAP_MS, to: now, start: 0 };
  const digests = new Map<string, { d: string; t: number | null }>();
  if (cur.search) yield* searchPass(ctx, cur, seen, done, false, problems, digests);

  yield* orderedPass(ctx, cur, seen, done, now, problems, digests);
  const reported = problems.length; // each pass reported its own with its page
  if (!reported) await checkAllRead(ctx, cur, now, problems);
  if (problems.length) {
    // What did not add up is read again by the next sync: from the record and the date this one started at.
    const again: AutodialerCursor = { ...before, search: null, reading: false };
    yield { cdrs: [], problems: problems.slice(reported), cursor: again };
    return;
  }
  // The records the next refresh will see, as read now.
  const recent: Record<string, string> = {};
  for (const [id, { d, t }] of digests) if (cur.hw !== null && t !== null && t >= cur.hw - AUTODIALER_OVERLAP_MS) recent[id] = d;
  if (JSON.stringify(recent) !== JSON.stringify(cur.recent ?? {})) yield { cdrs: [], cursor: { ...structuredClone(cur), recent } };
}

export const autodialerV4: ProviderAdapter = {
  descriptor: PROVIDERS['autodialer-v4'],
  pages,
  async testConnection(ctx) {
    await post(ctx, SEARCH_PATH, {
      alike: 'true',
      pagination: { start: 0, count: 1, sorting: { date: -1 } },
      date_range: { from: minuteText(ctx.account.timezone, Date.now() - 86_400_000), to: minuteText(ctx.account.timezone, Date.now()) },
      conditions: { disposition: '', campaign_id: '', number: '' },
    });
  },
};
