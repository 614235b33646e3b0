// Injectable faults shared by every simulator: each request first asks the controller whether to misbehave.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'status'; status: number; retryAfterSec?: number }
  | { kind: 'html'; status: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'truncate' }
  | { kind: 'invalid-json' };

export interface FaultPlan {
  /** Faults served, in order, to the next requests (one fault per request). */
  queue?: Fault[];
  /** Every Nth request (1-based) gets `fault`. */
  every?: { n: number; fault: Fault };
}

export class FaultController {
  requests = 0;
  served: Fault[] = [];
  private plan: FaultPlan;

  constructor(plan: FaultPlan = {}) {
    this.plan = { queue: [...(plan.queue ?? [])], every: plan.every };
  }

  set(plan: FaultPlan): void {
    this.plan = { queue: [...(plan.queue ?? [])], every: plan.every };
  }

  enqueue(...faults: Fault[]): void {
    (this.plan.queue ??= []).push(...faults);
  }

  next(): Fault | undefined {
    this.requests++;
    const queued = this.plan.queue?.shift();
    if (queued) return queued;
    const every = this.plan.every;
    if (every && this.requests % every.n === 0) return every.fault;
    return undefined;
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
    default:
      return false;
  }
}

/** Sends a JSON answer, mangled if the fault says so. */
export function sendJson(res: ServerResponse, status: number, body: unknown, fault?: Fault, rawText?: string): void {
  let text = rawText ?? JSON.stringify(body);
  if (fault?.kind === 'invalid-json') text = text.replace(/[{}]/g, '');
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

/** Reads a request body as text (simulators accept JSON, form and multipart bodies). */
export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
