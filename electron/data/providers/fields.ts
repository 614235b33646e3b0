// Coercions for provider fields that arrive as numbers, numeric strings, "" or null.

/** Text, with "" and null as null. Numbers become their decimal text (phone numbers are never numbers here). */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return s.trim() === '' ? null : s;
}

/** Above this, a duration (seconds, ~31 years) or count is a corrupt field, and would overflow the instants built from it. */
export const MAX_FIELD_INT = 1e9;

/** A non-negative integer from a number or numeric string; null when empty; throws on anything else. */
export function int(value: unknown, field: string): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : /^\s*-?\d+(\.\d+)?\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new Error(`field ${field} should be a number, got ${JSON.stringify(value).slice(0, 40)}`);
  if (n > MAX_FIELD_INT) throw new Error(`field ${field} is ${JSON.stringify(value).slice(0, 40)}, more than any call or count could be`);
  return Math.max(0, Math.round(n));
}

/** JSON held inside a string (voiceotp-v2 `param`, tel4vn-v3 `press_key`); the text itself when it is not JSON. */
export function jsonInString(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Every string leaf of a JSON value, joined: free text worth indexing (customer names, notes). */
export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.trim()) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

/** A person's name field: the trimmed string, null when empty or not a string (ids and numbers name nobody). */
export function nameText(value: unknown): string | null {
  return typeof value === 'string' ? value.trim() || null : null;
}
