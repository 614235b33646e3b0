// `cdr-desk preview`: the built renderer on 127.0.0.1 with window.api bridged over HTTP to the real data layer,
// through the same dispatcher the app's data host uses. Loopback only; every API call needs the random token
// (header on POST, query on the event stream), and requests naming another Host are refused (DNS rebinding).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, mimeTypeOf, resolveAppPath } from '../../shared/app-path.ts';
import { CHANNELS, EVENT_NAMES, type Channel, type EventName } from '../../shared/contract.ts';
import { UserError } from '../errors.ts';
import { busyMessage, CallLimit } from '../../shared/call-limit.ts';
import { createDispatcher, type Dispatcher } from '../host/dispatcher.ts';
import type { FileGrants } from '../host/file-grants.ts';
import { PREVIEW_CLIENT_PATH, previewClientScript, TOKEN_HEADER } from './client.ts';
import type { Workspace } from '../workspace.ts';

export interface PreviewOptions {
  ws: Workspace;
  /** Folder of the built renderer (index.html inside). */
  rendererDir: string;
  port: number;
  version: string;
  log?: (line: string) => void;
}

export interface Preview {
  url: string;
  token: string;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

const MAX_BODY = 25 * 1024 * 1024;

/**
 * A browser has no native dialogs: preview answers the main-only channels in plain, honest ways. An export is
 * written under <dataDir>/exports whatever name the page asks for: the handle it gets names only that file.
 */
function previewExtras(ws: Workspace, files: () => FileGrants) {
  return async (channel: Channel, request: unknown): Promise<unknown> => {
    switch (channel) {
      case 'dialog.saveFile': {
        // Files are written into <dataDir>/exports; the user is told where when the export is done.
        const dir = join(ws.dataDir, 'exports');
        mkdirSync(dir, { recursive: true });
        const given = basename((request as { defaultName?: string }).defaultName ?? '');
        const name = given && given !== '.' && given !== '..' ? given : 'export.xlsx';
        const path = join(dir, name);
        return { handle: files().issue(path, 'write'), path };
      }
      case 'dialog.openFile':
        return { handle: null, path: null };
      case 'shell.showItemInFolder':
        throw new UserError(`preview cannot open folders; the file is ${(request as { path: string }).path}`);
      case 'shell.openExternal':
        throw new UserError(`preview does not open links; copy it: ${(request as { url: string }).url}`);
      case 'app.openLogFolder':
        throw new UserError('preview logs to the terminal it was started from');
      default:
        throw new UserError(`${channel} is not available in preview`);
    }
  };
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new UserError('request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const root = realpathSync(options.rendererDir);
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();

  const dispatcher = createDispatcher(options.ws, {
    info: { version: options.version, shell: 'preview' },
    extra: previewExtras(options.ws, () => dispatcher.files),
    log,
    emit: (event: EventName, payload: unknown) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of streams) res.write(frame);
    },
  });

  const limit = new CallLimit();
  let allowedHosts = new Set<string>();

  function serveFile(res: ServerResponse, pathname: string) {
    const resolved = resolveAppPath(pathname);
    if (!resolved.ok) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    let file: string;
    try {
      file = realpathSync(join(root, ...resolved.path.split('/')));
      if (!file.startsWith(root + sep) || !statSync(file).isFile()) throw new Error('outside');
    } catch {
      return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    }
    let body: string | Buffer = readFileSync(file);
    if (resolved.path === 'index.html') body = injectClient(body.toString('utf8'));
    send(res, 200, body, mimeTypeOf(file), { 'content-security-policy': CONTENT_SECURITY_POLICY });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 403, 'refused: unexpected Host header', 'text/plain; charset=utf-8');
    const url = new URL(req.url ?? '/', 'http://preview.invalid');

    if (url.pathname === PREVIEW_CLIENT_PATH) return send(res, 200, previewClientScript(), 'text/javascript; charset=utf-8');

    if (url.pathname === '/api/events') {
      if (!sameToken(url.searchParams.get('token'), token)) return json(res, 401, { ok: false, error: 'missing or wrong token' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`: events ${EVENT_NAMES.join(' ')}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'use POST' });
      const origin = req.headers.origin;
      if (origin && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) return json(res, 403, { ok: false, error: 'refused: foreign origin' });
      const given = req.headers[TOKEN_HEADER];
      if (!sameToken(Array.isArray(given) ? given[0] : given, token)) return json(res, 401, { ok: false, error: 'missing or wrong token' });
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      let payload: unknown;
      try {
        const text = await readBody(req);
        payload = text.trim() ? JSON.parse(text) : {};
      } catch (err) {
        return json(res, 400, { ok: false, error: `request body is not JSON: ${(err as Error).message}` });
      }
      const reply = await limit.run(channel.slice(0, 80), () => dispatcher.dispatch(channel, payload), () => ({ ok: false as const, error: busyMessage(channel.slice(0, 80)) }));
      return json(res, reply.ok || Object.hasOwn(CHANNELS, channel) ? 200 : 404, reply);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
    serveFile(res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`preview: ${(err as Error).message}`);
      if (!res.headersSent) json(res, 500, { ok: false, error: 'internal error' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    dispatcher,
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
    },
  };
}

/** Our window.api script goes before the renderer's own scripts (same origin, so the page's CSP allows it). */
export function injectClient(html: string): string {
  const tag = `<script src=".${PREVIEW_CLIENT_PATH}"></script>`;
  const at = html.search(/<script\b/i);
  if (at >= 0) return html.slice(0, at) + tag + '\n    ' + html.slice(at);
  return html.replace(/<\/head>/i, `${tag}\n</head>`);
}
