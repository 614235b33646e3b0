// The fixed search set of the benchmark, over the cache bench/build-cache.ts syncs from the simulators (their
// names, campaigns and numbers, seed 10): the filter combinations a manager uses most, and the LIKE-scan
// equivalents of the ones the FTS5 indexes serve.
import type { SearchFilter, SortSpec } from '../electron/shared/filter.ts';
import { phoneLike, textLike, type LikeQuery } from './like-baseline.ts';

export type BenchSearch = [label: string, filter: SearchFilter, sort?: SortSpec];

export const SEARCHES: readonly BenchSearch[] = [
  ['no filter, newest first', {}],
  ['one account', { accounts: ['Saigon Autocall'] }],
  ['one account + one month', { accounts: ['Bucharest PBX'], from: '2024-06-01', to: '2024-06-30' }],
  ['all accounts + one day (per-zone windows)', { from: '2024-09-10', to: '2024-09-10' }],
  ['status answered', { statuses: ['answered'] }],
  ['statuses busy+no_answer + one week', { statuses: ['busy', 'no_answer'], from: '2024-03-01', to: '2024-03-07' }],
  ['campaign', { campaign: 'Khuyến mãi Tết' }],
  ['campaign + status + account', { accounts: ['Bucharest PBX'], campaign: 'Recuperări Creanțe', statuses: ['answered'] }],
  ['text: common name (popescu)', { text: 'popescu' }],
  ['text: full name, no tones', { text: 'ho minh vy' }],
  ['text: Persian words', { text: 'جشنواره نوروز' }],
  ['text: Romanian, cedilla', { text: 'Gheorghiţă' }],
  ['text + account + month', { accounts: ['Tehran Dialer'], text: 'نوروز', from: '2024-05-01', to: '2024-05-31' }],
  ['phone fragment 4 digits', { phone: '0912' }],
  ['phone fragment 7 digits (rare)', { phone: '794 8345' }],
  ['direction in + min duration 120', { direction: 'in', minDuration: 120 }],
  ['duration 300..600, longest first', { minDuration: 300, maxDuration: 600 }, { field: 'durationSec', desc: true }],
  ['sort by campaign', {}, { field: 'campaign', desc: false }],
  ['sort by status', {}, { field: 'status', desc: false }],
  ['sort by agent', {}, { field: 'agent', desc: false }],
  ['sort by answered time', {}, { field: 'answeredAt', desc: true }],
];

/** The searches the FTS5 indexes serve, as LIKE scans over the same folded columns (labels as above). */
export const LIKE_QUERIES: readonly LikeQuery[] = [
  textLike('text: common name (popescu)', 'popescu'),
  textLike('text: full name, no tones', 'ho minh vy'),
  textLike('text: Persian words', 'جشنواره نوروز'),
  textLike('text: Romanian, cedilla', 'Gheorghiţă'),
  phoneLike('phone fragment 4 digits', '0912'),
  phoneLike('phone fragment 7 digits (rare)', '794 8345'),
];
