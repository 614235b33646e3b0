// The single seam between the renderer and everything else: a typed wrapper over window.api (built by the
// preload in Electron, or by `cdr-desk preview` over fetch), using the contract's own types. Every failure is
// turned into a user message here and nowhere else.
import type { Api, Channel, EventName, EventPayload, Request, Response } from '../../../electron/shared/contract.ts';
import { t } from './i18n/index.ts';

declare global {
  interface Window {
    api?: Api;
  }
}

/** An API failure carrying the sentence to show the user, and its kind for the views that branch on it. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly userMessage: string;
  readonly channel: Channel;
  constructor(channel: Channel, kind: ErrorKind, detail: string) {
    super(detail);
    this.channel = channel;
    this.kind = kind;
    this.userMessage = messageFor(kind, detail);
  }
}

export type ErrorKind = 'unreachable' | 'auth' | 'invalid' | 'notFound' | 'cancelled' | 'noApi' | 'unknown';

// The data host rejects with one human line; these patterns only pick the wording around it.
const KINDS: [ErrorKind, RegExp][] = [
  ['unreachable', /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|connection (refused|reset)|timed? ?out|unreachable|cannot be reached|could not connect|fetch failed|failed after \d+ tries|network|offline|socket|DNS/i],
  ['auth', /\b401\b|\b403\b|unauthori[sz]ed|forbidden|credential|token|api key|password|auth/i],
  ['cancelled', /cancel|abort/i],
  ['notFound', /not found|unknown account|no such/i],
  ['invalid', /invalid|expected|must|required|too (long|short|big|small)|unknown (status|sort|field)|refused/i],
];

export function classify(message: string): ErrorKind {
  for (const [kind, pattern] of KINDS) if (pattern.test(message)) return kind;
  return 'unknown';
}

function messageFor(kind: ErrorKind, detail: string): string {
  const key = `error.${kind}` as const;
  return t(key, { detail });
}

/** Turns anything thrown into the sentence the user sees. */
export function userMessage(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  const detail = err instanceof Error ? err.message : String(err);
  return messageFor(classify(detail), detail);
}

function windowApi(channel: Channel): Api {
  const api = window.api;
  if (!api) throw new ApiError(channel, 'noApi', 'window.api is missing');
  return api;
}

/** One typed round trip: call('search.query', {...}) → Promise<SearchResult>. */
export async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  // window.api mirrors the channel names as nested objects: 'search.saved.list' → api.search.saved.list.
  let node: unknown = windowApi(channel);
  for (const part of channel.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function') throw new ApiError(channel, 'noApi', `window.api has no ${channel}`);
  try {
    return (await (node as (r: Request<C>) => Promise<Response<C>>)(request)) as Response<C>;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError(channel, classify(detail), detail);
  }
}

/** Subscribes to a data-host event; returns the unsubscribe function. Safe without an api (returns a no-op). */
export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const api = window.api;
  if (!api) return () => {};
  return api.on(event, listener);
}

export type { Api, Channel, EventName, EventPayload, Request, Response };
