// The window comes back where the user left it, unless that place is no longer on any screen (a monitor was
// unplugged): then it opens centred at the default size.
import { readFileSync, writeFileSync } from 'node:fs';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds?: Bounds;
  maximized?: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 };
const MIN_VISIBLE = 100;

export function loadWindowState(file: string): WindowState {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as WindowState;
    return s && typeof s === 'object' ? s : {};
  } catch {
    return {};
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state));
  } catch {
    // Not worth failing a quit over.
  }
}

const finite = (b: Bounds) => [b.x, b.y, b.width, b.height].every(Number.isFinite) && b.width > 0 && b.height > 0;

/** The saved bounds when at least a corner of the window stays reachable on some work area, else none. */
export function visibleBounds(saved: Bounds | undefined, workAreas: readonly Bounds[]): Bounds | undefined {
  if (!saved || !finite(saved)) return undefined;
  const visible = workAreas.some(
    (a) =>
      saved.x + saved.width - MIN_VISIBLE >= a.x && saved.x + MIN_VISIBLE <= a.x + a.width &&
      saved.y >= a.y - MIN_VISIBLE / 2 && saved.y + MIN_VISIBLE / 2 <= a.y + a.height,
  );
  return visible ? saved : undefined;
}
