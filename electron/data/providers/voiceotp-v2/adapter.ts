// TEL4VN voice OTP / autocall v2 (Vietnam), seed 001: GET {base}/api/v2/report/{callId} with
// `Authorization: <token>` (no Bearer). v2 has no listing: call ids come from the user, read a few at a time.
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import type { HttpRequest } from '../../net/http.ts';
import { limit } from '../../net/limit.ts';
import { providerError, type ProviderHttpError, wrongAddressError } from '../../net/provider-error.ts';
import { parseNaiveDateTime } from '../../time/parse.ts';
import { int, jsonInString, nameText, stringLeaves, text } from '../fields.ts';
import type { AdapterContext, ProviderAdapter, SyncPage } from '../types.ts';

/** Requests in flight at once (the descriptor's limits): the vendor documents no rate limit, so stay gentle. */
export const VOICEOTP_CONCURRENCY = PROVIDERS['voiceotp-v2'].limits.concurrency;
/** Ids per committed page. */
const PAGE_IDS = requiredLimit('voiceotp-v2', 'batch');

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
  error?: unknown;
}

/** The error text of any envelope: the documented {"messsage","code","status":false,"data":{"error"}} (sic), its
 * two-s spelling, or a bare {"error": …}. */
function errorText(body: V2Body): string {
  const data = body.data as { error?: unknown } | null | undefined;
  const parts = [body.messsage ?? body.message, body.error, data && typeof data === 'object' && !Array.isArray(data) ? data.error : undefined]
    .map((p) => (typeof p === 'string' ? p.trim() : p === undefined || p === null ? '' : JSON.stringify(p)))
    .filter(Boolean);
  return parts.join(': ');
}

const NOT_FOUND = /not\s*found|not\s*exist|no\s+such|no\s+(record|data|cdr|rows)|invalid\s+(call|cdr|id)/i;

/**
 * What one answer says about the id asked. `notFound` is `proven` when the answer itself shows the base URL reaches
 * the API (the documented envelope, or a JSON `data` member); a bare 404 page could as well be a wrong base URL,
 * and counts as "not found" only once another answer of the sync proved the URL right.
 */
type Outcome =
  | { kind: 'cdr'; cdr: NormalizedCdr }
  | { kind: 'notFound'; proven: boolean }
  /** The answer is about another call: neither stored nor counted as unknown (the id stays unanswered). */
  | { kind: 'otherId'; answered: string }
  /** A documented error answer about this id that is not "not found": the sync stops on it. */
  | { kind: 'refused'; error: ProviderHttpError };

function parseObject(textBody: string): V2Body | null {
  try {
    const parsed: unknown = JSON.parse(textBody);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as V2Body) : null;
  } catch {
    return null;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The record in `data`: an object, or the element of a list about `id` (a list is read for that id only). */
function recordIn(data: unknown, id: string): Record<string, unknown> | null {
  if (Array.isArray(data)) {
    const records = data.filter(isRecord);
    return records.find((r) => str(r.id) === id) ?? records[0] ?? null;
  }
  return isRecord(data) && Object.keys(data).length > 0 && !('error' in data && Object.keys(data).length === 1) ? data : null;
}

const reportPath = (id: string) => `/api/v2/report/${encodeURIComponent(id)}`;

/**
 * How the token is sent in this sync. The document sends it bare (`Authorization: <token>`); TEL4VN's v3 sends
 * `Bearer <token>`. A refusal of the bare token before any accepted request tries `Bearer` once; the scheme that
 * worked is kept for the rest of the sync.
 */
interface AuthScheme {
  bearer: boolean;
  /** A request was accepted with the current scheme: refusals are final from then on. */
  settled: boolean;
}

async function fetchOne(ctx: AdapterContext, id: string, auth: AuthScheme): Promise<Outcome> {
  const path = reportPath(id);
  const token = ctx.secrets.token ?? '';
  const requestWith = (bearer: boolean): HttpRequest => ({
    method: 'GET',
    path,
    headers: { authorization: bearer ? `Bearer ${token}` : token, accept: 'application/json' },
    signal: ctx.signal,
  });
  // `request`, not `json`: an unknown id may come back as a page or a text, which is an answer, not a failure.
  let req = requestWith(auth.bearer);
  let res = await ctx.http.request(req);
  if ((res.status === 401 || res.status === 403) && !auth.settled && !auth.bearer) {
    const again = await ctx.http.request(requestWith(true));
    if (again.status !== 401 && again.status !== 403) {
      auth.bearer = true;
      [req, res] = [requestWith(true), again];
    }
  }
  if (res.status !== 401 && res.status !== 403) auth.settled = true;
  const account = ctx.account.name;
  const body = parseObject(res.text);
  const refusal = (providerMessage: string) =>
    providerError(ctx.http, { provider: 'voiceotp-v2', path, status: res.status, providerMessage, credentialsHint: 'is the access token right?' });
  if (res.status === 401 || res.status === 403) throw refusal(body ? errorText(body) : '');
  if (!body) {
    // Not JSON: a 404 page (HTML or a router's plain text) or a "not found" text is an unknown id once the URL is
    // known to be right; anything else is not the API's answer.
    const snippet = res.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
    if (res.status === 404 || res.status === 410 || NOT_FOUND.test(snippet)) return { kind: 'notFound', proven: false };
    throw ctx.http.notJson(req, res);
  }
  const documented = 'code' in body || 'messsage' in body || 'message' in body || body.status === false;
  const record = recordIn(body.data, id);
  if (record && body.status !== false && res.status < 400) {
    const answered = str(record.id);
    if (answered !== null && answered !== id) return { kind: 'otherId', answered };
    return { kind: 'cdr', cdr: mapVoiceotpRecord(id, record, ctx.account.timezone, account) };
  }
  const why = errorText(body);
  // No record: `{"data":null}`, an empty object or list, a 404 in any envelope, or an error text saying so.
  if (res.status === 404 || res.status === 410 || NOT_FOUND.test(why) || (res.status < 400 && body.status !== false && !why)) {
    return { kind: 'notFound', proven: documented || 'data' in body };
  }
  return { kind: 'refused', error: refusal(why) };
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const ids = [...new Set(ctx.ids)];
  // True once an answer of this sync came from the API itself (a record or its documented envelope).
  let urlProven = false;
  const auth: AuthScheme = { bearer: false, settled: false };
  for (let start = 0; start < ids.length; start += PAGE_IDS) {
    const chunk = ids.slice(start, start + PAGE_IDS);
    // The sync's first id is asked alone: it settles how the token is sent before requests run in parallel.
    const first = auth.settled ? [] : [await fetchOne(ctx, chunk[0]!, auth)];
    const outcomes = [...first, ...(await limit(chunk.slice(first.length), VOICEOTP_CONCURRENCY, (id) => fetchOne(ctx, id, auth)))];
    const refused = outcomes.find((o) => o.kind === 'refused');
    if (refused) throw refused.error;
    urlProven ||= outcomes.some((o) => o.kind === 'cdr' || o.kind === 'otherId' || (o.kind === 'notFound' && o.proven));
    const bare = chunk.filter((_, i) => outcomes[i]!.kind === 'notFound' && !(outcomes[i] as { proven: boolean }).proven);
    // A wrong base URL answers every id with a bare 404; unknown ids alone cannot tell it from one.
    if (bare.length && !urlProven) throw wrongAddressError(ctx.http, 'voiceotp-v2', reportPath(bare[0]!), ctx.account.baseUrl);
    const page: SyncPage = { cdrs: [], notFound: [], final: [], asked: chunk, problems: [], progress: { done: start + chunk.length, total: ids.length } };
    outcomes.forEach((o, i) => {
      const id = chunk[i]!;
      if (o.kind === 'notFound') page.notFound!.push(id);
      else if (o.kind === 'otherId') page.problems!.push(`call id ${id} was answered with the record of call ${o.answered}`);
      else if (o.kind === 'cdr') {
        page.cdrs.push(o.cdr);
        // A known disposition is the call's last word; an empty or unknown one may still change.
        if (o.cdr.status !== 'unknown' && o.cdr.status !== 'pending') page.final!.push(id);
      }
    });
    if (page.problems!.length === 0) delete page.problems;
    yield page;
  }
}

export const voiceotpV2Adapter: ProviderAdapter = {
  descriptor: PROVIDERS['voiceotp-v2'],
  pages,
  async testConnection(ctx) {
    // No cheap listing exists: ask for an id that cannot exist. A token or URL problem throws; any answer of the
    // API about the id itself means the token was accepted. A bare 404 page cannot tell a wrong URL from an
    // unknown id: it is reported as a possibly wrong URL.
    const id = 'cdr-desk-connection-check';
    const o = await fetchOne(ctx, id, { bearer: false, settled: false });
    if (o.kind === 'notFound' && !o.proven) throw wrongAddressError(ctx.http, 'voiceotp-v2', reportPath(id), ctx.account.baseUrl);
  },
};
