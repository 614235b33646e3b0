// One error for a provider's refusal: the account, the provider's own words (redacted), what to check when the
// credentials are refused, and the HTTP status, in one message shape for every adapter.
import { UserError } from '../errors.ts';

/**
 * A request to a provider that failed. `refused`: the provider answered, in its own format, and said no (made by
 * `providerError`); `failed`: no usable answer (network, retries used up, not JSON, too large). `status` is the
 * last HTTP status seen (undefined: no answer at all).
 */
export class ProviderHttpError extends UserError {
  readonly kind: 'refused' | 'failed';
  readonly status: number | undefined;
  /** The provider's own error text, when its answer carried one (adapters branch on it: "campaign not found"). */
  readonly providerMessage: string | null;
  constructor(message: string, account: string, status?: number, detail: { kind?: 'refused' | 'failed'; providerMessage?: string | null } = {}) {
    super(message, account);
    this.kind = detail.kind ?? 'failed';
    this.status = status;
    this.providerMessage = detail.providerMessage ?? null;
  }
}

export interface ProviderRefusal {
  /** Provider id, and the path asked: `tel4vn-v3 /v3/report/call/lead`. */
  provider: string;
  path: string;
  status: number;
  /** What the provider said; `HTTP <status>` stands in when it said nothing. */
  providerMessage?: string | null;
  /** What to check when the provider refuses the credentials (HTTP 401 or 403): `is the token right?`. */
  credentialsHint: string;
}

/** The one way adapters turn a refusal into an error: `<provider> <path>: <words> (<hint>) (HTTP n)`. */
export function providerError(http: { account: string; redact(text: string): string }, r: ProviderRefusal): ProviderHttpError {
  const words = r.providerMessage?.trim() || `HTTP ${r.status}`;
  const hint = r.status === 401 || r.status === 403 ? ` (${r.credentialsHint})` : '';
  const message = `${r.provider} ${http.redact(r.path)}: ${http.redact(words)}${hint} (HTTP ${r.status})`;
  const providerMessage = r.providerMessage?.trim() ? http.redact(r.providerMessage.trim()) : null;
  return new ProviderHttpError(message, http.account, r.status, { kind: 'refused', providerMessage });
}

/**
 * A 404 without the provider's own answer (an HTML page, a bare body) means the path is not under this base URL:
 * a wrong address, not a refusal. Turns that failure into a message saying so; any other error passes through.
 */
export function wrongAddress(err: unknown, http: { account: string; redact(text: string): string }, provider: string, path: string, baseUrl: string): unknown {
  if (!(err instanceof ProviderHttpError) || err.kind !== 'failed' || err.status !== 404) return err;
  return wrongAddressError(http, provider, path, baseUrl);
}

export function wrongAddressError(http: { account: string; redact(text: string): string }, provider: string, path: string, baseUrl: string): ProviderHttpError {
  const base = http.redact(baseUrl);
  return new ProviderHttpError(`${provider} ${http.redact(path)}: not found under the base URL ${base} (is ${base} the API's address?) (HTTP 404)`, http.account, 404);
}
