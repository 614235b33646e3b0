// The cost definitions are written once (COST_DEFINITIONS) and shown in docs/costs.md and the UI's tooltips: the
// document's list must be exactly that text, in that order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COST_DEFINITIONS } from '../../electron/shared/costs.ts';
import { en } from '../../renderer/src/lib/i18n/en.ts';

describe('docs/costs.md cost definitions', () => {
  it('are COST_DEFINITIONS word for word', () => {
    const doc = readFileSync(new URL('../../docs/costs.md', import.meta.url), 'utf8');
    const block = /<!-- cost definitions: begin -->\n([\s\S]*?)<!-- cost definitions: end -->/.exec(doc)?.[1] ?? '';
    expect(block.trim().split('\n').map((l) => l.replace(/^- /, ''))).toEqual(Object.values(COST_DEFINITIONS));
  });
  it('are the English tooltips of the cost card and columns', () => {
    expect(en['cost.def.total']).toBe(COST_DEFINITIONS.total);
    expect(en['cost.def.costPerAnswered']).toBe(COST_DEFINITIONS.costPerAnswered);
  });
});
