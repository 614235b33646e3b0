// The fixed parts of an .xlsx package (SpreadsheetML, ECMA-376) and the XML text rules for cells.
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Cell style ids (indexes into cellXfs below). */
export const STYLE = { header: 1, dateTime: 2, text: 3, percent: 4, decimal: 5, money: 6 } as const;

export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** Amounts without a known currency: two to four decimals. */
export const MONEY_FORMAT = '#,##0.00##';

/** The workbook's styles; amounts (STYLE.money) in `moneyFormat`, the export's currency format. */
export const stylesXml = (moneyFormat: string = MONEY_FORMAT): string =>
  XML_DECL +
  `<styleSheet xmlns="${MAIN_NS}">` +
  `<numFmts count="4"><numFmt numFmtId="164" formatCode="${DATE_TIME_FORMAT}"/><numFmt numFmtId="165" formatCode="0.0%"/>` +
  `<numFmt numFmtId="166" formatCode="0.0"/><numFmt numFmtId="167" formatCode="${moneyFormat.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/></numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="7">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

export interface SheetEntry {
  name: string;
  /** Last row number (1 = the header row). */
  lastRow: number;
  /** Letter of the last column, for the autofilter range. */
  lastColumn: string;
}

export const sheetPath = (i: number) => `xl/worksheets/sheet${i + 1}.xml`;
export const SHARED_STRINGS_PATH = 'xl/sharedStrings.xml';

export function workbookXml(sheets: readonly SheetEntry[]): string {
  const list = sheets.map((s, i) => `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  // Excel keeps each autofilter's range as this hidden name too; writing it makes the filter work on first open.
  const names = sheets
    .map((s, i) => `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${xmlEscape(s.name.replaceAll("'", "''"))}'!$A$1:$${s.lastColumn}$${s.lastRow}</definedName>`)
    .join('');
  return XML_DECL + `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews>` +
    `<sheets>${list}</sheets><definedNames>${names}</definedNames></workbook>`;
}

export function workbookRelsXml(sheetCount: number, sharedStrings: boolean): string {
  let rels = '';
  for (let i = 0; i < sheetCount; i++) {
    rels += `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`;
  }
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>`;
  if (sharedStrings) rels += `<Relationship Id="rId${sheetCount + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`;
  return XML_DECL + `<Relationships xmlns="${PKG_REL_NS}">${rels}</Relationships>`;
}

export const ROOT_RELS_XML =
  XML_DECL + `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

export function contentTypesXml(sheetCount: number, sharedStrings: boolean): string {
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  let parts = `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/>`;
  if (sharedStrings) parts += `<Override PartName="/${SHARED_STRINGS_PATH}" ContentType="${ct}.sharedStrings+xml"/>`;
  for (let i = 0; i < sheetCount; i++) parts += `<Override PartName="/${sheetPath(i)}" ContentType="${ct}.worksheet+xml"/>`;
  return XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    `<Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`;
}

/** The start of a worksheet: frozen header row, column widths, then the open <sheetData>; right to left if asked. */
export function sheetStartXml(widths: readonly number[], selected: boolean, rightToLeft = false): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return XML_DECL + `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    `<sheetViews><sheetView${rightToLeft ? ' rightToLeft="1"' : ''} workbookViewId="0"${selected ? ' tabSelected="1"' : ''}>` +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`;
}

export function sheetEndXml(s: SheetEntry): string {
  return `</sheetData><autoFilter ref="A1:${s.lastColumn}${s.lastRow}"/>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
}

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const NEEDS_ESCAPE = /[<>&"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
// CR as a character reference: a literal one would be normalized to LF by every XML reader.
const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', '\r': '&#13;' };

/**
 * Text as XML character data. Control characters XML 1.0 cannot carry become U+FFFD; a literal "_x0041_"
 * is written "_x005F_x0041_" so Excel does not decode it as its own escape for a character.
 */
export function xmlEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[<>&"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g, (ch) =>
    ch === '_' ? '_x005F_' : (ESCAPES[ch] ?? '\uFFFD'));
}

/** Excel's limit for the text of one cell. */
const MAX_CELL_CHARS = 32_767;

/** Cheap pre-check for the regex below: whitespace is either <= U+0020 or beyond ASCII. */
function edgeMayBeSpace(t: string): boolean {
  const a = t.charCodeAt(0);
  const b = t.charCodeAt(t.length - 1);
  return a <= 32 || b <= 32 || a >= 0x80 || b >= 0x80;
}

/** A <t> element holding `text` (cut to Excel's limit; edge spaces kept). */
export function textXml(text: string): string {
  const t = text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS) : text;
  const space = edgeMayBeSpace(t) && /^\s|\s$/.test(t) ? ' xml:space="preserve"' : '';
  return `<t${space}>${xmlEscape(t)}</t>`;
}

/** ` r="B7"`, or nothing for `ref` '' (the cell then goes in the column after the previous one). */
const refAttr = (ref: string) => (ref ? ` r="${ref}"` : '');

/** An inline-string cell: always text, never a number or a formula, whatever it starts with. */
export function textCellXml(ref: string, text: string, style: number): string {
  return `<c${refAttr(ref)} s="${style}" t="inlineStr"><is>${textXml(text)}</is></c>`;
}

export function numberCellXml(ref: string, n: number, style = 0): string {
  return Number.isFinite(n) ? `<c${refAttr(ref)}${style ? ` s="${style}"` : ''}><v>${n}</v></c>` : '';
}

/** A cell holding entry `index` of the shared-string table: text, like an inline string. */
export function sharedCellXml(ref: string, index: number, style: number): string {
  return `<c${refAttr(ref)} s="${style}" t="s"><v>${index}</v></c>`;
}

/** Most distinct texts the shared-string table takes by default; later new texts are written inline (bounded memory). */
export const MAX_SHARED_STRINGS = 50_000;

/**
 * The shared-string table (xl/sharedStrings.xml) for columns whose texts repeat (account, campaign, status...):
 * a cell then holds a short index instead of the text, so the sheet XML, and the deflate work on it, shrink.
 */
export class SharedStrings {
  private readonly indexes = new Map<string, number>();
  private readonly items: string[] = [];
  private references = 0;
  private readonly max: number;

  constructor(max = MAX_SHARED_STRINGS) {
    this.max = max;
  }

  /** The table index of `text`, or -1 when the table is full and `text` is not in it (write it inline). */
  indexOf(text: string): number {
    let i = this.indexes.get(text);
    if (i === undefined) {
      if (this.items.length >= this.max) return -1;
      i = this.items.length;
      this.indexes.set(text, i);
      this.items.push(`<si>${textXml(text)}</si>`);
    }
    this.references++;
    return i;
  }

  get size(): number {
    return this.items.length;
  }

  xml(): string {
    return XML_DECL + `<sst xmlns="${MAIN_NS}" count="${this.references}" uniqueCount="${this.items.length}">${this.items.join('')}</sst>`;
  }
}
