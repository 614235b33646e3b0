// Registry of simulators, one per provider. Each provider's helper adds its own line.
import type { ProviderId } from '../../shared/providers.ts';
import type { StartSimulator } from './simulation/types.ts';
import { startTel4vnV3, TEL4VN_V3_DIALECTS } from './tel4vn-v3/simulator.ts';
import { AUTODIALER_V4_DIALECTS, startAutodialerV4 } from './autodialer-v4/simulator.ts';
import { startSarvVoiceSim } from './sarv-voice/simulator.ts';
import { startVoiceotpV2Sim } from './voiceotp-v2/simulator.ts';
import { PBX_CDR_DIALECTS, startPbxCdrSimulator } from './pbx-cdr/simulator.ts';

export const SIMULATORS: Partial<Record<ProviderId, StartSimulator>> = {
  'tel4vn-v3': startTel4vnV3,
  'autodialer-v4': startAutodialerV4,
  'pbx-cdr': startPbxCdrSimulator,
  'sarv-voice': startSarvVoiceSim,
  'voiceotp-v2': startVoiceotpV2Sim,
};

/**
 * Each simulator's dialects (SimulatorOptions.dialect), the default first: one per reading of the vendor's document
 * that it leaves open. The conformance suite runs every adapter against every dialect of its simulator.
 */
export const DIALECTS: Partial<Record<ProviderId, readonly string[]>> = {
  'tel4vn-v3': TEL4VN_V3_DIALECTS,
  'autodialer-v4': AUTODIALER_V4_DIALECTS,
  'pbx-cdr': PBX_CDR_DIALECTS,
};

/** The dialects of a provider's simulator; a simulator with one reading has the single dialect `undefined`. */
export function dialectsOf(provider: ProviderId): readonly (string | undefined)[] {
  return DIALECTS[provider] ?? [undefined];
}
