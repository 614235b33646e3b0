// The KPI definitions are written once (SUMMARY_DEFINITIONS) and shown in docs/summaries.md and the UI's tooltips:
// the document's list must be exactly that text, in that order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUMMARY_DEFINITIONS } from '../../electron/shared/search.ts';

describe('docs/summaries.md summary definitions', () => {
  it('are SUMMARY_DEFINITIONS word for word', () => {
    const doc = readFileSync(new URL('../../docs/summaries.md', import.meta.url), 'utf8');
    const block = /<!-- summary definitions: begin -->\n([\s\S]*?)<!-- summary definitions: end -->/.exec(doc)?.[1] ?? '';
    expect(block.trim().split('\n').map((l) => l.replace(/^- /, ''))).toEqual(Object.values(SUMMARY_DEFINITIONS));
  });
});
