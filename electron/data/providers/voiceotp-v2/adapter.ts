// TEL4VN voice OTP / autocall v2 (Vietnam), seed 001: GET {base}/api/v2/report/{callId} with
// `Authorization: <token>` (no Bearer). v2 has no listing: call ids come from the user, read a few at a time.
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import { parseNaiveDateTime } from '../../time/parse.ts';
import { int, jsonInString, nameText, stringLeaves, text } from '../fields.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

/** Requests in flight at once: the vendor documents no rate limit, so stay gentle. */
export const VOICEOTP_CONCURRENCY = 4;
/** Ids per committed page. */
const PAGE_IDS = 100;

/** The seed's dispositions onto the normalized statuses. */
const STATUS: Record<string, CallStatus> = {
  ANSWERED: 'answered',
  NOANWSER: 'no_answer', // sic, as documented
  NOANSWER: 'no_answer',
  BUSY: 'busy',
  CONGESTION: 'congestion',
  INVALIDNUMBER: 'invalid_number',
  FAIL: 'failed',
  ERROR: 'failed', // a server-side mismatch: the call failed
  // "The user hung up (Mobifone calling Mobifone)": the callee declined, i.e. not answered. Not a caller cancel.
  CANCEL: 'no_answer',
};

export function voiceotpStatus(value: unknown): CallStatus {
  const key = typeof value === 'string' ? value.toUpperCase().replace(/[^A-Z]/g, '') : '';
  return STATUS[key] ?? 'unknown';
}

/** keypress "127" is the documented default meaning "hung up", i.e. no key was pressed. */
const NO_KEY = '127';

/** Text of an id/number field that may come as a number. */
const str = (v: unknown) => text(v)?.trim() || null;

export function mapVoiceotpRecord(callId: string, r: Record<string, unknown>, zone: string, account: string): NormalizedCdr {
  const fail = (field: string, err: unknown): never => {
    throw new UserError(`voiceotp-v2 call ${callId}: ${field} ${(err as Error).message}`, account);
  };
  const time = (field: string) => {
    try {
      return parseNaiveDateTime(text(r[field]), zone);
    } catch (err) {
      return fail(field, err);
    }
  };
  let durationSec: number | null = null;
  try {
    durationSec = int(r.duration, 'duration');
  } catch (err) {
    fail('duration', err);
  }
  // No disposition and no end yet: the call is still in progress at the provider; a later sync reads it again.
  const status = !str(r.status) && !str(r.ended_at) ? 'pending' : voiceotpStatus(r.status);
  const startedAt = time('created_at'); // dial time
  const answeredAt = status === 'answered' ? time('started_at') : null; // started_at is the pick-up
  const keypress = str(r.keypress);
  const param = jsonInString(r.param);
  const leaves = stringLeaves(param);
  const campaignId = str(r.campaign_id);
  return {
    callId,
    campaignId,
    campaign: campaignId, // v2 names campaigns only by id
    direction: 'out',
    source: null,
    destination: str(r.phone_number),
    status,
    providerStatus: str(r.status),
    startedAt,
    answeredAt,
    endedAt: time('ended_at'),
    // duration runs from pick-up to hang-up (15 s in the seed: 11:28:54 → 11:29:09): talk time.
    durationSec,
    billSec: status === 'answered' || durationSec === null ? durationSec : 0,
    waitSec: answeredAt !== null && startedAt !== null ? Math.max(0, Math.round((answeredAt - startedAt) / 1000)) : null,
    keypress: keypress === NO_KEY ? null : keypress,
    // CLI.md names TEL4VN v2's user_id as the agent: the user the provider attributes the call to.
    agent: str(r.user_id),
    recording: null,
    // The customer the message was for, as the seed's `param` names them.
    contact: param && typeof param === 'object' && !Array.isArray(param) ? nameText((param as Record<string, unknown>).customer_name) : null,
    extraText: leaves.length ? leaves.join(' ') : null,
    raw: r,
  };
}

interface V2Body {
  data?: unknown;
  messsage?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
}

/** The error text of the documented shape {"messsage","code","status":false,"data":{"error"}}. */
function errorText(body: V2Body): string {
  const data = body.data as { error?: unknown } | null | undefined;
  const parts = [body.messsage ?? body.message, data && typeof data === 'object' ? data.error : undefined]
    .map((p) => (typeof p === 'string' ? p.trim() : p === undefined || p === null ? '' : JSON.stringify(p)))
    .filter(Boolean);
  return parts.join(': ');
}

const NOT_FOUND = /not\s*found|not\s*exist|no\s+such|no\s+(record|data|cdr)|invalid\s+(call|cdr|id)/i;

type Outcome =
  | { kind: 'cdr'; cdr: NormalizedCdr }
  | { kind: 'notFound' }
  /** A documented error answer about this id that is not "not found": the sync stops on it. */
  | { kind: 'refused'; message: string };

function parseJson(textBody: string): unknown {
  return JSON.parse(textBody);
}

async function fetchOne(ctx: AdapterContext, id: string): Promise<Outcome> {
  const res = await ctx.http.request({
    method: 'GET',
    path: `/api/v2/report/${encodeURIComponent(id)}`,
    headers: { authorization: ctx.secrets.token ?? '', accept: 'application/json' },
    signal: ctx.signal,
  });
  let body: V2Body | null = null;
  try {
    const parsed = parseJson(res.text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as V2Body;
  } catch {
    body = null;
  }
  const account = ctx.account.name;
  if (!body) {
    // Not the API's JSON at all (an HTML 404 is a wrong base URL, not an unknown id).
    const hint = res.status === 404 ? ` (is ${ctx.account.baseUrl} the API host?)` : '';
    throw new UserError(`voiceotp-v2 answered HTTP ${res.status} with something other than its JSON${hint}`, account);
  }
  if (res.status === 401 || res.status === 403) {
    throw new UserError(`voiceotp-v2 rejected the access token (HTTP ${res.status}${errorText(body) ? `: ${ctx.http.redact(errorText(body))}` : ''})`, account);
  }
  const documented = 'code' in body || 'messsage' in body || body.status === false;
  if (body.status === false || res.status >= 400) {
    const why = ctx.http.redact(errorText(body));
    if (documented && (res.status === 404 || NOT_FOUND.test(why))) return { kind: 'notFound' };
    if (!documented && res.status === 404) {
      throw new UserError(`voiceotp-v2 report path not found (HTTP 404; is ${ctx.account.baseUrl} the API host?)`, account);
    }
    return { kind: 'refused', message: `voiceotp-v2 refused call id ${id} (HTTP ${res.status}${why ? `: ${why}` : ''})` };
  }
  const record = body.data;
  if (!record || typeof record !== 'object' || Array.isArray(record) || Object.keys(record).length === 0) return { kind: 'notFound' };
  return { kind: 'cdr', cdr: mapVoiceotpRecord(id, record as Record<string, unknown>, ctx.account.timezone, account) };
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. The first failure stops
 * every worker from starting more (a refused token must not cost a hundred more requests). */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await work(items[i]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  // Every worker has stopped: report the first failure only now, so nothing runs on after the page fails.
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return out;
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const ids = [...new Set(ctx.ids)];
  for (let start = 0; start < ids.length; start += PAGE_IDS) {
    const chunk = ids.slice(start, start + PAGE_IDS);
    const outcomes = await mapLimited(chunk, VOICEOTP_CONCURRENCY, (id) => fetchOne(ctx, id));
    const page: SyncPage = { cdrs: [], notFound: [], final: [], progress: { done: start + chunk.length, total: ids.length } };
    outcomes.forEach((o, i) => {
      const id = chunk[i]!;
      if (o.kind === 'refused') throw new UserError(o.message, ctx.account.name);
      if (o.kind === 'notFound') page.notFound!.push(id);
      else {
        page.cdrs.push(o.cdr);
        // A known disposition is the call's last word; an empty or unknown one may still change.
        if (o.cdr.status !== 'unknown' && o.cdr.status !== 'pending') page.final!.push(id);
      }
    });
    yield page;
  }
}

export const voiceotpV2Adapter: ProviderAdapter = {
  descriptor: PROVIDERS['voiceotp-v2'],
  pages,
  async testConnection(ctx) {
    // No cheap listing exists: ask for an id that cannot exist. A token or URL problem throws; any documented
    // answer about the id itself means the token was accepted.
    await fetchOne(ctx, 'cdr-desk-connection-check');
  },
};
