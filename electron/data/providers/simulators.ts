// Registry of simulators: one entry per provider id, or the build fails. Each lives in providers/<id>/simulator.ts.
import type { ProviderId } from '../../shared/providers.ts';
import type { StartSimulator } from './simulation/types.ts';
import { startTel4vnV3 } from './tel4vn-v3/simulator.ts';
import { startAutodialerV4 } from './autodialer-v4/simulator.ts';
import { startSarvVoiceSim } from './sarv-voice/simulator.ts';
import { startVoiceotpV2Sim } from './voiceotp-v2/simulator.ts';
import { startPbxCdrSimulator } from './pbx-cdr/simulator.ts';

export const SIMULATORS: Record<ProviderId, StartSimulator> = {
  'tel4vn-v3': startTel4vnV3,
  'autodialer-v4': startAutodialerV4,
  'pbx-cdr': startPbxCdrSimulator,
  'sarv-voice': startSarvVoiceSim,
  'voiceotp-v2': startVoiceotpV2Sim,
};

