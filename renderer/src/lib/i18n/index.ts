// A small typed i18n: English defines the keys; each other catalog must give every key (the type enforces it).
import type { ProviderId, SecretField } from '../../../../electron/shared/providers.ts';
import { PROVIDER_REPORT_REASON, type SUMMARY_DEFINITIONS } from '../../../../electron/shared/search.ts';
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

/** A KPI's definition (SUMMARY_DEFINITIONS[key]) in the current language; a key without a message fails the type check. */
export function summaryDefinition(key: keyof typeof SUMMARY_DEFINITIONS): string {
  return t(`summary.def.${key}`);
}

/** The data host's reason why provider and local figures differ, in the current language when it is the known one. */
export function providerReportReason(reason: string): string {
  return reason === PROVIDER_REPORT_REASON ? t('summary.providerReportReason') : reason;
}

/** A provider descriptor's secret field label in the current language (the descriptor's English if no message has it). */
export function secretLabel(provider: ProviderId, field: SecretField): string {
  const key = `provider.secret.${provider}.${field.key}`;
  return key in en ? t(key as MessageKey) : field.label;
}
