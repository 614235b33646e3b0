// Injectable faults shared by every simulator: each request first asks the controller whether to misbehave.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'status'; status: number; retryAfterSec?: number }
  | { kind: 'html'; status: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'truncate' }
  | { kind: 'invalid-json' }
  /** Headers and half the body, then nothing for `delayMs` (forever when absent) before the rest. */
  | { kind: 'stall'; delayMs?: number }
  /** A valid JSON answer of `bytes` bytes instead of the real one. */
  | { kind: 'huge'; bytes: number }
  /**
   * The real answer with every object changed: 'extra' adds unknown fields, 'wrong-type' turns `field` into an
   * object, 'missing' deletes `field`, 'value' sets an existing `field` to `value` (an answer about another call).
   */
  | { kind: 'mangle'; mode: 'extra' | 'wrong-type' | 'missing' | 'value'; field?: string; value?: unknown };

export interface FaultPlan {
  /** Faults served, in order, to the next requests (one fault per request). */
  queue?: Fault[];
  /** Every Nth request (1-based) gets `fault`. */
  every?: { n: number; fault: Fault };
  /** A paged listing that misbehaves without any error: every paged simulator obeys it. */
  paging?: PagingFault;
}

/**
 * `drop`: the rows of one page (the `drop`-th page of every listing, 1 = the first) are never served, the pages
 * after it move up by one, and the counts still include them. `ignoreOffset`: the offset/page/cursor parameter is
 * ignored, every request gets the first page.
 */
export interface PagingFault {
  drop?: number;
  ignoreOffset?: boolean;
}

export class FaultController {
  requests = 0;
  /** Every fault served so far, in order. */
  served: Fault[] = [];
  private plan: FaultPlan;

  constructor(plan: FaultPlan = {}) {
    this.plan = { queue: [...(plan.queue ?? [])], every: plan.every, paging: plan.paging };
  }

  set(plan: FaultPlan): void {
    this.plan = { queue: [...(plan.queue ?? [])], every: plan.every, paging: plan.paging };
  }

  /** The paging misbehaviour in force (none by default). */
  get paging(): PagingFault {
    return this.plan.paging ?? {};
  }

  /** Where a paged listing starts serving when asked for `start`: the first page when the offset is ignored. */
  pagedStart(start: number): number {
    return this.paging.ignoreOffset ? 0 : start;
  }

  /** A listing under the paging fault: the dropped page's rows are not in it (its counts still include them). */
  visible<T>(rows: readonly T[], size: number): readonly T[] {
    const d = this.paging.drop;
    if (d === undefined) return rows;
    return [...rows.slice(0, (d - 1) * size), ...rows.slice(d * size)];
  }

  enqueue(...faults: Fault[]): void {
    (this.plan.queue ??= []).push(...faults);
  }

  next(): Fault | undefined {
    this.requests++;
    const queued = this.plan.queue?.shift();
    const every = this.plan.every;
    const fault = queued ?? (every && this.requests % every.n === 0 ? every.fault : undefined);
    if (fault) this.served.push(fault);
    return fault;
  }
}

/**
 * Serves `fault` if it replaces the answer; returns 'delay' info for slow faults, or 'body' for faults that
 * mangle a real answer (truncate, invalid-json). Returns true when the response was fully handled.
 */
export async function applyFault(fault: Fault | undefined, res: ServerResponse): Promise<boolean> {
  if (!fault) return false;
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {}),
      });
      res.end(JSON.stringify({ error: `simulated ${fault.status}` }));
      return true;
    case 'html':
      res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      return true;
    case 'hang':
      // Never answer; the client's timeout must fire. The socket is destroyed when the server closes.
      return true;
    case 'slow':
      await new Promise((r) => setTimeout(r, fault.delayMs));
      return false;
    case 'huge': {
      // {"data":["xxxx…", …]}: valid JSON, 64 KiB strings until `bytes`.
      const item = `"${'x'.repeat(65536)}"`;
      const n = Math.max(1, Math.ceil(fault.bytes / (item.length + 1)));
      res.on('error', () => undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"data":[${Array.from({ length: n }, () => item).join(',')}]}`);
      return true;
    }
    default:
      return false;
  }
}

/** Sends a JSON answer, mangled if the fault says so. */
export function sendJson(res: ServerResponse, status: number, body: unknown, fault?: Fault, rawText?: string): void {
  let text = rawText ?? JSON.stringify(body);
  if (fault?.kind === 'invalid-json') text = text.replace(/[{}]/g, '');
  if (fault?.kind === 'mangle') {
    try {
      text = JSON.stringify(mangle(rawText === undefined ? body : JSON.parse(rawText), fault));
    } catch {
      // Not JSON: served as is.
    }
  }
  if (fault?.kind === 'stall') {
    const bytes = Buffer.from(text);
    const half = Math.floor(bytes.length / 2);
    res.on('error', () => undefined);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, half));
    if (fault.delayMs !== undefined) {
      setTimeout(() => {
        if (!res.destroyed) res.end(bytes.subarray(half));
      }, fault.delayMs);
    }
    return;
  }
  if (fault?.kind === 'truncate') {
    // Promise the whole length, send half, then cut the connection: a truncated body.
    const bytes = Buffer.from(text);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    res.socket?.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

/** A copy of a JSON value with every object mangled as `fault` says. */
function mangle(value: unknown, fault: Extract<Fault, { kind: 'mangle' }>): unknown {
  if (Array.isArray(value)) return value.map((v) => mangle(v, fault));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === fault.field && fault.mode === 'missing') continue;
    if (k === fault.field && fault.mode === 'value') out[k] = fault.value;
    else out[k] = k === fault.field && fault.mode === 'wrong-type' ? { unexpected: [true] } : mangle(v, fault);
  }
  // Not inside MongoDB extended JSON ({"$oid": …}, {"$date": …}): those are values, not records.
  if (fault.mode === 'extra' && !Object.keys(out).some((k) => k.startsWith('$'))) {
    out.zz_unexpected_text = 'not in the API';
    out.zz_unexpected_object = { nested: [1, 2, 3] };
  }
  return out;
}

/** Reads a request body as text (simulators accept JSON, form and multipart bodies). */
export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
