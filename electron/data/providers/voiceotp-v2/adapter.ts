// TEL4VN voice OTP / autocall v2 (Vietnam), seed 001: GET {base}/api/v2/report/{callId} with
// `Authorization: <token>` (no Bearer). v2 has no listing: call ids come from the user, read a few at a time.
import type { CallStatus, NormalizedCdr } from '../../../shared/cdr.ts';
import { PROVIDERS, requiredLimit } from '../../../shared/providers.ts';
import { UserError } from '../../errors.ts';
import { limit } from '../../net/limit.ts';
import { providerError, ProviderHttpError, wrongAddress, wrongAddressError } from '../../net/provider-error.ts';
import { parseNaiveDateTime } from '../../time/parse.ts';
import { int, jsonInString, stringLeaves, text } from '../fields.ts';
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
  const status = voiceotpStatus(r.status);
  const startedAt = time('created_at'); // dial time
  const answeredAt = status === 'answered' ? time('started_at') : null; // started_at is the pick-up
  const keypress = str(r.keypress);
  const leaves = stringLeaves(jsonInString(r.param));
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
  | { kind: 'refused'; error: ProviderHttpError };

async function fetchOne(ctx: AdapterContext, id: string): Promise<Outcome> {
  const path = `/api/v2/report/${encodeURIComponent(id)}`;
  const res = await ctx.http
    .json<unknown>({ method: 'GET', path, headers: { authorization: ctx.secrets.token ?? '', accept: 'application/json' }, signal: ctx.signal })
    .catch((err: unknown) => {
      // Not the API's JSON at all: an HTML 404 is a wrong base URL, not an unknown id.
      throw wrongAddress(err, ctx.http, 'voiceotp-v2', path, ctx.account.baseUrl);
    });
  const account = ctx.account.name;
  if (!res.body || typeof res.body !== 'object' || Array.isArray(res.body)) {
    throw new UserError(`voiceotp-v2 ${path}: the answer is not a JSON object (HTTP ${res.status})`, account);
  }
  const body = res.body as V2Body;
  const refusal = (providerMessage: string) =>
    providerError(ctx.http, { provider: 'voiceotp-v2', path, status: res.status, providerMessage, credentialsHint: 'is the access token right?' });
  if (res.status === 401 || res.status === 403) throw refusal(errorText(body));
  const documented = 'code' in body || 'messsage' in body || body.status === false;
  if (body.status === false || res.status >= 400) {
    const why = errorText(body);
    if (documented && (res.status === 404 || NOT_FOUND.test(why))) return { kind: 'notFound' };
    if (!documented && res.status === 404) throw wrongAddressError(ctx.http, 'voiceotp-v2', path, ctx.account.baseUrl);
    return { kind: 'refused', error: refusal(why) };
  }
  const record = body.data;
  if (!record || typeof record !== 'object' || Array.isArray(record) || Object.keys(record).length === 0) return { kind: 'notFound' };
  return { kind: 'cdr', cdr: mapVoiceotpRecord(id, record as Record<string, unknown>, ctx.account.timezone, account) };
}

async function* pages(ctx: AdapterContext): AsyncIterable<SyncPage> {
  const ids = [...new Set(ctx.ids)];
  for (let start = 0; start < ids.length; start += PAGE_IDS) {
    const chunk = ids.slice(start, start + PAGE_IDS);
    const outcomes = await limit(chunk, VOICEOTP_CONCURRENCY, (id) => fetchOne(ctx, id));
    const page: SyncPage = { cdrs: [], notFound: [], final: [], progress: { done: start + chunk.length, total: ids.length } };
    outcomes.forEach((o, i) => {
      const id = chunk[i]!;
      if (o.kind === 'refused') throw o.error;
      if (o.kind === 'notFound') page.notFound!.push(id);
      else {
        page.cdrs.push(o.cdr);
        // A known disposition is the call's last word; an empty or unknown one may still change.
        if (o.cdr.status !== 'unknown') page.final!.push(id);
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
