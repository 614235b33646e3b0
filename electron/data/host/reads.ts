// The channels that only read the cache, and the one function per channel that answers them from a connection.
// They can run anywhere a connection can: in line on the host's own connection, or on the read thread
// (host/reader.ts) so that a long summary or count never holds up the host's message thread.
import type { Database } from 'better-sqlite3';
import type { Channel, Response } from '../../shared/contract.ts';
import { search, searchPage, searchTotal } from '../search/search.ts';
import { comparePeriods, hourWeekdayMatrix, providerReported, summarize } from '../summary/summary.ts';

type Parsed<C extends Channel> = import('zod').output<(typeof import('../../shared/contract.ts').CHANNELS)[C]['request']>;

export const READ_CHANNELS = ['search.query', 'summary.get', 'summary.matrix', 'summary.compare', 'summary.providerReported'] as const;
export type ReadChannel = (typeof READ_CHANNELS)[number];

export function isReadChannel(channel: string): channel is ReadChannel {
  return (READ_CHANNELS as readonly string[]).includes(channel);
}

export const READS: { [C in ReadChannel]: (req: Parsed<C>, db: Database) => Response<C> } = {
  'search.query': (req, db) => {
    if (req.part === 'page') return { total: null, ...searchPage(db, req) };
    if (req.part === 'total') return { total: searchTotal(db, req.filter), rows: [], next: null };
    return search(db, req);
  },
  'summary.get': (req, db) => summarize(db, req),
  'summary.matrix': (req, db) => hourWeekdayMatrix(db, req),
  'summary.compare': (req, db) => comparePeriods(db, req),
  'summary.providerReported': (req, db) => providerReported(db, req),
};
