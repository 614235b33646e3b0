// A small typed i18n: English defines the keys; each other catalog must give every key (the type enforces it).
import { settings, type Locale } from '../settings.svelte.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { fa } from './fa.ts';
import { ro } from './ro.ts';
import { vi } from './vi.ts';

export type { MessageKey };

const CATALOGS: Record<Locale, Messages> = { en, vi, fa, ro };

/** Each language named in itself, for the language picker. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  vi: 'Tiếng Việt',
  fa: 'فارسی',
  ro: 'Română',
};

/** Looks up a message in the current language; `{name}` placeholders are filled from params. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = CATALOGS[settings.language][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
