// Replay: serves a capture (net/capture.ts) back on 127.0.0.1 as the provider answered it, so a capture taken
// from a real provider becomes a regression test or a reproduction of a user's problem.
//
// Each request is redacted with the secrets the replaying account uses (the same redaction the capture applied),
// then answered with the first exchange not yet served whose request is the same (method, path and query, body;
// parameters in any order); failing that, the next one of the same method and path in capture order (a window
// computed from "now" differs between the capture and the replay). A request with neither is a miss: 404, and
// listed in `misses`, unless the client gives the request up within MISS_GRACE_MS (an adapter that asks pages ahead
// aborts those past the end: `abandoned`). An exchange captured as a network error is replayed as a cut
// connection; one the sync aborted itself has no answer to give and is not served.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { redactRequest, type CapturedExchange, type CapturedRequest } from '../../net/capture.ts';
import { readRequestBody } from './faults.ts';
import { startSimServer } from './server.ts';

export interface CaptureAbout {
  account: string;
  provider: string;
  timezone: string;
  basePath: string;
  host: string;
}

export interface Capture {
  /** account.json, when the capture has one. */
  about: CaptureAbout | null;
  exchanges: CapturedExchange[];
}

/** One account's capture folder: account.json and the numbered exchanges, in order. */
export function readCapture(dir: string): Capture {
  const about = existsSync(join(dir, 'account.json')) ? (JSON.parse(readFileSync(join(dir, 'account.json'), 'utf8')) as CaptureAbout) : null;
  const files = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  if (files.length === 0) throw new Error(`${dir} holds no captured exchange (0001.json, ...)`);
  const exchanges = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapturedExchange);
  return { about, exchanges };
}

export interface ReplayServer {
  baseUrl: string;
  capture: Capture;
  /** Requests answered from the capture, and how many of them only by method and path. */
  served: number;
  loose: number;
  /** Requests the capture had no answer for, and the client did not give up: `METHOD path`. */
  misses: string[];
  /** Requests the capture had no answer for that the client gave up on (pages asked ahead and not needed). */
  abandoned: number;
  /** Exchanges never served. */
  unserved(): CapturedExchange[];
  close(): Promise<void>;
}

/** Query parameters and form or JSON bodies compared whatever their order. */
function canonicalQuery(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  return `${path.slice(0, q)}?${path.slice(q + 1).split('&').sort().join('&')}`;
}

function canonicalBody(body: string | null): string {
  if (body === null || body === '') return '';
  try {
    return JSON.stringify(sortKeys(JSON.parse(body)));
  } catch {
    return /^[^\s=&]+=/.test(body) ? body.split('&').sort().join('&') : body;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

const pathOnly = (path: string) => path.split('?')[0];

function sameRequest(a: CapturedRequest, b: CapturedRequest): boolean {
  return a.method === b.method && canonicalQuery(a.path) === canonicalQuery(b.path) && canonicalBody(a.body) === canonicalBody(b.body);
}

/** How long a request without a captured answer is held, in case the client gives it up, before it is a miss. */
export const MISS_GRACE_MS = 1000;

/** Resolves true when the client goes away within `ms`, false after it. */
function clientGivesUp(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    res.once('close', onClose);
  });
}

/** Serves `dir` (one account's capture folder) on 127.0.0.1; `secrets` are the replaying account's. */
export async function startReplayServer(dir: string, options: { secrets?: readonly string[]; port?: number } = {}): Promise<ReplayServer> {
  const capture = readCapture(dir);
  const used = new Set<number>();
  const secrets = options.secrets ?? [];
  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : await readRequestBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const asked = redactRequest({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, headers, body: body || null }, secrets);
    const free = capture.exchanges.map((x, i) => ({ x, i })).filter(({ x, i }) => !used.has(i) && !x.aborted);
    let hit = free.find(({ x }) => sameRequest(x.request, asked));
    if (!hit) {
      hit = free.find(({ x }) => x.request.method === asked.method && pathOnly(x.request.path) === pathOnly(asked.path));
      if (hit) replay.loose++;
    }
    if (!hit) {
      if (await clientGivesUp(res, MISS_GRACE_MS)) {
        replay.abandoned++;
        return;
      }
      replay.misses.push(`${asked.method} ${asked.path}`);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no captured answer for ${asked.method} ${asked.path}` }));
      return;
    }
    used.add(hit.i);
    replay.served++;
    const answer = hit.x.response;
    if (!answer) {
      res.socket?.destroy();
      return;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (/^(content-type|retry-after|location)$/i.test(k)) out[k] = v;
    res.writeHead(answer.status, out).end(answer.body);
  };
  const server = await startSimServer(handler, { port: options.port });
  const replay: ReplayServer = {
    baseUrl: server.baseUrl,
    capture,
    served: 0,
    loose: 0,
    misses: [],
    abandoned: 0,
    unserved: () => capture.exchanges.filter((x, i) => !used.has(i) && !x.aborted),
    close: server.close,
  };
  return replay;
}
