// Capture: every request and answer an HttpClient exchanges, written to a folder with the secrets redacted, so a
// user can attach a sync to a support ticket and a developer can replay it (providers/simulation/replay.ts).
//
// Layout: DIR/<account>/account.json (provider, zone: written by the caller that knows them) and one file per
// exchange, DIR/<account>/0001.json, in the order the answers arrived: {request, response} or {request, error}.
// Redaction (redactExchange) replaces with *** every secret's value (as is, URL-encoded, form-encoded or
// JSON-escaped) anywhere, and the value of every header, query or body parameter whose name says secret
// (Authorization, X-APIKEY, token, api_hash...), hashes derived from a key included.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

export const REDACTED = '***';

export interface CapturedRequest {
  method: string;
  /** Path after the base URL's own path, with the query string. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CapturedExchange {
  /** 1-based, in the order the answers arrived (a retried request is captured once per attempt). */
  seq: number;
  at: string;
  request: CapturedRequest;
  response?: CapturedResponse;
  /** The request got no answer (connection refused, timeout, cut): the reason. */
  error?: string;
  /** The sync itself gave up the request before its answer (a page asked ahead and not needed, a cancel). */
  aborted?: true;
}

/** What the HttpClient hands over, before redaction. */
export interface ExchangeRecord {
  account: string;
  secrets: readonly string[];
  request: CapturedRequest;
  response?: CapturedResponse;
  error?: string;
  aborted?: true;
}

export interface HttpCapture {
  record(exchange: ExchangeRecord): void;
}

/** Header names whose value is a credential. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-?key|api-?key|x-auth-token|x-access-token|token)$/i;
/** Parameter names (query, form, JSON) whose value is a credential or derived from one. */
const SECRET_PARAM = /^(token|access_token|api_?token|api_?key|apikey|x-apikey|password|passwd|pass|secret|client_secret|api_hash|hash|signature|sign|auth)$/i;
/** Headers kept in a capture: what a reader or a replay needs, nothing about our own machine. */
const KEPT_HEADERS = /^(content-type|accept|authorization|x-apikey|retry-after|location)$/i;

function replaceAll(text: string, needle: string, by: string): string {
  return needle ? text.split(needle).join(by) : text;
}

/** Every spelling of a secret that may appear in a request or answer. */
function spellings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)]);
  return [...out].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** `text` with every spelling of every secret replaced. */
export function redactValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter(Boolean).sort((a, b) => b.length - a.length)) for (const v of spellings(s)) out = replaceAll(out, v, REDACTED);
  return out;
}

/** A query string or form body with the secret-named parameters' values replaced; other text kept byte for byte. */
function redactForm(form: string): string {
  return form
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        return pair;
      }
      // PHP-style nested names (filters[token]) are judged by their last part.
      const last = /\[([^\]]*)\]$/.exec(name)?.[1] ?? name;
      return SECRET_PARAM.test(last) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}

function redactJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJsonValue);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_PARAM.test(k) && v !== null && v !== '' ? REDACTED : redactJsonValue(v)]));
}

/** A body: JSON keeps its shape with secret-named keys redacted; a form its pairs; anything else is text. */
function redactBody(body: string, contentType: string | undefined): string {
  const trimmed = body.trim();
  if (/json/i.test(contentType ?? '') || /^[{[]/.test(trimmed)) {
    try {
      return JSON.stringify(redactJsonValue(JSON.parse(body)));
    } catch {
      // not strict JSON (Sarv's trailing comma): values only
      return body;
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType ?? '') || /^[^\s=&]+=[^\s]*(&[^\s=&]+=[^\s]*)*$/.test(trimmed)) return redactForm(body);
  return body;
}

function redactHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!KEPT_HEADERS.test(k)) continue;
    out[k.toLowerCase()] = SECRET_HEADER.test(k) ? REDACTED : redactValues(v, secrets);
  }
  return out;
}

/** The request as a capture keeps it: the same function redacts a replayed request before it is matched. */
export function redactRequest(req: CapturedRequest, secrets: readonly string[]): CapturedRequest {
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : `${req.path.slice(0, q)}?${redactForm(req.path.slice(q + 1))}`;
  const type = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  return {
    method: req.method.toUpperCase(),
    path: redactValues(path, secrets),
    headers: redactHeaders(req.headers, secrets),
    body: req.body === null ? null : redactValues(redactBody(req.body, type), secrets),
  };
}

export function redactExchange(x: ExchangeRecord): Omit<CapturedExchange, 'seq' | 'at'> {
  const out: Omit<CapturedExchange, 'seq' | 'at'> = { request: redactRequest(x.request, x.secrets) };
  if (x.response) {
    out.response = {
      status: x.response.status,
      headers: redactHeaders(x.response.headers, x.secrets),
      // An answer's text is kept as sent (replays must parse it the same way): secret values only.
      body: redactValues(x.response.body, x.secrets),
    };
  }
  if (x.error !== undefined) out.error = redactValues(x.error, x.secrets);
  if (x.aborted) out.aborted = true;
  return out;
}

/** A folder name for an account: letters, digits, dot, dash and underscore; the rest becomes '_'. */
export function accountFolder(account: string): string {
  const safe = account.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^\w.-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return safe || 'account';
}

/** Writes each exchange as it happens (a sync that fails midway keeps what it exchanged). */
export class CaptureWriter implements HttpCapture {
  readonly dir: string;
  private readonly seq = new Map<string, number>();
  private readonly folders = new Map<string, string>();

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  /**
   * The account's folder, made on first use: two accounts whose names give the same folder name get `-2`, `-3`...;
   * a folder that already holds a capture is refused (its exchanges would mix with this sync's).
   */
  folderOf(account: string): string {
    const known = this.folders.get(account);
    if (known) return known;
    const base = accountFolder(account);
    const taken = new Set(this.folders.values());
    let folder = join(this.dir, base);
    for (let n = 2; taken.has(folder); n++) folder = join(this.dir, `${base}-${n}`);
    if (existsSync(folder) && readdirSync(folder).some((f) => /^\d+\.json$/.test(f))) {
      throw new UserError(`the capture folder ${folder} already holds a capture: choose an empty folder`, account);
    }
    mkdirSync(folder, { recursive: true });
    this.folders.set(account, folder);
    return folder;
  }

  record(x: ExchangeRecord): void {
    const seq = (this.seq.get(x.account) ?? 0) + 1;
    this.seq.set(x.account, seq);
    const exchange: CapturedExchange = { seq, at: new Date().toISOString(), ...redactExchange(x) };
    writeFileSync(join(this.folderOf(x.account), `${String(seq).padStart(4, '0')}.json`), `${JSON.stringify(exchange, null, 2)}\n`);
  }

  /** Exchanges written so far for `account`. */
  count(account: string): number {
    return this.seq.get(account) ?? 0;
  }

  /** account.json: what a replay needs to know besides the exchanges (no secret: the base URL's host only). */
  describe(account: string, info: { provider: string; timezone: string; baseUrl: string }): void {
    const url = new URL(info.baseUrl);
    const about = { account, provider: info.provider, timezone: info.timezone, basePath: url.pathname.replace(/\/+$/, ''), host: url.host };
    writeFileSync(join(this.folderOf(account), 'account.json'), `${JSON.stringify(about, null, 2)}\n`);
  }
}
