// The script `cdr-desk preview` injects before the renderer's own: it defines window.api over fetch and
// EventSource with the same shape the Electron preload builds (nested channel functions + on(event, listener)),
// from the same contract key lists. It runs in the browser, so it is plain ES2020 text, not a module.
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract.ts';

export const PREVIEW_CLIENT_PATH = '/__cdr-desk/api.js';
export const TOKEN_HEADER = 'x-cdr-desk-token';

export function previewClientScript(): string {
  return `// window.api for cdr-desk preview (generated from electron/shared/contract.ts)
(() => {
  'use strict';
  const CHANNELS = ${JSON.stringify(CHANNEL_NAMES)};
  const EVENTS = ${JSON.stringify(EVENT_NAMES)};
  // The token comes in the page URL once; it is kept for this tab so in-app navigation does not lose it.
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('cdr-desk-token', fromUrl);
  const token = fromUrl || sessionStorage.getItem('cdr-desk-token') || '';

  async function call(channel, request) {
    const res = await fetch('/api/' + channel, {
      method: 'POST',
      headers: { 'content-type': 'application/json', '${TOKEN_HEADER}': token },
      body: JSON.stringify(request === undefined ? {} : request),
    });
    let reply;
    try { reply = await res.json(); } catch { throw new Error(channel + ': the preview server answered ' + res.status); }
    if (!reply || reply.ok !== true) throw new Error((reply && reply.error) || channel + ': failed');
    return reply.result;
  }

  const listeners = new Map(EVENTS.map((e) => [e, new Set()]));
  let source = null;
  function subscribe(event, listener) {
    if (!listeners.has(event)) throw new Error('unknown event "' + event + '"');
    if (!source) {
      source = new EventSource('/api/events?token=' + encodeURIComponent(token));
      for (const e of EVENTS) {
        source.addEventListener(e, (m) => {
          const payload = JSON.parse(m.data);
          for (const l of listeners.get(e)) l(payload);
        });
      }
    }
    listeners.get(event).add(listener);
    return () => listeners.get(event).delete(listener);
  }

  const api = {};
  for (const channel of CHANNELS) {
    const path = channel.split('.');
    let node = api;
    for (const part of path.slice(0, -1)) node = node[part] = node[part] || {};
    node[path[path.length - 1]] = (request) => call(channel, request);
  }
  api.on = subscribe;
  Object.defineProperty(window, 'api', { value: Object.freeze(api), enumerable: true });
})();
`;
}
