// Registry of simulators, one per provider. Each provider's helper adds its own line.
import type { ProviderId } from '../../shared/providers.ts';
import type { StartSimulator } from './types.ts';
import { startSarvVoiceSim } from './sarv-voice.ts';
import { startVoiceotpV2Sim } from './voiceotp-v2.ts';

export const SIMULATORS: Partial<Record<ProviderId, StartSimulator>> = {
  'sarv-voice': startSarvVoiceSim,
  'voiceotp-v2': startVoiceotpV2Sim,
};
