// The screenshot gallery keeps up with the app: its view list is the navigation's (a new view without a
// screenshot fails here), and every picture the guide's gallery shows is committed, at 1400×900, and small.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GALLERY_BEGIN, GALLERY_END, GALLERY_LANGUAGES, GALLERY_SHOTS, GALLERY_THEMES, GALLERY_VIEWS, GUIDE, IMAGES_DIR, galleryMarkdown, shotName, withGallery,
} from '../../build/gallery.ts';
import { ROOT } from './harness.ts';

/** The view ids of the app's navigation (App.svelte's VIEWS) and of the View type the renderer switches on. */
function navigationViews(): { nav: string[]; type: string[] } {
  const app = readFileSync(join(ROOT, 'renderer/src/App.svelte'), 'utf8');
  const list = /const VIEWS\b[^=]*=\s*\[([\s\S]*?)\];/.exec(app)?.[1] ?? '';
  const nav = [...list.matchAll(/id:\s*'([\w-]+)'/g)].map((m) => m[1]!);
  const ui = readFileSync(join(ROOT, 'renderer/src/lib/ui.svelte.ts'), 'utf8');
  const union = /export type View\s*=\s*([^;]+);/.exec(ui)?.[1] ?? '';
  return { nav, type: [...union.matchAll(/'([\w-]+)'/g)].map((m) => m[1]!) };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const head = readFileSync(file).subarray(0, 24);
  expect(head.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

describe('screenshot gallery', () => {
  it('shoots every view the app\'s navigation has, in its order, and the call drawer', () => {
    const { nav, type } = navigationViews();
    expect(nav).toContain('calls'); // the reader itself works
    expect([...GALLERY_VIEWS]).toEqual(nav);
    expect([...type].sort()).toEqual([...nav].sort());
    expect(GALLERY_SHOTS).toContain('call-drawer');
  });

  // The dense views (the call grid, the drawer) come to about 300 KB even at device scale 1; Chromium's PNGs are
  // already RGB at a strong deflate, so re-encoding them gains nothing.
  it('has every picture of the guide\'s gallery committed: 1400×900, under 350 KB', () => {
    const guide = readFileSync(GUIDE, 'utf8');
    expect(guide).toContain(galleryMarkdown()); // the section is the script's current one
    for (const shot of GALLERY_SHOTS) {
      for (const language of GALLERY_LANGUAGES) {
        for (const theme of GALLERY_THEMES) {
          const file = join(IMAGES_DIR, shotName(shot, language, theme));
          expect(existsSync(file), file).toBe(true);
          expect(pngSize(file), file).toEqual({ width: 1400, height: 900 });
          expect(statSync(file).size, file).toBeLessThan(350_000);
        }
      }
    }
  });

  it('replaces the gallery table between its markers, and refuses a guide without them', () => {
    const stale = `# Guide\n\n${GALLERY_BEGIN}\nold\n${GALLERY_END}\n\n## Later section\n`;
    expect(withGallery(stale)).toBe(`# Guide\n\n${galleryMarkdown()}\n\n## Later section\n`);
    expect(() => withGallery('# Guide\n')).toThrow(/no <!-- gallery: begin -->/);
  });

});
