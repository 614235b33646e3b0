// PHP's http_build_query (default PHP_QUERY_RFC1738 encoding, '&' separator, no numeric prefix), byte for byte.
// While1's api_hash is md5 over this encoding of the parameters, so it must match PHP exactly:
//   - null values (and empty arrays) produce nothing;
//   - nested keys are `parent[child]`, with the brackets themselves percent-encoded (`%5B`, `%5D`);
//   - list arrays use their indices (`date_between[0]`);
//   - true/false become 1/0, integers their decimal text, floats as PHP prints them (precision 14);
//   - strings are UTF-8 bytes; every byte except [A-Za-z0-9_.-] is `%XX` (upper-case hex), space is `+`
//     (PHP urlencode: unlike rawurlencode it also encodes `~`).

export type PhpValue = null | undefined | string | number | boolean | bigint | readonly PhpValue[] | { readonly [key: string]: PhpValue };

const UNRESERVED = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-') UNRESERVED[c.charCodeAt(0)] = 1;
const HEX = '0123456789ABCDEF';

/** PHP urlencode(): spaces as '+', every other byte outside [A-Za-z0-9_.-] as %XX. */
export function phpUrlencode(text: string): string {
  // Fast path: plain ASCII that needs nothing.
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || !UNRESERVED[c]) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (UNRESERVED[b]) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** A scalar as PHP turns it into text inside http_build_query. */
function scalarText(value: string | number | boolean | bigint): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
    if (Number.isNaN(value)) return 'NAN';
    if (!Number.isFinite(value)) return value > 0 ? 'INF' : '-INF';
    return phpFloat(value);
  }
  return value;
}

/**
 * A float as http_build_query writes it: PHP's `precision` ini (14 significant digits), %G-style — exponent form
 * `1.0E+25` when the exponent is < -4 or >= 14, otherwise plain decimals with trailing zeros dropped.
 */
function phpFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mant, e] = value.toExponential(13).split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 14) {
    let m = mant.replace(/0+$/, '').replace(/\.$/, '');
    if (!m.includes('.')) m += '.0';
    return `${m}E${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  }
  const fixed = value.toFixed(Math.max(0, 13 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function build(value: PhpValue, key: string, out: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    const entries: [string, PhpValue][] = Array.isArray(value)
      ? (value as readonly PhpValue[]).map((v, i) => [String(i), v])
      : Object.entries(value as { [key: string]: PhpValue });
    for (const [k, v] of entries) build(v, `${key}%5B${phpUrlencode(k)}%5D`, out);
    return;
  }
  out.push(`${key}=${phpUrlencode(scalarText(value))}`);
}

/** http_build_query($params) for an associative array given as a plain object. */
export function httpBuildQuery(params: { readonly [key: string]: PhpValue }): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') {
      const entries: [string, PhpValue][] = Array.isArray(v)
        ? (v as readonly PhpValue[]).map((x, i) => [String(i), x])
        : Object.entries(v as { [key: string]: PhpValue });
      for (const [k2, v2] of entries) build(v2, `${phpUrlencode(k)}%5B${phpUrlencode(k2)}%5D`, out);
    } else {
      out.push(`${phpUrlencode(k)}=${phpUrlencode(scalarText(v))}`);
    }
  }
  return out.join('&');
}

/**
 * PHP's parse_str for the bodies the simulator receives: `a[b][0]=x&a[b][1]=y` back into nested objects
 * (numeric-keyed levels stay objects with '0', '1' keys in insertion order; callers read them as lists).
 */
export function parsePhpQuery(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeFormComponent(pair.slice(eq + 1));
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    if (!m) {
      root[rawKey] = value;
      continue;
    }
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      let part = path[i]!;
      if (part === '') part = String(Object.keys(node).length);
      const next = node[part];
      if (next && typeof next === 'object') node = next as Record<string, unknown>;
      else node = node[part] = {};
    }
    let last = path[path.length - 1]!;
    if (last === '') last = String(Object.keys(node).length);
    node[last] = value;
  }
  return root;
}

function decodeFormComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
