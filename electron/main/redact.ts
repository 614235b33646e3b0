// A second line of defence for the log: we never log payloads, and anything shaped like a secret that still
// slips into a line (key=value, "key": "value", "Bearer xyz") is masked before it is written.
const SECRET_SHAPE = /((?:token|api[-_]?key|password|passwd|secret|authorization)["']?\s*[:=]\s*["']?(?:bearer\s+)?)([^"'\s,;&}]+)/gi;
const BEARER = /(\bbearer\s+)([\w.~+/=-]+)/gi;

export function redact(text: string): string {
  return text.replace(SECRET_SHAPE, '$1***').replace(BEARER, '$1***');
}
