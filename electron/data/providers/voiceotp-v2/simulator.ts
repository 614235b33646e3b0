// TEL4VN voice OTP v2 simulator (seed 001): GET /api/v2/report/{callId} with `Authorization: <token>` (no
// Bearer), records in the seed's exact shape (param as JSON inside a string, keypress "127", naive Vietnam
// times) and errors in the documented `{"messsage",...}` shape (sic). Dialects follow the readings the document
// leaves open (docs/providers/voiceotp-v2.md), above all how an unknown id is answered.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatus } from '../../../shared/cdr.ts';
import { formatWall, toIsoUtc } from '../../time/zone.ts';
import { sendJson, type Fault } from '../simulation/faults.ts';
import { seededRng, type Rng } from '../simulation/random.ts';
import { startSimServer } from '../simulation/server.ts';
import type { ExpectedCall, RunningSimulator, SimulatorOptions } from '../simulation/types.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const DEFAULT_END = Date.UTC(2024, 10, 1);
const DAY = 86_400_000;
const PREFIX = '/api/v2/report/';

/**
 * One per open reading of the document; 'seed' is its own examples (an unknown id gets the documented error
 * envelope: 400 for a well-formed id, 404 for garbage). The others differ in one point each.
 */
export const VOICEOTP_DIALECTS = [
  'seed',
  /** Errors spelled `message` (two s) instead of the documented `messsage`. */
  'message-key',
  /** An unknown id answers 200 `{"data":null}`. */
  'unknown-null-data',
  /** An unknown id answers 200 with the error envelope (`status:false`, code 404) as its body. */
  'unknown-200-error',
  /** An unknown id answers 404 in another envelope: `{"error":"cdr not found"}`. */
  'unknown-other-envelope',
  /** An unknown id answers a 404 HTML page (a proxy's or framework's). */
  'unknown-html-404',
  /** An unknown id answers 404 `404 page not found` as plain text (a Go router's default). */
  'unknown-text-404',
  /** Records wrapped in a list: `{"data":[record]}`. */
  'data-array',
  /** The disposition spelled NOANSWER instead of the documented NOANWSER. */
  'noanswer-spelled',
  /** The token sent as `Bearer <token>` (TEL4VN's v3 way); the bare token is refused. */
  'bearer-auth',
] as const;
export type VoiceotpDialect = (typeof VOICEOTP_DIALECTS)[number];

function dialectOf(name: string | null | undefined, fallback: VoiceotpDialect): VoiceotpDialect {
  if (name === null || name === undefined || name === '') return fallback;
  if (!(VOICEOTP_DIALECTS as readonly string[]).includes(name)) throw new Error(`voiceotp-v2 simulator has no dialect "${name}" (${VOICEOTP_DIALECTS.join(', ')})`);
  return name as VoiceotpDialect;
}

type Disposition = 'ANSWERED' | 'NOANWSER' | 'BUSY' | 'CONGESTION' | 'INVALIDNUMBER' | 'FAIL' | 'ERROR' | 'CANCEL' | '';

/** The generator's own meaning of each disposition (seed 001's table); '' is a call still in progress. */
const MEANING: Record<Disposition, CallStatus> = {
  ANSWERED: 'answered',
  NOANWSER: 'no_answer',
  BUSY: 'busy',
  CONGESTION: 'congestion',
  INVALIDNUMBER: 'invalid_number',
  FAIL: 'failed',
  ERROR: 'failed',
  CANCEL: 'no_answer',
  '': 'pending',
};

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Hoàng', 'Ngọc', 'Đức', 'Thanh'];
const GIVEN = ['An', 'Bích', 'Châu', 'Dũng', 'Hà', 'Hùng', 'Lan', 'Nam', 'Phương', 'Quân', 'Thảo', 'Tuấn', 'Yến'];
const TEMPLATES = ['thong_bao_no_cuoc_1', 'nhac_lich_hen', 'xac_nhan_don_hang'];

interface VoiceotpCall {
  id: string;
  campaignId: string;
  userId: string;
  phone: string;
  type: 'OTP' | 'TTS' | 'DEFAULT';
  param: Record<string, string>;
  status: Disposition;
  created: number;
  started: number | null;
  ended: number | null;
  duration: number;
  keypress: string;
  codeOtp: string | null;
}

function uuid(r: Rng): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function vietnamPhone(r: Rng): string {
  return `0${r.pick(['3', '5', '7', '8', '9'])}${r.digits(8)}`;
}

/** Plays a call to its disposition, starting at its created time. */
function playOut(r: Rng, c: VoiceotpCall, status: Disposition): void {
  c.status = status;
  c.keypress = '127';
  c.started = null;
  c.ended = null;
  c.duration = 0;
  c.codeOtp = null; // "Null with failed calls"
  if (status === '') return;
  if (status === 'ANSWERED') {
    c.started = c.created + r.int(4, 20) * 1000;
    c.duration = r.int(3, 90);
    c.ended = c.started + c.duration * 1000;
    c.keypress = r.weighted([['127', 6], ['1', 2], ['2', 1]]);
    if (c.type === 'OTP') c.codeOtp = r.hex(6).toUpperCase();
    return;
  }
  c.ended = c.created + (status === 'NOANWSER' ? r.int(25, 45) : r.int(1, 10)) * 1000;
}

function recordOf(c: VoiceotpCall, dialect: VoiceotpDialect): Record<string, unknown> {
  const t = (ms: number | null) => (ms === null ? null : formatWall(ZONE, ms));
  // Keys in the seed's (alphabetical) order.
  return {
    campaign_id: c.campaignId,
    code_otp: c.codeOtp,
    created_at: t(c.created),
    duration: c.duration,
    ended_at: t(c.ended),
    id: c.id,
    keypress: c.keypress,
    param: JSON.stringify(c.param),
    phone_number: c.phone,
    started_at: t(c.started),
    status: dialect === 'noanswer-spelled' && c.status === 'NOANWSER' ? 'NOANSWER' : c.status,
    type: c.type,
    user_id: c.userId,
  };
}

function expectedOf(c: VoiceotpCall, dialect: VoiceotpDialect): ExpectedCall {
  const status = MEANING[c.status];
  return {
    callId: c.id,
    status,
    providerStatus: (recordOf(c, dialect).status as string) || null,
    direction: 'out',
    source: null,
    destination: c.phone,
    campaign: c.campaignId,
    startedAt: toIsoUtc(c.created),
    answeredAt: status === 'answered' ? toIsoUtc(c.started) : null,
    endedAt: toIsoUtc(c.ended),
    durationSec: c.duration,
    billSec: status === 'answered' ? c.duration : 0,
    agent: c.userId,
    contact: c.param.customer_name ?? null,
  };
}

function error(res: ServerResponse, code: number, message: string, detail: string, fault: Fault | undefined, dialect: VoiceotpDialect): void {
  const key = dialect === 'message-key' ? 'message' : 'messsage';
  sendJson(res, code, { [key]: message, code, status: false, data: { error: detail } }, fault);
}

/** The answer for an id the server does not hold, in the dialect's shape. */
function unknownId(res: ServerResponse, id: string, fault: Fault | undefined, dialect: VoiceotpDialect): void {
  switch (dialect) {
    case 'unknown-null-data':
      return sendJson(res, 200, { data: null }, fault);
    case 'unknown-200-error':
      return sendJson(res, 200, { messsage: 'Not Found', code: 404, status: false, data: { error: 'record not found' } }, fault);
    case 'unknown-other-envelope':
      return sendJson(res, 404, { error: 'cdr not found' }, fault);
    case 'unknown-html-404':
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
      return;
    case 'unknown-text-404':
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found');
      return;
    default:
      // Well-formed ids the server does not hold get its usual 400; anything else a 404.
      if (/^\d+_\d+_\d+_\d+_[0-9a-f-]{36}_\d+$/.test(id)) return error(res, 400, 'Bad Request', 'cdr not found', fault, dialect);
      return error(res, 404, 'Not Found', 'record not found', fault, dialect);
  }
}

export async function startVoiceotpV2Sim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const dialect = dialectOf(options.dialect, 'seed');
  const r = seededRng(options.seed ?? 1);
  const end = options.end ?? DEFAULT_END;
  const start = options.start ?? end - 30 * DAY;
  const secrets = { token: `${r.hex(8)}MzA1MTNk${r.hex(16)}` };
  const calls = new Map<string, VoiceotpCall>();
  const ids: string[] = [];
  const unknownIds: string[] = [];

  const addCall = (): VoiceotpCall => {
    const campaign = String(r.int(1, 4));
    const phone = vietnamPhone(r);
    const type = r.weighted<VoiceotpCall['type']>([['TTS', 5], ['OTP', 4], ['DEFAULT', 1]]);
    const name = `${r.pick(FAMILY)} ${r.pick(MIDDLE)} ${r.pick(GIVEN)}`;
    const param: Record<string, string> =
      type === 'OTP'
        ? { customer_name: name }
        : { customer_name: name, due_amount: `${r.int(1, 40)}.${r.digits(3)}.000`, due_days: `#${r.int(1, 30)}`, template_name: r.pick(TEMPLATES) };
    const c: VoiceotpCall = {
      id: `1_${campaign}_1_5_${uuid(r)}_${phone}`,
      campaignId: campaign,
      userId: String(r.pick([5, 5, 5, 12])),
      phone,
      type,
      param,
      status: '',
      created: start + Math.floor((r.next() * (end - start)) / 1000) * 1000,
      started: null,
      ended: null,
      duration: 0,
      keypress: '127',
      codeOtp: null,
    };
    playOut(r, c, r.weighted<Disposition>([
      ['ANSWERED', 45], ['NOANWSER', 18], ['BUSY', 8], ['CONGESTION', 4], ['INVALIDNUMBER', 4],
      ['FAIL', 4], ['ERROR', 2], ['CANCEL', 5], ['', 10],
    ]));
    calls.set(c.id, c);
    ids.push(c.id);
    return c;
  };
  const count = options.calls ?? 120;
  for (let i = 0; i < count; i++) {
    addCall();
    if (i % 50 === 11) {
      // Ids a user might paste that the provider never issued: one well formed, one garbage.
      const bogus = unknownIds.length % 2 === 0 ? `1_9_1_5_${uuid(r)}_0900000000` : `call-${r.hex(6)}`;
      unknownIds.push(bogus);
      ids.push(bogus);
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => {
    if (!url.pathname.startsWith(PREFIX) || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404 page not found</body></html>');
      return;
    }
    const d = dialectOf(url.searchParams.get('dialect'), dialect);
    const auth = req.headers.authorization;
    if (!auth) return error(res, 401, 'Unauthorized', 'missing Authorization header', fault, d);
    if (auth !== (d === 'bearer-auth' ? `Bearer ${secrets.token}` : secrets.token)) return error(res, 401, 'Unauthorized', 'token is invalid or expired', fault, d);
    const id = decodeURIComponent(url.pathname.slice(PREFIX.length));
    const call = calls.get(id);
    if (!call) return unknownId(res, id, fault, d);
    const record = recordOf(call, d);
    sendJson(res, 200, { data: d === 'data-array' ? [record] : record }, fault);
  };
  const server = await startSimServer(handler, { port: options.port, faults: options.faults, latencyMs: options.latencyMs });
  return {
    provider: 'voiceotp-v2',
    baseUrl: server.baseUrl,
    secrets,
    timezone: ZONE,
    get expected() {
      return [...calls.values()].map((c) => expectedOf(c, dialect));
    },
    ids,
    unknownIds,
    faults: server.faults,
    mutate(change, n) {
      const changed: VoiceotpCall[] = [];
      if (change === 'add') for (let i = 0; i < n; i++) changed.push(addCall());
      else {
        // Calls still in progress reach their disposition (mostly answered).
        for (const c of [...calls.values()].filter((x) => x.status === '').slice(0, n)) {
          playOut(r, c, r.weighted<Disposition>([['ANSWERED', 3], ['NOANWSER', 1], ['BUSY', 1]]));
          changed.push(c);
        }
      }
      return changed.map((c) => expectedOf(c, dialect));
    },
    close: server.close,
  };
}
