// The fetch layer: one undici pool and one pacer per account (keep-alive, at most `concurrency` requests in
// flight), timeouts, retries on 429/5xx/HTML error pages/network errors with the pacer's shared backoff (a
// Retry-After pauses every request of the account), cancel through AbortSignal.
// Errors name the account and never carry a secret: URLs are redacted before they reach a message or log.
import './wasm-wrappers.ts'; // before undici compiles its parser
import { Pool, type Dispatcher } from 'undici';
import type { HttpCapture } from './capture.ts';
import { AccountPacer } from './pacer.ts';
import { ProviderHttpError } from './provider-error.ts';

export { ProviderHttpError } from './provider-error.ts';

export interface HttpOptions {
  account: string;
  baseUrl: string;
  /** Values to scrub from any URL or message (the account's secrets). */
  secrets?: readonly string[];
  /** Requests in flight at once (the provider descriptor's `limits.concurrency`); also the pool's connections. */
  concurrency?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  retries?: number;
  /** Base delay of the backoff; tests shrink it. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Largest body accepted, in bytes; a bigger one is an error, not an out-of-memory. */
  maxBodyBytes?: number;
  /** Gets every request and answer (each attempt), secrets still in: it redacts them (net/capture.ts). */
  capture?: HttpCapture;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path after the base URL's own path, starting with '/'. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const QUERY_SECRET_KEYS = /([?&](?:token|api_?key|apikey|password|secret|access_token)=)[^&#]*/gi;

export class HttpClient {
  readonly account: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly pool: Pool;
  /** Every request of the account waits here: see net/pacer.ts. */
  readonly pacer: AccountPacer;
  private readonly o: Required<Omit<HttpOptions, 'secrets' | 'capture'>> & { secrets: readonly string[]; capture?: HttpCapture };

  constructor(options: HttpOptions) {
    const url = new URL(options.baseUrl);
    this.account = options.account;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.o = {
      concurrency: 4,
      connectTimeoutMs: 10_000,
      headersTimeoutMs: 30_000,
      bodyTimeoutMs: 60_000,
      retries: 4,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      maxBodyBytes: 64 * 1024 * 1024,
      secrets: [],
      ...options,
    };
    this.pool = new Pool(this.origin, {
      connections: this.o.concurrency,
      connect: { timeout: this.o.connectTimeoutMs },
      headersTimeout: this.o.headersTimeoutMs,
      bodyTimeout: this.o.bodyTimeoutMs,
      keepAliveTimeout: 10_000,
    });
    this.pacer = new AccountPacer({ concurrency: this.o.concurrency, backoffMs: this.o.backoffMs, maxBackoffMs: this.o.maxBackoffMs });
  }

  /** The URL with secrets scrubbed, for logs and messages. */
  redact(text: string): string {
    let out = text.replace(QUERY_SECRET_KEYS, '$1***');
    for (const s of this.o.secrets) if (s) out = out.split(s).join('***');
    return out;
  }

  pathWithQuery(req: Pick<HttpRequest, 'path' | 'query'>): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.append(k, String(v));
    const q = qs.toString();
    return `${this.basePath}${req.path}${q ? `?${q}` : ''}`;
  }

  /**
   * Sends a request, retrying what is worth retrying. Returns any final non-retryable answer (4xx included):
   * the adapter knows the provider's error shapes and turns them into messages.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const path = this.pathWithQuery(req);
    const where = this.redact(`${req.method} ${this.origin}${path}`);
    let attempt = 0;
    for (;;) {
      const ticket = await this.pacer.acquire(req.signal, attempt > 0);
      let retryAfterMs: number | undefined;
      let failure: string;
      let status: number | undefined;
      try {
        const res = await this.pool.request({
          method: req.method,
          path,
          headers: req.headers,
          body: req.body,
          signal: req.signal,
        } as Dispatcher.RequestOptions);
        status = res.statusCode;
        const text = await readBody(res.body, this.o.maxBodyBytes);
        this.captureExchange(req, { status, headers: flatHeaders(res.headers), body: text });
        // Judge by the body, not the header: PHP APIs often send JSON labelled text/html.
        const html = /^\s*<(!doctype|html|head|body)/i.test(text);
        // An HTML page with 200 is a proxy or maintenance page, worth another try; an HTML 404 is a wrong URL.
        if (status === 429 || status >= 500 || (html && status < 300)) {
          retryAfterMs = parseRetryAfter(res.headers['retry-after']);
          failure = `HTTP ${status}${html ? ' (an HTML page instead of the API answer)' : ''}`;
        } else {
          this.pacer.succeeded();
          return { status, headers: res.headers, text };
        }
      } catch (err) {
        if (req.signal?.aborted) {
          this.captureExchange(req, undefined, 'aborted by the sync before the answer (no longer needed, or cancelled)', true);
          throw req.signal.reason ?? err;
        }
        const reason = err instanceof BodyTooLargeError ? err.message : networkReason(err);
        this.captureExchange(req, undefined, status === undefined ? reason : `HTTP ${status}, then ${reason}`);
        if (err instanceof BodyTooLargeError) throw new ProviderHttpError(`${where}: ${err.message}`, this.account);
        failure = this.redact(networkReason(err));
      } finally {
        ticket.release();
      }
      // The whole account pauses (Retry-After, or the shared backoff); the next acquire waits it out.
      this.pacer.failed(ticket, retryAfterMs);
      if (attempt >= this.o.retries) {
        throw new ProviderHttpError(`${where} failed after ${attempt + 1} tries: ${failure}`, this.account, status);
      }
      attempt++;
    }
  }

  /** `request` + JSON parse; a body that is not JSON is an error naming the account and a redacted URL. */
  async json<T = unknown>(req: HttpRequest, parse: (text: string) => unknown = JSON.parse): Promise<{ status: number; body: T }> {
    const res = await this.request(req);
    try {
      return { status: res.status, body: parse(res.text) as T };
    } catch {
      throw this.notJson(req, res);
    }
  }

  /** The error for an answer that is not the JSON expected, naming the account and a redacted URL. */
  notJson(req: HttpRequest, res: HttpResponse): ProviderHttpError {
    const where = this.redact(`${req.method} ${this.origin}${this.pathWithQuery(req)}`);
    const snippet = this.redact(res.text.slice(0, 120)).replace(/\s+/g, ' ');
    return new ProviderHttpError(`${where}: answer is not valid JSON (HTTP ${res.status}, starts "${snippet}")`, this.account, res.status);
  }

  private captureExchange(req: HttpRequest, response?: { status: number; headers: Record<string, string>; body: string }, error?: string, aborted?: boolean): void {
    if (!this.o.capture) return;
    const query = this.pathWithQuery({ path: '', query: req.query }).slice(this.basePath.length);
    const request = { method: req.method, path: `${req.path}${query}`, headers: req.headers ?? {}, body: req.body ?? null };
    this.o.capture.record({ account: this.account, secrets: this.o.secrets, request, response, error, ...(aborted ? { aborted } : {}) });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

class BodyTooLargeError extends Error {}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new BodyTooLargeError(`answer is larger than ${Math.round(max / 1048576)} MiB`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function networkReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the base URL right and the server up?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found (no network, or a wrong base URL)';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'the server did not answer in time';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the answer stalled before it was complete';
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
      return 'the connection was cut (truncated answer)';
    default:
      return e.message ?? String(err);
  }
}
