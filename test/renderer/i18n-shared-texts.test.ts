// The English texts the renderer takes from electron/shared (KPI definitions, the provider-report reason, the
// secret field labels) must be in every catalog, keyed by their shared keys, so a translation cannot go missing
// or drift silently from the one English source.
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, PROVIDERS } from '../../electron/shared/providers.ts';
import { PROVIDER_REPORT_REASON, SUMMARY_DEFINITIONS } from '../../electron/shared/search.ts';
import { en, type MessageKey, type Messages } from '../../renderer/src/lib/i18n/en.ts';
import { fa } from '../../renderer/src/lib/i18n/fa.ts';
import { ro } from '../../renderer/src/lib/i18n/ro.ts';
import { vi } from '../../renderer/src/lib/i18n/vi.ts';

const OTHERS: Record<'vi' | 'fa' | 'ro', Messages> = { vi, fa, ro };
const PERSIAN = /[\u0600-\u06FF]/;
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

const definitionKeys = Object.keys(SUMMARY_DEFINITIONS) as (keyof typeof SUMMARY_DEFINITIONS)[];
const shared: [MessageKey, string][] = [
  ...definitionKeys.map((k): [MessageKey, string] => [`summary.def.${k}`, SUMMARY_DEFINITIONS[k]]),
  ['summary.providerReportReason', PROVIDER_REPORT_REASON],
];
const secrets = PROVIDER_IDS.flatMap((p) => PROVIDERS[p].secrets.map((f) => [`provider.secret.${p}.${f.key}`, f.label] as const));

describe('texts from electron/shared in the renderer catalogs', () => {
  it('English takes them from electron/shared, one message per key', () => {
    for (const [key, english] of [...shared, ...secrets]) expect(en[key as MessageKey], key).toBe(english);
  });

  it.each(Object.entries(OTHERS))('%s translates every KPI definition and the provider-report reason', (lang, catalog) => {
    for (const [key, english] of shared) {
      const text = catalog[key];
      expect(text?.trim(), `${lang} ${key}`).toBeTruthy();
      expect(text, `${lang} ${key} is still English`).not.toBe(english);
      if (lang === 'fa') expect(text, `${lang} ${key}`).toMatch(PERSIAN);
      if (lang === 'vi') expect(text, `${lang} ${key}`).toMatch(VIETNAMESE);
    }
  });

  it.each(Object.entries(OTHERS))('%s labels every secret field of every provider', (lang, catalog) => {
    for (const [key] of secrets) {
      const text = catalog[key as MessageKey];
      expect(text?.trim(), `${lang} ${key}`).toBeTruthy();
      if (lang === 'fa') expect(text, `${lang} ${key}`).toMatch(PERSIAN);
    }
  });

  it('every catalog fills every key with text, and Romanian uses comma-below ș/ț', () => {
    for (const [lang, catalog] of Object.entries(OTHERS)) {
      expect(Object.keys(catalog).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
    expect(Object.values(ro).filter((text) => /[şţŞŢ]/.test(text))).toEqual([]);
    expect(shared.some(([key]) => /[șț]/.test(ro[key]))).toBe(true);
  });
});
