// Where a URL path of the bundled renderer points inside its folder, as plain string work so Electron's app://
// handler and `cdr-desk preview` share one tested rule. Anything that could leave the folder is refused:
// `..` segments (raw or percent-encoded), backslashes, drive letters, NUL bytes, and undecodable escapes.

/**
 * Sent with every page of the renderer, by app:// and by preview. Strict: our own scripts only, no eval, no remote
 * anything. Inline styles are allowed for Svelte's style: bindings.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type AppPath = { ok: true; path: string } | { ok: false; reason: string };

export function resolveAppPath(pathname: string): AppPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, reason: 'bad percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, reason: 'NUL byte' };
  if (decoded.includes('\\')) return { ok: false, reason: 'backslash' };
  if (/(^|\/)[a-zA-Z]:/.test(decoded)) return { ok: false, reason: 'drive letter' };
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return { ok: false, reason: 'parent segment' };
  if (parts.some((p) => p.startsWith('.'))) return { ok: false, reason: 'hidden file' };
  return { ok: true, path: parts.length ? parts.join('/') : 'index.html' };
}

const MIME: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  txt: 'text/plain; charset=utf-8',
  map: 'application/json; charset=utf-8',
  wasm: 'application/wasm',
};

export function mimeTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? 'application/octet-stream';
}
