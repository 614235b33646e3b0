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

export async function startSimServer(handler: Handler, options: { port?: number; faults?: FaultPlan; pathPrefix?: string } = {}): Promise<SimServer> {
  const faults = new FaultController(options.faults);
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer(async (req, res) => {
    try {
      const fault = faults.next();
      if (await applyFault(fault, res)) return;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
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
