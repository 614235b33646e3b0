import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, foldTextFully, looksLikePhone, phoneDigits, words } from '../../electron/data/search/normalize.ts';
import { RUNS } from '../property/arbitraries.ts';

describe('text folding for search', () => {
  it('drops Vietnamese tones and reads đ as d', () => {
    expect(foldText('Đỗ Thị Ngà')).toBe('do thi nga');
    expect(foldText('Nguyễn Văn Thắng, Quỳnh')).toBe('nguyen van thang, quynh');
  });

  it('treats Romanian s/t with comma and with cedilla alike', () => {
    expect(foldText('Ștefan Țară')).toBe(foldText('Ştefan Ţară'));
    expect(foldText('Ştefan')).toBe('stefan');
  });

  it('folds Persian/Arabic letter variants and Indic digits', () => {
    expect(foldText('علي كريمي')).toBe(foldText('علی کریمی'));
    expect(foldText('فاطمە')).toBe(foldText('فاطمه'));
    expect(foldText('۰۹۱۲ ٣٤٥')).toBe('0912 345');
  });

  it('splits Persian words at the zero-width non-joiner and removes harakat', () => {
    expect(words(foldText('امیر نیک‌نام'))).toEqual(['امیر', 'نیک', 'نام']);
    expect(foldText('مُحَمَّد')).toBe('محمد');
  });

  it('folds ASCII text to its lower case, as the full folding does (every ASCII character, and mixed with others)', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    const slow = (t: string) => foldText(`${t}\u00e9`).slice(0, -1); // one letter outside ASCII takes the full folding
    expect(foldText(ascii)).toBe(slow(ascii));
    expect(foldText(ascii)).toBe(ascii.toLowerCase());
    expect(foldText('Ion POPESCU 0722-000-001 | NO ANSWER')).toBe('ion popescu 0722-000-001 | no answer');
    expect(foldText('Ion Ștefan')).toBe('ion stefan');
  });

  it('folds character by character as the full folding does, every character alone and beside letters and marks', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      for (const t of [c, `Ba${c}`, `${c}\u0301x`, `${c}\u20d7`, `\u0627${c}`]) expect(foldText(t), `U+${code.toString(16)} in ${JSON.stringify(t)}`).toBe(foldTextFully(t));
    }
  });

  it('folds mixed scripts, marks and surrogate pairs as the full folding does', () => {
    const pieces = ['a', 'Z', ' ', '0', 'ế', 'Ệ', 'đ', 'Ș', 'ţ', 'ﬁ', 'Σ', 'ς', 'ΟΔΟΣ', 'ي', 'ك', '۰', '٣', '\u200c', 'مُ', '\u0301', '\u0308', '\u20d7', '\u1dc0', '각', '\u1100\u1161', '😀', '\ud83d', 'İ', 'K', 'Å', '①', '½'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
      const t = parts.join('');
      expect(foldText(t)).toBe(foldTextFully(t));
    }), RUNS);
  });

  it('keeps only digits of phone numbers, whatever the script and punctuation', () => {
    expect(phoneDigits('+84 (91) 234-56.78')).toBe('849123456' + '78');
    expect(phoneDigits('۰۹۱۲۳۴۵۶۷۸۹')).toBe('09123456789');
    expect(phoneDigits(null)).toBe('');
  });

  it('recognises text typed as a phone number', () => {
    expect(looksLikePhone('+84 912-345')).toBe(true);
    expect(looksLikePhone('0912')).toBe(true);
    expect(looksLikePhone('nga 0912')).toBe(false);
    expect(looksLikePhone('+-')).toBe(false);
  });
});
