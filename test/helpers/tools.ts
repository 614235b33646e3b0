// The programs some tests drive (a browser, spreadsheet readers, PHP), found on PATH and in the usual macOS and
// Windows places. A test that needs one that is missing skips, and says why and how to install it, so that
// `npm test` runs on a developer's machine that lacks it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Tool {
  /** Where it is, or null. */
  path: string | null;
  /** Why a test that needs it is skipped (what is missing and how to get it), or false when it is there. */
  missing: string | false;
}

const WINDOWS = process.platform === 'win32';

/** The first of `names` on PATH, then the first of `places` that exists. */
export function findProgram(names: readonly string[], places: readonly string[] = []): string | null {
  const exts = WINDOWS ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) for (const ext of exts) if (existsSync(join(dir, name + ext))) return join(dir, name + ext);
  }
  return places.find((p) => existsSync(p)) ?? null;
}

function tool(path: string | null, missing: string): Tool {
  return { path, missing: path ? false : missing };
}

const PROGRAM_FILES = [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.LOCALAPPDATA].filter((p): p is string => !!p);

/** Chromium or Chrome for the browser tests (CDR_DESK_CHROMIUM names another). */
export const CHROMIUM: Tool = tool(
  process.env.CDR_DESK_CHROMIUM ??
    findProgram(['chromium', 'chromium-browser', 'google-chrome', 'chrome'], [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      ...PROGRAM_FILES.map((d) => join(d, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      ...PROGRAM_FILES.map((d) => join(d, 'Chromium', 'Application', 'chrome.exe')),
    ]),
  'no Chromium or Chrome found (apt-get install chromium, brew install --cask chromium, or set CDR_DESK_CHROMIUM)',
);

/** LibreOffice, headless, as the second real XLSX reader. */
export const SOFFICE: Tool = tool(
  findProgram(['soffice', 'libreoffice'], [
    '/Applications/LibreOffice.app/Contents/MacOS/soffice',
    ...PROGRAM_FILES.map((d) => join(d, 'LibreOffice', 'program', 'soffice.exe')),
  ]),
  'LibreOffice (soffice) is not installed (apt-get install libreoffice-calc-nogui, brew install --cask libreoffice)',
);

/** PHP's own http_build_query, the reference for pbx-cdr's api_hash. */
export const PHP: Tool = tool(
  findProgram(['php'], ['/opt/homebrew/bin/php', '/usr/local/bin/php', 'C:\\php\\php.exe']),
  'php is not installed (apt-get install php-cli, brew install php)',
);

/** Every python3 on PATH and in the usual places: a pyenv shim may come first without the system's packages. */
function pythons(): string[] {
  const names = WINDOWS ? ['python.exe', 'python3.exe'] : ['python3'];
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((d) => names.map((n) => join(d, n)));
  const places = ['/usr/bin/python3', '/opt/homebrew/bin/python3', '/usr/local/bin/python3', ...PROGRAM_FILES.map((d) => join(d, 'Python', 'python.exe'))];
  return [...new Set([...onPath, ...places])].filter((p) => existsSync(p));
}

/** Python 3 with openpyxl, the first real XLSX reader: the first python3 that has it. */
export const OPENPYXL: Tool = (() => {
  const found = pythons();
  const withOpenpyxl = found.find((p) => spawnSync(p, ['-c', 'import openpyxl']).status === 0);
  if (withOpenpyxl) return { path: withOpenpyxl, missing: false };
  return {
    path: null,
    missing: found.length
      ? `openpyxl is not installed for ${found.join(', ')} (apt-get install python3-openpyxl, pip install openpyxl)`
      : 'python3 is not installed',
  };
})();
