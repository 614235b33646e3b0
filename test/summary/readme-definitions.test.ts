// The KPI definitions are written once (SUMMARY_DEFINITIONS) and shown in the README and the UI's tooltips: the
// README's list must be exactly that text, in that order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUMMARY_DEFINITIONS } from '../../electron/shared/search.ts';

describe('README summary definitions', () => {
  it('are SUMMARY_DEFINITIONS word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- summary definitions: begin -->\n([\s\S]*?)<!-- summary definitions: end -->/.exec(readme)?.[1] ?? '';
    expect(block.trim().split('\n').map((l) => l.replace(/^- /, ''))).toEqual(Object.values(SUMMARY_DEFINITIONS));
  });
});
