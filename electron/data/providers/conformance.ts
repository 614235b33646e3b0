// What the shared fault and conformance suites (test/reliability/provider-faults.test.ts,
// test/providers/conformance.test.ts) expect of each provider where providers differ by design. One entry per
// provider id, or the build fails; each profile lives in providers/<id>/conformance.ts.
import type { ProviderId } from '../../shared/providers.ts';
import type { ExpectedCall } from './simulation/types.ts';
import { autodialerV4Conformance } from './autodialer-v4/conformance.ts';
import { pbxCdrConformance } from './pbx-cdr/conformance.ts';
import { sarvVoiceConformance } from './sarv-voice/conformance.ts';
import { tel4vnV3Conformance } from './tel4vn-v3/conformance.ts';
import { voiceotpV2Conformance } from './voiceotp-v2/conformance.ts';

export interface ConformanceProfile {
  /**
   * The field the fault suite removes from every record, and what the adapter does then:
   * 'error' (a per-account error naming the field, nothing cached), 'skipped' (a row without it is not a call)
   * or 'null' (an optional field: stored as null, with the `columns` that derive from it; the rest exact).
   */
  missingField: { field: string; outcome: 'error' | 'skipped' | 'null'; columns?: (keyof ExpectedCall)[] };
  /** The simulator's dialects (SimulatorOptions.dialect), one per open reading of the vendor's document. */
  dialects?: readonly string[];
}

export const CONFORMANCE: Record<ProviderId, ConformanceProfile> = {
  'autodialer-v4': autodialerV4Conformance,
  'voiceotp-v2': voiceotpV2Conformance,
  'pbx-cdr': pbxCdrConformance,
  'tel4vn-v3': tel4vnV3Conformance,
  'sarv-voice': sarvVoiceConformance,
};

/** The dialects of a provider's simulator, the default first; a simulator with one reading has `[undefined]`. */
export function dialectsOf(provider: ProviderId): readonly (string | undefined)[] {
  return CONFORMANCE[provider].dialects ?? [undefined];
}
