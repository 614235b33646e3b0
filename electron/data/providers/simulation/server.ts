// A small HTTP server on 127.0.0.1 with fault injection in front of a provider's handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultController, type Fault, type FaultPlan } from './faults.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined) => Promise<void> | void;

export interface SimServer {
  baseUrl: string;
  faults: FaultController;
  close(): Promise<void>;
}

export interface SimServerOptions {
  port?: number;
  faults?: FaultPlan;
  pathPrefix?: string;
  /** Milliseconds every request waits before it is handled (a provider far away); `?latency=MS` on a request wins. */
  latencyMs?: number;
}

/** The most a request may be delayed (a typo should not hang a test for hours). */
export const MAX_LATENCY_MS = 10_000;

/** The request's own `latency` query parameter (taken out of the URL the handler sees), else the server's. */
function latencyOf(url: URL, fallback: number): number {
  const asked = url.searchParams.get('latency');
  if (asked === null) return fallback;
  url.searchParams.delete('latency');
  const ms = Number(asked);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_LATENCY_MS) throw new RangeError(`latency must be 0 to ${MAX_LATENCY_MS} ms, got "${asked}"`);
  return ms;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSimServer(handler: Handler, options: SimServerOptions = {}): Promise<SimServer> {
  const faults = new FaultController(options.faults);
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let latency: number;
      try {
        latency = latencyOf(url, options.latencyMs ?? 0);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (err as Error).message }));
        return;
      }
      if (latency > 0) await sleep(latency);
      const fault = faults.next();
      if (await applyFault(fault, res)) return;
      const prefix = options.pathPrefix ?? '';
      if (prefix && !url.pathname.startsWith(prefix)) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
        return;
      }
      url.pathname = url.pathname.slice(prefix.length) || '/';
      await handler(req, res, url, fault);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err) }));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${options.pathPrefix ?? ''}`,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
