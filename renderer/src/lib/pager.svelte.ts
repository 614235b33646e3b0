// Pages of a search result, fetched on demand for the rows on screen: never the whole result. Scrolling on
// from a loaded page uses the keyset cursor that page returned (fast and stable under inserts); a jump (dragging
// the scrollbar) asks for that page by offset, and keyset paging resumes from there. Far pages are dropped so
// memory stays bounded by what is near the viewport, not by the result size. The first page and the exact total
// are asked for at once but separately: rows show as soon as they are read, the count follows.
import type { Cdr } from '../../../electron/shared/cdr.ts';
import type { SearchFilter, SortSpec } from '../../../electron/shared/filter.ts';
import { call } from './api.ts';

export const PAGE_SIZE = 200;
/** Pages kept around the viewport; beyond this the farthest are evicted. */
const MAX_PAGES = 40;
const PARALLEL = 2;

export class CallPager {
  /**
   * Rows the table can show: the exact number of matching calls once counted, until then the first page's rows
   * (null until either answers).
   */
  total: number | null = $state(null);
  /** Whether `total` is the exact count yet. */
  counted = $state(false);
  loading = $state(false);
  error: unknown = $state(null);
  /** Bumped whenever a page arrives, so views re-read rows. */
  version = $state(0);

  private pages = new Map<number, Cdr[]>();
  /** Cursor that fetches page n, learned from page n-1's `next`. */
  private cursors = new Map<number, string>();
  private inflight = new Set<number>();
  private wanted: number[] = [];
  private generation = 0;
  private filter: SearchFilter = {};
  private sort: SortSpec | undefined;

  /** Starts over with a new search; earlier answers still on the way are ignored. */
  reset(filter: SearchFilter, sort: SortSpec | undefined): Promise<void> {
    this.generation++;
    this.filter = filter;
    this.sort = sort;
    this.pages.clear();
    this.cursors.clear();
    this.inflight.clear();
    this.wanted = [];
    this.total = null;
    this.counted = false;
    this.error = null;
    this.version++;
    const generation = this.generation;
    return Promise.all([this.load(0, generation), this.count(generation)]).then(() => undefined);
  }

  private async count(generation: number): Promise<void> {
    try {
      const { total } = await call('search.query', { filter: this.filter, part: 'total' });
      if (generation !== this.generation || total === null) return;
      this.total = total;
      this.counted = true;
    } catch (err) {
      if (generation === this.generation) this.error = err;
    }
  }

  row(index: number): Cdr | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Asks for the pages covering rows [first, last]; nearest to `first` are fetched first. */
  ensure(first: number, last: number): void {
    if (this.total === null) return;
    const lastRow = Math.min(last, this.total - 1);
    const want: number[] = [];
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(lastRow / PAGE_SIZE); p++) {
      if (!this.pages.has(p) && !this.inflight.has(p)) want.push(p);
    }
    // Newest wishes replace older ones: pages scrolled past while loading are no longer needed.
    this.wanted = want;
    this.pump();
    this.evict(Math.floor(first / PAGE_SIZE));
  }

  private pump(): void {
    while (this.inflight.size < PARALLEL && this.wanted.length) {
      const page = this.wanted.shift()!;
      if (!this.pages.has(page) && !this.inflight.has(page)) void this.load(page, this.generation);
    }
  }

  private async load(page: number, generation: number): Promise<void> {
    this.inflight.add(page);
    this.loading = true;
    const cursor = this.cursors.get(page);
    try {
      const result = await call('search.query', {
        filter: this.filter,
        ...(this.sort ? { sort: this.sort } : {}),
        limit: PAGE_SIZE,
        part: 'page',
        ...(page === 0 ? {} : cursor ? { after: cursor } : { offset: page * PAGE_SIZE }),
      });
      if (generation !== this.generation) return;
      this.pages.set(page, result.rows);
      if (result.next) this.cursors.set(page + 1, result.next);
      if (!this.counted && page === 0) this.total = result.rows.length;
      this.error = null;
      this.version++;
    } catch (err) {
      if (generation === this.generation) this.error = err;
    } finally {
      if (generation === this.generation) {
        this.inflight.delete(page);
        this.loading = this.inflight.size > 0;
        this.pump();
      }
    }
  }

  private evict(centre: number): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of far.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }
}
