// App settings (language, display zone, theme) in <dataDir>/settings.json, so the app, preview and a restarted
// data host all see the same choice. A damaged file falls back to the defaults rather than blocking start-up.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, Settings } from '../../shared/contract.ts';
import { UserError } from '../errors.ts';
import { isValidTimeZone } from '../time/zone.ts';

const fileOf = (dataDir: string) => join(dataDir, 'settings.json');

export function readSettings(dataDir: string): Settings {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return { ...DEFAULT_SETTINGS };
  try {
    const parsed = Settings.partial().safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? { ...DEFAULT_SETTINGS, ...stripUndefined(parsed.data) } : { ...DEFAULT_SETTINGS };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function writeSettings(dataDir: string, patch: Partial<Settings>): Settings {
  if (patch.displayZone && !isValidTimeZone(patch.displayZone)) {
    throw new UserError(`unknown time zone "${patch.displayZone}" (use an IANA name like Europe/Bucharest)`);
  }
  const next = Settings.parse({ ...readSettings(dataDir), ...stripUndefined(patch) });
  const file = fileOf(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 1));
  renameSync(`${file}.tmp`, file);
  return next;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
