// A second line of defence for the log: we never log payloads, and anything shaped like a secret that still
// slips into a line (key=value, "key": "value", "Bearer xyz", user:password@ in a URL) is masked before it is
// written. log-policy.ts runs every line of every transport through redactLine.
import { inspect } from 'node:util';
const SECRET_SHAPE = /((?:token|api[-_]?key|password|passwd|secret|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)([^"'\s,;&}]+)/gi;
const BEARER = /(\bbearer\s+)([\w.~+/=-]+)/gi;
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;

export function redact(text: string): string {
  return text.replace(SECRET_SHAPE, '$1***').replace(BEARER, '$1***').replace(URL_CREDENTIALS, '$1***$3');
}

/**
 * A transport's formatted output: the file's one string, or the console's list of arguments, where an object or
 * Error is turned into its text first so that it is masked too.
 */
export function redactLine(data: unknown): unknown {
  if (typeof data === 'string') return redact(data);
  if (Array.isArray(data)) return data.map((d) => redact(typeof d === 'string' ? d : inspect(d, { depth: 5, breakLength: Infinity })));
  return data;
}
