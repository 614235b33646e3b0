// The user's preferences (language, display zone, theme), kept by the data host through the contract's
// settings.get/set. A copy in localStorage lets the first paint use the right language and direction before
// the first round trip returns.
import { DEFAULT_SETTINGS, LANGUAGES, type Settings } from '../../../electron/shared/contract.ts';

export type Locale = Settings['language'];
export type Theme = Settings['theme'];
export { LANGUAGES };

const CACHE_KEY = 'cdr-desk.settings';

function cached(): Settings {
  try {
    const saved = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as Partial<Settings> | null;
    if (saved && (LANGUAGES as readonly string[]).includes(saved.language ?? '')) return { ...DEFAULT_SETTINGS, ...saved };
  } catch {
    // Unreadable cache: fall back to defaults, the data host's copy arrives a moment later.
  }
  return { ...DEFAULT_SETTINGS };
}

export const settings: Settings = $state(cached());

export function applySettings(next: Settings): void {
  settings.language = next.language;
  settings.displayZone = next.displayZone;
  settings.theme = next.theme;
  settings.updateChannel = next.updateChannel;
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(next));
  } catch {
    // Storage may be unavailable; the data host still has the settings.
  }
}

export function isRtl(locale: Locale): boolean {
  return locale === 'fa';
}
