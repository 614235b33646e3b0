// A filter common along the sort order (a word or a number in a large share of the calls), paged by walking that
// order and testing each call's own text and digits, no FTS list: chosen from the search's exact counts or from a
// sample of the calls.
import type { Database } from 'better-sqlite3';
import type { SearchFilter } from '../../shared/filter.ts';
import { compileFilterDetail, hostDb, idRange, matchesUpTo, type CompiledFilterDetail, type FilterHost } from './filter.ts';
import { readLazily } from './fts-terms.ts';
import { foldText, looksLikePhone, phoneDigits, words } from './normalize.ts';
import type { SearchOptions } from './search.ts';
import { decodeCursor, parseSort, segmentsAfter, sortPlan } from './sort.ts';
import { hasTailSchema, tailPhoneTest, tailTextTest, type TailTest } from './tail.ts';
import { hasIndex, rangedBy, walkBound, walkBounded, type ChosenPage, type Statement } from './walk.ts';

/**
 * How much dearer testing a call's own text and digits (its row read in the sort order, then the words looked
 * for in its text) is than reading one entry of an FTS list.
 */
const ROW_TEST_COST = 60;
/** Calls read, spread over the table, to estimate how common a filter and each of its words are. */
const SAMPLE_CALLS = 256;

/**
 * Each word and digit fragment of the filter as the FTS indexes list it, tested on a call's own columns, and how
 * many of the first ones are words of text FTS5 reads lazily (fts-terms.ts): two or more of those are listed
 * together at about the cost of the rarest one's list per word.
 */
function listedTerms(db: Database, filter: SearchFilter): { terms: TailTest[]; lazyWords: number } {
  const terms: TailTest[] = [];
  const text = filter.text?.trim() ?? '';
  const digitsOf = (d: string) => (d.length >= 3 ? [tailPhoneTest(d)] : []);
  let lazyWords = 0;
  if (text && looksLikePhone(text)) terms.push(tailTextTest(db, [phoneDigits(text)]), ...digitsOf(phoneDigits(text)));
  else if (text) {
    const tokens = words(foldText(text));
    terms.push(...tokens.map((w) => tailTextTest(db, [w])));
    if (tokens.length > 1 && tokens.every((w) => readLazily(db, w))) lazyWords = tokens.length;
  }
  if (filter.phone) terms.push(...digitsOf(phoneDigits(filter.phone)));
  return { terms, lazyWords };
}

/** The entries listing costs, as a share of the calls: each list whole, but lazily read words by the rarest one. */
function listedShare(shares: number[], lazyWords: number): number {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (!lazyWords) return sum(shares);
  return Math.min(...shares.slice(0, lazyWords)) * (lazyWords + 1) + sum(shares.slice(lazyWords));
}

/** What search() knows before choosing its page: the exact total, and the filter's text or phone match if it has one only. */
export interface KnownCounts {
  total: number;
  loneMatch?: CompiledFilterDetail['matches'][number];
}

/**
 * Whether walking `expected` calls in the sort order, each tested on its own columns, costs at most half of listing
 * the filter's words and digits, `listed` entries per call of the `size` calls.
 */
function walkPays(expected: number, listed: number, size: number): boolean {
  return expected <= (listed * size) / ROW_TEST_COST / 2;
}

/**
 * How many calls the walk should pass to find `wanted` of the filter's, when that costs at most half of listing
 * them (walkPays), else null. The exact total (search() counts first) tells the walk's length, and rules the walk
 * out when even the dearest listing (each word in every call) costs less than twice it. With one word or digit
 * fragment, its list is then counted no further than where the walk pays. Else a sample of the calls tells how
 * common the filter and each word are: in a new process its scattered rows cost more than such a count.
 */
function walkLength(db: Database, f: CompiledFilterDetail, terms: TailTest[], lazyWords: number, wanted: number, ids: { lo: number; size: number }, known?: KnownCounts): number | null {
  const { lo, size } = ids;
  if (known) {
    const walk = (wanted * size) / known.total;
    if (!walkPays(walk, listedShare(terms.map(() => 1), lazyWords), size)) return null;
    if (terms.length === 1 && known.loneMatch) {
      const paysFrom = Math.ceil(2 * ROW_TEST_COST * walk);
      return matchesUpTo(db, known.loneMatch, paysFrom) === paysFrom ? walk : null;
    }
  }
  const sample = Array.from({ length: SAMPLE_CALLS }, (_, i) => lo + Math.floor(((i + 0.5) * size) / SAMPLE_CALLS));
  const shares = db.prepare(`SELECT count(*) AS n, sum(${f.where}) AS ok, ${terms.map((t, i) => `sum(${t.sql}) AS t${i}`).join(', ')}
    FROM cdrs WHERE id IN (SELECT value FROM json_each(?))`).get(...f.params, ...terms.flatMap((t) => t.params), JSON.stringify(sample)) as Record<string, number | null>;
  const seen = shares.n ?? 0;
  if (!seen || !shares.ok) return null;
  const listed = listedShare(terms.map((_, i) => shares[`t${i}`] ?? 0), lazyWords) / seen;
  const expected = (wanted * seen) / shares.ok;
  return walkPays(expected, listed, size) ? expected : null;
}

/**
 * The page of a filter common along the sort order, its text or phone fragment in a large share of the calls
 * ("answer", a city's dialling code), or null: walked in the sort order's index, each call tested on its own text
 * and digits as the search tail's are (filter mode 'rows'), stopping when the page is full. Listing such a match
 * in its FTS index reads every entry of each of its words (listedShare: a rare word beside words read lazily
 * shortens what is read), where the page is full after a few hundred calls. How common the
 * filter and each word are (walkLength: counted, or a sample) decides: the walk is taken when it should fill the
 * page in half of what listing would cost, and gives up after twice the calls foretold, or at a quarter of that
 * when it cannot fill the page at the rate it found calls so far.
 */
export function densePage(ws: FilterHost, opts: SearchOptions, limit: number, known?: KnownCounts, ran?: (q: Statement) => void): ChosenPage | null {
  const { filter } = opts;
  const db = hostDb(ws);
  const { terms, lazyWords } = listedTerms(db, filter);
  if (!terms.length || !hasTailSchema(db)) return null;
  const f = compileFilterDetail(ws, filter, { tail: 'rows' });
  const plan = sortPlan(parseSort(opts.sort), [...f.accountsById.values()]);
  // Not by start time ascending: calls without a start come first, and SQLite sorts that group by id (testing
  // each of its calls) before the walk's first step.
  if (!plan.index || rangedBy(f, plan) || !hasIndex(db, plan.index) || (plan.tiesSorted && !plan.spec.desc)) return null;
  const offset = opts.offset ?? 0;
  const { lo, hi } = idRange(db);
  const expected = walkLength(db, f, terms, lazyWords, offset + limit + 1, { lo, size: hi - lo + 1 }, known);
  if (expected === null) return null;
  // Twice the walk foretold: a filter whose calls gather away from the walk's start (one account's
  // agents, one month's callers) shows at the quarter check, half the foretold walk.
  const budget = Math.ceil(2 * expected);
  const dir = plan.spec.desc ? 'DESC' : 'ASC';
  const cursor = opts.after ? decodeCursor(opts.after, plan.spec) : null;
  const segments = cursor ? segmentsAfter(plan, cursor.value, cursor.id) : [{ where: '1', params: [], orderBy: `${plan.expr} ${dir}, id ${dir}` }];
  const bound = walkBound(f, plan);
  const parts = segments.map((s) => ({
    sql: `SELECT id, (${f.where}) AS ok FROM cdrs INDEXED BY ${plan.index} WHERE ${bound ? `${bound} AND ` : ''}${s.where} ORDER BY ${s.orderBy} LIMIT ${budget}`,
    params: [...f.params, ...s.params],
  }));
  const giveUp = offset ? undefined : (_: number, found: number) => found * 4 < limit + 1;
  const ids = walkBounded(db, { streams: () => [parts], budget, skip: offset }, limit + 1, undefined, ran, giveUp);
  return ids && { ids, plan, limit, accountsById: f.accountsById };
}
