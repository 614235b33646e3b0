// Real spreadsheet readers for the export tests: openpyxl (through python3) and LibreOffice headless, found by
// test/helpers/tools.ts. A test that needs one skips with the reason when it is not installed (`.ci/run` installs both).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { OPENPYXL, SOFFICE as SOFFICE_TOOL } from '../helpers/tools.ts';

const PYTHON = OPENPYXL.path ?? 'python3';
const SOFFICE = SOFFICE_TOOL.path ?? 'soffice';

export const openpyxlMissing: string | false = OPENPYXL.missing;
export const sofficeMissing: string | false = SOFFICE_TOOL.missing;

export interface XlsxCell { v: string | number | boolean | null; t: string; date: boolean; fmt: string; bold: boolean }
export interface XlsxSheet { name: string; freeze: string | null; filter: string | null; widths: Record<string, number>; rtl: boolean; rows: XlsxCell[][] }

export function readXlsx(file: string): { sheets: XlsxSheet[] } {
  const out = execFileSync(PYTHON, [join(import.meta.dirname, 'read_xlsx.py'), file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as { sheets: XlsxSheet[] };
}

/** The first sheet of each file as LibreOffice saves it to CSV (UTF-8, cells as shown). */
export function libreOfficeCsv(files: string[]): Map<string, string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cdr-desk-lo-out-'));
  const profile = mkdtempSync(join(tmpdir(), 'cdr-desk-lo-profile-'));
  const r = spawnSync(SOFFICE, [
    `-env:UserInstallation=file://${profile}`, '--headless', '--norestore',
    '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, ...files,
  ], { encoding: 'utf8', timeout: 180_000 });
  try {
    const made = readdirSync(outDir);
    if (made.length < files.length) throw new Error(`LibreOffice converted ${made.length}/${files.length}: ${r.stderr} ${r.stdout}`);
    return new Map(files.map((f) => [f, readFileSync(join(outDir, basename(f).replace(/\.[^.]+$/, '.csv')), 'utf8')]));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
