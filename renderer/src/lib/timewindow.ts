// Quick time windows as the filter grammar's bare dates (a bare `to` date includes that whole day), computed
// on the calendar of the display zone so that "today" means the user's today.
import { displayZone } from './format.ts';

export type WindowPreset = 'any' | 'today' | '7d' | '30d' | 'custom';

function isoDay(date: Date, zone: string | undefined): string {
  // en-CA formats as YYYY-MM-DD, which is the grammar's date form.
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(zone ? { timeZone: zone } : {}) }).format(date);
}

export function presetRange(preset: WindowPreset, now = new Date()): { from?: string; to?: string } {
  const zone = displayZone();
  const days = preset === 'today' ? 1 : preset === '7d' ? 7 : preset === '30d' ? 30 : 0;
  if (!days) return {};
  const start = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(start, zone), to: isoDay(now, zone) };
}

/** The preset a from/to pair corresponds to (for showing the right choice after loading a saved search). */
export function presetOf(from: string | undefined, to: string | undefined): WindowPreset {
  if (!from && !to) return 'any';
  for (const p of ['today', '7d', '30d'] as const) {
    const r = presetRange(p);
    if (r.from === from && r.to === to) return p;
  }
  return 'custom';
}
