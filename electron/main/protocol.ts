// app:// serves the built renderer from inside the app bundle. Registered as standard + secure so the page
// gets a real origin ('self' in the CSP means exactly our files) and is a secure context.
import { protocol } from 'electron';
import { serveAppUrl } from './app-protocol.ts';
import { APP_SCHEME } from './security.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const r = await serveAppUrl(rendererDir, request.url);
    return new Response(typeof r.body === 'string' ? r.body : new Uint8Array(r.body), { status: r.status, headers: r.headers });
  });
}
