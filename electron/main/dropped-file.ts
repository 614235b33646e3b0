// What main accepts as a dropped file before it grants a read handle for it: a path the preload read from a real
// drop, absolute, to a regular file of a size an id list can have. Plain Node, so it is tested with real files.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';

/** Id lists are text, CSV or XLSX: far below this. */
export const MAX_DROPPED_BYTES = 100 * 1024 * 1024;

export type DroppedFile = { ok: true; path: string; name: string } | { ok: false; reason: string };

export async function checkDroppedFile(path: unknown): Promise<DroppedFile> {
  if (typeof path !== 'string' || !path || path.length > 4096 || path.includes('\0')) return { ok: false, reason: 'not a file path' };
  if (!isAbsolute(path)) return { ok: false, reason: 'not an absolute path' };
  try {
    const st = await stat(path);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > MAX_DROPPED_BYTES) return { ok: false, reason: `larger than ${MAX_DROPPED_BYTES / 1024 / 1024} MiB` };
  } catch {
    return { ok: false, reason: 'the file cannot be read' };
  }
  return { ok: true, path, name: basename(path).slice(0, 255) || 'file' };
}
