// What the app:// protocol answers for a URL, in plain Node (the Electron handler in protocol.ts only wraps this
// into a Response). Files come only from the renderer folder; traversal and unknown files are a 404.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { mimeTypeOf, resolveAppPath } from '../shared/app-path.ts';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.ts';

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** The file an app:// URL names inside root, or null when the URL may not be served. */
export function appFileFor(root: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const resolved = resolveAppPath(u.pathname);
  if (!resolved.ok) return null;
  const file = join(root, ...resolved.path.split('/'));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : null;
}

const notFound = (): AppResponse => ({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' });

export async function serveAppUrl(root: string, requestUrl: string): Promise<AppResponse> {
  const file = appFileFor(root, requestUrl);
  if (!file) return notFound();
  try {
    // A symlink inside the bundle must not lead outside it. (Inside an asar archive realpath is the path itself.)
    const real = await realpath(file);
    const realRoot = await realpath(root);
    if (!real.startsWith(realRoot + sep) || !(await stat(real)).isFile()) return notFound();
    return {
      status: 200,
      headers: {
        'content-type': mimeTypeOf(file),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      },
      body: await readFile(real),
    };
  } catch {
    return notFound();
  }
}
