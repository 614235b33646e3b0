// Simulators: real HTTP servers on 127.0.0.1 that speak each provider's documented protocol, quirks included.
// Tests sync from them and compare with what they generated; `cdr-desk demo` serves them to new users.
import type { CallStatus, Direction } from '../../../shared/cdr.ts';
import type { ProviderId } from '../../../shared/providers.ts';
import type { Secrets } from '../../accounts/secrets/store.ts';
import type { FaultPlan } from './faults.ts';

export interface SimulatorOptions {
  /** Deterministic data: the same seed gives the same calls. */
  seed?: number;
  /** How many calls to generate. */
  calls?: number;
  /** Generated calls fall in [start, end) (epoch ms); defaults to the 30 days before 2024-11-01. */
  start?: number;
  end?: number;
  /** Faults to inject; can also be changed at run time through `faults`. */
  faults?: FaultPlan;
  /** Port to listen on; 0 (default) picks a free one. Always 127.0.0.1. */
  port?: number;
  /** Milliseconds each request waits before it is answered, as a provider 20-200 ms away (a request's own `?latency=` wins). */
  latencyMs?: number;
  /**
   * One open reading of the vendor's document to follow (each simulator exports its list, named in its
   * provider's conformance profile; the first is the document's own examples). Some simulators also take
   * `?dialect=NAME` on a request.
   */
  dialect?: string;
  /** Paged providers: the most rows one answer carries (the server's own page size or cap). */
  pageSize?: number;
}

/** What a correct sync must produce for one call: the test oracle, written from the generator's own truth. */
export interface ExpectedCall {
  callId: string;
  status: CallStatus;
  providerStatus: string | null;
  direction: Direction | null;
  source: string | null;
  destination: string | null;
  campaign: string | null;
  /** ISO 8601 UTC instants, as search returns them. */
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  durationSec: number | null;
  billSec: number | null;
  agent: string | null;
  /** The person called as the provider names them; absent where the provider names nobody (null). */
  contact?: string | null;
}

export interface RunningSimulator {
  provider: ProviderId;
  /** The dialect this simulator speaks (absent: the provider has a single reading). */
  dialect?: string;
  baseUrl: string;
  secrets: Secrets;
  timezone: string;
  /** Every call the provider holds, as a correct sync must store it. */
  expected: ExpectedCall[];
  /** By-id providers: the ids a user would import (may include unknown ones; see `unknownIds`). */
  ids: string[];
  unknownIds: string[];
  /** Live fault controls and request counters. */
  faults: import('./faults.ts').FaultController;
  /** Adds or changes calls (e.g. a call that was ringing is now answered) to test incremental sync. */
  mutate(change: 'add' | 'update', count: number): ExpectedCall[];
  close(): Promise<void>;
}

export type StartSimulator = (options?: SimulatorOptions) => Promise<RunningSimulator>;

/** A simulator's dialect option checked against its list: the default (first) when absent, an error when unknown. */
export function pickDialect<D extends string>(list: readonly D[], asked: string | undefined, provider: ProviderId): D {
  if (asked === undefined) return list[0]!;
  if (!(list as readonly string[]).includes(asked)) throw new Error(`${provider} simulator: unknown dialect "${asked}" (known: ${list.join(', ')})`);
  return asked as D;
}
