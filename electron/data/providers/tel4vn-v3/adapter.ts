// TEL4VN autocall v3: campaigns and their stats, then each campaign's lead report, paged by limit/offset until a
// short or empty page, windowed by start_time/end_time (naive 'YYYY-MM-DD HH:MM:SS' in the account zone).
// docs/providers/tel4vn-v3.md lists what the vendor's document leaves open and how each reading is handled here.
//
// A lead row is one number in one campaign. Its `cdr_uuid` names the call of its latest attempt: a row with a
// cdr_uuid is one call (callId = cdr_uuid); a row without one was never connected to a call and is only a lead.
// When a lead is dialled again its row shows the new cdr_uuid: the new call is added and the previous one stays
// (it happened); the lead record is updated to point at the new call.
//
// Incremental sync (the API has only windows, no cursor):
// - The cursor keeps `hw`, the latest activity instant seen on the provider (a call's start_stamp, or a lead's
//   created_at), `pending`, the earliest start of a call still in progress when last read, `stats`, each
//   campaign's figures when it was last read in full, and `run`, the state of an unfinished sync: its fixed
//   window, the campaigns finished and the offset reached in the current one. Each page of leads commits its
//   cursor, so a sync killed midway resumes at the same campaign and offset in the same window.
// - A new sync without --from skips every campaign whose figures are what they were when it was last read in full
//   (no call started or ended there since), and reads the others from `min(hw, pending) - OVERLAP`: the time since
//   the previous sync, the calls that were still ringing, and a margin for late writes; a lead dialled again moves
//   to a newer time. Re-reading is idempotent (upserts), skipping is not. The window ends at the sync's start
//   (fixed for the run, so offsets stay meaningful while the provider keeps dialling).
// - The sync checks itself: each campaign read from its first row claims `total` minus the leads that are not
//   calls; an echoed `offset` other than the one asked, or a page of leads already served, is a problem that ends
//   that campaign, which then keeps no figures (read again next time) and holds `hw` back.
// - Explicit --from/--to windows are read as given and leave `hw` only ever moving forward.
// - Paging is prefetched: once a campaign's first answer gives its `total`, up to TEL4VN_PREFETCH lead requests are
//   in flight (each answer sends the next, up to TEL4VN_AHEAD pages ahead, while the sync commits), at the offsets
//   the sequential paging would ask next if every page came back full (offset + LIMIT - BACKTRACK), never past
//   the page that would reach `total`. Answers are used strictly in order and only when their offset is the one
//   the last answer actually leads to (same offsets, cursors and stops as one request at a time); a guess that
//   turns out wrong is aborted and ignored, never awaited, so its failure cannot fail the sync. Once a campaign's
//   requests reach the page that ends it, the places left ask the first pages of the campaigns after it, in order:
//   a far provider's round trip is not paid once per campaign.
// Campaign stats are the provider's own figures, read once per sync: for the explicit window when one is given,
// else all-time (so they reconcile with the whole cache).
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { UserError } from '../../errors.ts';
import { providerError, ProviderHttpError } from '../../net/provider-error.ts';
import { parseNaiveDateTime, parseOffsetDateTime } from '../../time/parse.ts';
import { formatWall } from '../../time/zone.ts';
import { int, jsonInString, nameText, stringLeaves, text } from '../fields.ts';
import type { AdapterContext, CampaignInfo, CampaignReport, LeadInfo, ProviderAdapter, SyncPage } from '../types.ts';
import { LeadReadAhead } from './read-ahead.ts';

const CAMPAIGN_PATH = '/v3/report/call/campaign';
const LEAD_PATH = '/v3/report/call/lead';
// The knobs live in the descriptor (electron/shared/providers.ts, `limits`).
export const TEL4VN_PAGE_LIMIT = requiredLimit('tel4vn-v3', 'pageSize');
/** Rows of the previous page read again at the start of the next (see the paging loop). */
export const TEL4VN_BACKTRACK = requiredLimit('tel4vn-v3', 'backtrack');
/** Lead report requests in flight at once within one campaign (answers still used in order). */
export const TEL4VN_PREFETCH = requiredLimit('tel4vn-v3', 'prefetch');
/** Lead pages asked ahead of the one the sync takes next, at most (TEL4VN_PREFETCH of them in flight at once). */
export const TEL4VN_AHEAD = 2 * TEL4VN_PREFETCH;
/**
 * How far before the last activity seen (or the earliest call still ringing) a new sync starts reading again. The
 * lead report is live (a call is listed from its start, stamps filled as it ends), so this only covers writes that
 * land late and clocks a little apart.
 */
export const TEL4VN_OVERLAP_MS = requiredLimit('tel4vn-v3', 'lookbackMs');

/** Provider status text (lower case) → normalized status. Anything else is 'unknown' (its text is kept). */
export const TEL4VN_STATUS: Readonly<Record<string, CallStatus>> = {
  answered: 'answered',
  answer: 'answered',
  no_answered: 'no_answer',
  no_answer: 'no_answer',
  noanswer: 'no_answer',
  busy: 'busy',
  busy_line: 'busy',
  cancel: 'cancelled',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  congestion: 'congestion',
  invalid: 'invalid_number',
  invalid_number: 'invalid_number',
  not_available: 'failed', // subscriber unreachable (phone off, out of coverage)
  phone_block: 'failed', // the number is blocked from being dialled
  failed: 'failed',
  error: 'failed',
};

export function tel4vnStatus(providerStatus: string | null): CallStatus {
  if (!providerStatus) return 'unknown';
  return TEL4VN_STATUS[providerStatus.trim().toLowerCase()] ?? 'unknown';
}

export interface Tel4vnRun {
  /** The window the user asked for (--from/--to), or null for an incremental run. */
  requested: { from: number | null; to: number | null } | null;
  /** Window of this run, epoch ms (inclusive); from null = from the provider's beginning. */
  from: number | null;
  to: number;
  /** Campaign uuids fully read in this run. */
  done: string[];
  /** Campaign being read and the offset of its next page. */
  current: { campaign: string; offset: number } | null;
  /** Latest activity seen so far in this run. */
  hw: number | null;
  /** By campaign: the earliest start of a call in progress seen in this run. */
  pending?: Record<string, number>;
  /** Campaigns of this run read with a problem (their figures are not kept). */
  failed?: string[];
}

export interface Tel4vnCursor {
  v: 1;
  hw: number | null;
  run: Tel4vnRun | null;
  /** By campaign: the earliest start of a call that was still in progress when read. */
  pending?: Record<string, number>;
  /** Each campaign's all-time figures (as JSON text) when its leads were last read in full without a problem. */
  stats?: Record<string, string>;
}

interface LeadRow {
  [key: string]: unknown;
  lead_uuid?: unknown;
  cdr_uuid?: unknown;
}

/** Keypresses from `press_key` (JSON inside a string): the scalar leaves in order; digits joined as DTMF. */
export function pressKeyText(value: unknown): string | null {
  const parsed = jsonInString(value);
  if (parsed === null || parsed === undefined) return null;
  const leaves: string[] = [];
  const walk = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const s = String(v).trim();
      if (s) leaves.push(s);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parsed);
  if (leaves.length === 0) return null;
  return leaves.every((l) => /^[0-9*#A-Da-d]$/.test(l)) ? leaves.join('') : leaves.join(',');
}

function recordingOf(url: string | null, name: string | null): string | null {
  if (url && name) return `${url.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
  return name;
}

function extraTextOf(row: LeadRow): string | null {
  const parts: string[] = [];
  for (const k of ['lead_name', 'lead_code', 'contract_number', 'list_name']) {
    const v = text(row[k]);
    if (v) parts.push(v);
  }
  stringLeaves(row.additional, parts);
  const unique = [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
  return unique.length ? unique.join(' ') : null;
}

/** One lead row → a call, or null when the lead has no call. Throws a plain Error naming the bad field. */
export function mapTel4vnLead(row: LeadRow, zone: string, campaign: { id: string | null; name: string | null }): NormalizedCdr | null {
  const callId = text(row.cdr_uuid);
  if (!callId) return null;
  const time = (field: string) => {
    try {
      return parseNaiveDateTime(text(row[field]), zone);
    } catch (err) {
      throw new Error(`lead ${text(row.lead_uuid) ?? '?'} field ${field}: ${(err as Error).message}`);
    }
  };
  const providerStatus = text(row.status);
  // A call with no status and no end yet is still ringing or in progress at the provider (the report is live).
  const pending = providerStatus === null && !text(row.end_stamp);
  return {
    callId,
    campaignId: campaign.id,
    campaign: text(row.campaign_name) ?? campaign.name,
    direction: 'out',
    source: null,
    destination: text(row.phone_number),
    status: pending ? 'pending' : tel4vnStatus(providerStatus),
    providerStatus,
    startedAt: time('start_stamp'),
    answeredAt: time('answer_stamp'),
    endedAt: time('end_stamp'),
    durationSec: int(row.duration, 'duration'),
    billSec: int(row.billsec, 'billsec'),
    waitSec: null,
    keypress: pressKeyText(row.press_key),
    agent: null,
    recording: recordingOf(text(row.recording_url), text(row.record_name)),
    contact: nameText(row.lead_name), // the lead's name as the provider documents it (the list name stays searchable)
    extraText: extraTextOf(row),
    raw: row,
  };
}

/** The provider's error text from `{"error":"..."}` or `{"error":[...]}`, or null when the body is not an error. */
export function tel4vnErrorText(body: unknown): string | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (e === null || e === undefined || e === '' || e === false) return null;
  if (typeof e === 'string') return e;
  const item = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const msg = text(o.message) ?? text(o.msg) ?? text(o.error) ?? text(o.detail);
      const field = text(o.field) ?? text(o.param) ?? text(o.key);
      if (msg) return field ? `${field}: ${msg}` : msg;
    }
    return JSON.stringify(x);
  };
  return Array.isArray(e) ? e.map(item).join('; ') || 'error (no details)' : item(e);
}

async function getJson(ctx: AdapterContext, path: string, query: Record<string, string | number | undefined>, signal: AbortSignal = ctx.signal): Promise<{ status: number; body: unknown }> {
  const res = await ctx.http.json({
    method: 'GET',
    path,
    query,
    headers: { authorization: `Bearer ${ctx.secrets.token}`, 'content-type': 'application/json', accept: 'application/json' },
    signal,
  });
  const err = tel4vnErrorText(res.body);
  if (err !== null || res.status >= 400) {
    throw providerError(ctx.http, { provider: 'tel4vn-v3', path, status: res.status, providerMessage: err, credentialsHint: 'is the token right?' });
  }
  return res;
}

function dataArray(body: unknown, ctx: AdapterContext, path: string): Record<string, unknown>[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new UserError(`tel4vn-v3 ${path}: answer has no "data" list`, ctx.account.name);
  return data as Record<string, unknown>[];
}

function windowQuery(from: number | null, to: number | null, zone: string): { start_time?: string; end_time?: string } {
  const q: { start_time?: string; end_time?: string } = {};
  if (from !== null) q.start_time = formatWall(zone, from);
  if (to !== null) q.end_time = formatWall(zone, to);
  return q;
}

function readCursor(c: unknown): Tel4vnCursor {
  if (c && typeof c === 'object' && (c as Tel4vnCursor).v === 1) return c as Tel4vnCursor;
  return { v: 1, hw: null, run: null };
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
const minOf = (a: number | null | undefined, b: number | null | undefined) => (a == null ? (b ?? null) : b == null ? a : Math.min(a, b));

/** A number the answer carries (`total`, `limit`, `offset`), or null when it is absent or not a count. */
function echoed(body: unknown, key: string): number | null {
  const v = (body as Record<string, unknown> | null)?.[key];
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const zone = ctx.account.timezone;
  const cursor = readCursor(ctx.cursor);
  const explicit = ctx.window.from !== null || ctx.window.to !== null;

  // A run left unfinished (crash, cancel, error) is resumed when this sync asks for the same kind of window.
  const requested = explicit ? { from: ctx.window.from, to: ctx.window.to } : null;
  const prev = cursor.run;
  const sameKind = prev && (prev.requested === null ? requested === null : requested !== null && prev.requested.from === requested.from && prev.requested.to === requested.to);
  // No high-water mark yet (a first sync, or one whose reads did not add up): from the provider's beginning.
  const since = cursor.hw === null ? null : Object.values(cursor.pending ?? {}).reduce((m, t) => Math.min(m, t), cursor.hw);
  let run: Tel4vnRun = sameKind && prev ? structuredClone(prev) : {
    requested,
    from: explicit ? ctx.window.from : since === null ? null : since - TEL4VN_OVERLAP_MS,
    to: ctx.window.to ?? Math.floor(Date.now() / 1000) * 1000,
    done: [],
    current: null,
    hw: null,
  };

  const cursorBase = (): Tel4vnCursor => ({ v: 1, hw: cursor.hw, run: null, pending: cursor.pending ?? {}, stats: cursor.stats ?? {} });
  // Campaigns finished by the run this one resumes: read against figures older than today's.
  const doneBefore = new Set(sameKind && prev ? prev.done : []);

  // Campaigns and the provider's stats: once per sync.
  const statsWindow = explicit ? windowQuery(ctx.window.from, ctx.window.to, zone) : {};
  const campRes = await getJson(ctx, CAMPAIGN_PATH, statsWindow);
  const camps = dataArray(campRes.body, ctx, CAMPAIGN_PATH);
  const campaigns: CampaignInfo[] = [];
  const reports: CampaignReport[] = [];
  for (const c of camps) {
    const id = text(c.campaign_uuid);
    if (!id) continue;
    const name = text(c.campaign_name);
    campaigns.push({ campaignId: id, name, raw: c });
    reports.push({ campaignId: id, campaign: name, stats: { ...c } });
  }
  campaigns.sort((a, b) => (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0));
  yield { cdrs: [], campaigns, campaignReports: reports, progress: { done: 0, total: null } };

  const figures = new Map(reports.map((r) => [r.campaignId, JSON.stringify(r.stats)]));
  // Unchanged figures: nothing started or ended in that campaign since it was last read in full.
  const unchanged = (id: string) => !explicit && cursor.stats?.[id] !== undefined && cursor.stats[id] === figures.get(id);
  const todo = campaigns.filter((c) => !run.done.includes(c.campaignId) && !unchanged(c.campaignId));
  const win = windowQuery(run.from, run.to, zone);
  let rowsDone = 0;
  const readAhead = new LeadReadAhead({
    ask: (campaignId, at, signal) =>
      getJson(ctx, LEAD_PATH, { campaign_uuid: campaignId, ...win, limit: TEL4VN_PAGE_LIMIT, offset: at }, AbortSignal.any([ctx.signal, signal])),
    campaigns: todo.map((c) => c.campaignId),
    resumed: run.current?.campaign ?? null,
    places: TEL4VN_PREFETCH,
    maxPlanned: TEL4VN_AHEAD,
  });
  try {
    for (const [index, camp] of todo.entries()) {
      let offset = run.current?.campaign === camp.campaignId ? run.current.offset : 0;
      // The self-check: a campaign read from its first row claims its `total` minus the leads that are not calls.
      const scope = `campaign ${camp.name ?? camp.campaignId} (${camp.campaignId})${win.start_time || win.end_time ? ` ${win.start_time ?? ''}..${win.end_time ?? ''}` : ''}`;
      const fromStart = offset === 0;
      const seenLeads = new Set<string>();
      const callLeads = new Set<string>();
      let claimed: number | null = null;
      let problem: string | null = null;
      /** Rows one answer carries: what we ask for, or less when the server says it caps `limit`. */
      let pageRows = TEL4VN_PAGE_LIMIT;
      readAhead.startCampaign(index);
      for (;;) {
        let res: { status: number; body: unknown };
        try {
          res = await readAhead.take(offset);
        } catch (err) {
          // A campaign deleted between the listing and its lead report: nothing left to read in it.
          if (err instanceof ProviderHttpError && err.providerMessage && /campaign is not found/i.test(err.providerMessage)) break;
          throw err;
        }
        const rows = dataArray(res.body, ctx, LEAD_PATH) as LeadRow[];
        const total = echoed(res.body, 'total');
        const limit = echoed(res.body, 'limit');
        if (limit !== null && limit > 0 && limit < pageRows) pageRows = limit;
        const servedAt = echoed(res.body, 'offset');
        const ids = rows.map((r) => text(r.lead_uuid) ?? JSON.stringify(r));
        if (servedAt !== null && servedAt !== offset && rows.length) problem = `offset ${offset} was answered as offset ${servedAt}`;
        else if (rows.length > TEL4VN_BACKTRACK && offset > 0 && ids.every((id) => seenLeads.has(id))) problem = `the page at offset ${offset} repeats leads already served`;
        if (problem) {
          run = { ...run, done: [...run.done, camp.campaignId], current: null, failed: [...(run.failed ?? []), camp.campaignId] };
          yield { cdrs: [], scope, problems: [`${scope}: ${problem}`], cursor: { ...cursorBase(), run: structuredClone(run) } satisfies Tel4vnCursor };
          break;
        }
        claimed = total;
        const cdrs: NormalizedCdr[] = [];
        const leads: LeadInfo[] = [];
        for (const row of rows) {
          let cdr: NormalizedCdr | null;
          try {
            cdr = mapTel4vnLead(row, zone, { id: camp.campaignId, name: camp.name });
          } catch (err) {
            throw new UserError(`tel4vn-v3: ${(err as Error).message}`, ctx.account.name);
          }
          const leadId = text(row.lead_uuid);
          if (leadId) leads.push({ leadId, campaignId: camp.campaignId, callId: cdr?.callId ?? null, raw: row });
          const key = leadId ?? JSON.stringify(row);
          seenLeads.add(key);
          if (cdr) {
            callLeads.add(key);
            cdrs.push(cdr);
            run.hw = maxOf(run.hw, cdr.startedAt !== null && cdr.startedAt <= run.to ? cdr.startedAt : null);
            if (cdr.endedAt === null && cdr.startedAt !== null) {
              const p = (run.pending ??= {});
              p[camp.campaignId] = minOf(p[camp.campaignId], cdr.startedAt)!;
            }
          }
          let created: number | null = null;
          try {
            created = parseOffsetDateTime(text(row.created_at));
          } catch {
            created = null; // created_at only moves the high-water mark; a malformed one is not worth failing for
          }
          run.hw = maxOf(run.hw, created !== null && created <= run.to ? created : null);
        }
        const reached = offset + rows.length;
        rowsDone += rows.length;
        // A short or empty page ends the campaign, whatever `total` says (it is checked, not obeyed). A short page
        // from a server that states neither its limit nor a total reached may be its silent cap: the next offset is
        // asked too, with that page's length as the page size from then on.
        const short = rows.length < pageRows;
        const finished = rows.length === 0 || (short && (limit !== null || (total !== null && reached >= total)));
        if (short && !finished) pageRows = rows.length;
        // The next page starts a little before where this one ended: a lead dialled again while we page leaves the
        // window and shifts every later row up by one; backing up re-reads a few rows rather than skip one.
        offset = rows.length > TEL4VN_BACKTRACK ? reached - TEL4VN_BACKTRACK : reached;
        run = finished
          ? { ...run, done: [...run.done, camp.campaignId], current: null }
          : { ...run, current: { campaign: camp.campaignId, offset } };
        if (!finished && total !== null) readAhead.plan(offset, total, pageRows, TEL4VN_BACKTRACK);
        if (finished) readAhead.campaignEnded();
        const check: Pick<SyncPage, 'claims' | 'problems'> = {};
        if (finished && fromStart && claimed !== null) {
          const notCalls = seenLeads.size - callLeads.size;
          check.claims = [{ scope, expected: Math.max(0, claimed - notCalls) }];
          if (seenLeads.size < claimed) {
            check.problems = [`${scope}: the provider counted ${claimed} leads and served ${seenLeads.size} before a short page`];
            run = { ...run, failed: [...(run.failed ?? []), camp.campaignId] };
          }
        }
        yield { cdrs, leads, scope, ...check, cursor: { ...cursorBase(), run: structuredClone(run) } satisfies Tel4vnCursor, progress: { done: rowsDone, total: null } };
        if (finished) break;
      }
    }
  } finally {
    readAhead.close();
  }
  // A campaign read with a problem keeps no figures (read again next time) and holds the high-water mark back.
  const failed = new Set(run.failed ?? []);
  const hw = failed.size ? cursor.hw : maxOf(cursor.hw, run.hw);
  const stats: Record<string, string> = {};
  const pending: Record<string, number> = {};
  for (const [id, f] of figures) {
    const skipped = unchanged(id);
    const kept = skipped || doneBefore.has(id) ? cursor.stats?.[id] : f;
    if (kept !== undefined && !failed.has(id)) stats[id] = kept;
    const p = skipped ? cursor.pending?.[id] : run.pending?.[id];
    if (p !== undefined) pending[id] = p;
  }
  yield { cdrs: [], cursor: { v: 1, hw, run: null, pending, stats } satisfies Tel4vnCursor, progress: { done: rowsDone, total: rowsDone } };
}

export const tel4vnV3: ProviderAdapter = {
  descriptor: PROVIDERS['tel4vn-v3'],
  pages,
  async testConnection(ctx) {
    await getJson(ctx, CAMPAIGN_PATH, {});
  },
};
