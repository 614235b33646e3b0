// `--out` templates for scheduled exports: {date} (the export's day) and {account} (made safe for a file name),
// so one job line writes a new file every day instead of overwriting yesterday's.
import { UserError } from '../errors.ts';

export interface OutPathValues {
  /** YYYY-MM-DD. */
  date: string;
  account: string;
}

/**
 * A name every file system accepts: Windows' reserved characters and control characters become "_", trailing dots
 * and spaces (which Windows drops) go, and a name that would be empty or a reserved device name gets a "_".
 */
export function fileNameSafe(name: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '').trim();
  if (safe === '' || /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(safe)) safe = `_${safe}`;
  return safe;
}

/** The template with its placeholders filled; an unknown {name} is refused (a typo would write one fixed file). */
export function fillOutPath(template: string, values: OutPathValues, account?: string): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
    if (key === 'date') return values.date;
    if (key === 'account') return fileNameSafe(values.account);
    throw new UserError(`--out "${template}" has the unknown placeholder ${whole} (known: {date}, {account})`, account);
  });
}

/** The export's day for {date}: the day its --from names, else its --to, else `today` (all YYYY-MM-DD or date-times). */
export function exportDay(from: string | undefined, to: string | undefined, today: string): string {
  for (const bound of [from, to]) {
    const day = /^\s*(\d{4}-\d{2}-\d{2})/.exec(bound ?? '')?.[1];
    if (day) return day;
  }
  return today;
}
