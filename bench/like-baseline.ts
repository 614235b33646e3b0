// The search baseline (issue 10): the same searches done with LIKE scans instead of the indexes, to show what the
// indexes buy. Text is folded exactly as the search engine folds it (foldText, phoneDigits) and matched with LIKE
// over the same derived columns the FTS5 indexes hold; `cdrs NOT INDEXED` keeps SQLite off every index.
import type { Database } from 'better-sqlite3';
import { foldText, phoneDigits, words } from '../electron/data/search/normalize.ts';

export interface LikeQuery {
  /** The search benchmark's label for the same search. */
  label: string;
  where: string;
  params: unknown[];
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Every folded word must appear in the folded text (the FTS query ANDs the words too). */
export function textLike(label: string, text: string): LikeQuery {
  const tokens = words(foldText(text));
  return { label, where: tokens.map(() => `search_text LIKE ? ESCAPE '\\'`).join(' AND '), params: tokens.map((w) => `%${likeEscape(w)}%`) };
}
export function phoneLike(label: string, fragment: string): LikeQuery {
  return { label, where: `phone_digits LIKE ?`, params: [`%${phoneDigits(fragment)}%`] };
}

export interface LikeTiming {
  label: string;
  matches: number;
  /** First page (100 rows, newest first) and the exact count, each the median of `runs` (a scan takes seconds). */
  pageMs: number;
  totalMs: number;
}

function median(fn: () => unknown, runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

export function likeBaseline(db: Database, queries: readonly LikeQuery[], runs = 1): LikeTiming[] {
  return queries.map((q) => {
    const page = db.prepare(`SELECT * FROM cdrs NOT INDEXED WHERE ${q.where} ORDER BY started_at DESC, id DESC LIMIT 100`);
    const count = db.prepare(`SELECT count(*) FROM cdrs NOT INDEXED WHERE ${q.where}`).pluck();
    let matches = 0;
    const totalMs = median(() => (matches = count.get(...q.params) as number), runs);
    return { label: q.label, matches, pageMs: median(() => page.all(...q.params), runs), totalMs };
  });
}
