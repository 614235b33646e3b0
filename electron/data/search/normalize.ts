// Text folding for search, applied identically when a row is indexed and when a user types a query: case,
// diacritics (Vietnamese tones, đ, Romanian ș/ş ț/ţ), Persian/Arabic letter variants and digits.

/** Persian/Arabic letters that users type interchangeably, folded onto one form. */
const LETTER_VARIANTS: Record<string, string> = {
  '\u064A': '\u06CC', // Arabic yeh ي → Persian yeh ی
  '\u0649': '\u06CC', // alef maksura ى → ی
  '\u0643': '\u06A9', // Arabic kaf ك → Persian keheh ک
  '\u06D5': '\u0647', // ae ە → heh ه
  '\u0629': '\u0647', // teh marbuta ة → ه
  '\u0111': 'd', // đ (no decomposition in Unicode)
  '\u0110': 'd', // Đ
  '\u200C': ' ', // zero-width non-joiner splits Persian word parts: index them as separate words
};

const VARIANT_RE = new RegExp(`[${Object.keys(LETTER_VARIANTS).join('')}]`, 'g');
/** Latin combining marks, Arabic harakat/madda/hamza marks and the tatweel. */
const MARKS_RE = /[\u0300-\u036F\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits. */
const INDIC_DIGITS_RE = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Text in which folding can only change case: no letter outside ASCII, so no mark, variant or other digit. */
const ASCII_RE = /^[\x00-\x7F]*$/;

/** Folds text for indexing and matching; the result is lower case with marks removed. */
export function foldText(text: string): string {
  if (ASCII_RE.test(text)) return text.toLowerCase(); // most of a sync's text: the same result, without normalize()
  // Character by character while each one folds to ASCII on its own (Vietnamese tones, Romanian ș, ligatures): the
  // whole then folds to the same text, since each mark its decomposition holds is removed and no character is left
  // for NFC to compose. Else (Persian letters, a mark that stays) the full folding.
  let out = '';
  let plainFrom = 0; // where the ASCII run before the current character starts
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const folded = asciiFoldOf(code);
    if (folded === null) return foldTextFully(text);
    out += text.slice(plainFrom, i) + folded;
    plainFrom = i + 1;
  }
  return (out + text.slice(plainFrom)).toLowerCase();
}

/** The folding foldText gives, done in full: decomposition, marks, digits and letter variants, composition, case. */
export function foldTextFully(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .replace(INDIC_DIGITS_RE, (d) => String((d.charCodeAt(0) - 0x0660) % 0x90 % 10))
    .replace(VARIANT_RE, (c) => LETTER_VARIANTS[c]!)
    .normalize('NFC')
    .toLowerCase();
}

/** Code unit → its folding alone when that is ASCII text, else null (at most one entry per code unit). */
const asciiFolds = new Map<number, string | null>();

function asciiFoldOf(code: number): string | null {
  let folded = asciiFolds.get(code);
  if (folded === undefined) {
    // Half of a surrogate pair is no character: the full folding reads the pair.
    const alone = code >= 0xd800 && code <= 0xdfff ? null : foldTextFully(String.fromCharCode(code));
    folded = alone !== null && ASCII_RE.test(alone) ? alone : null;
    asciiFolds.set(code, folded);
  }
  return folded;
}

/** Only the digits of a phone number (any script), so "+84 775-702" and "84775702" compare equal. */
export function phoneDigits(text: string | null | undefined): string {
  if (!text) return '';
  return foldText(text).replace(/\D+/g, '');
}

/** Words as FTS5's unicode61 tokenizer sees them (letters, digits, marks). */
export function words(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Looks like a phone number as people type one: digits with spaces, dashes, dots, parentheses or a +. */
export function looksLikePhone(text: string): boolean {
  return /^[+(]?[\d\s\-().]*\d[\d\s\-().]*$/.test(text.trim());
}
