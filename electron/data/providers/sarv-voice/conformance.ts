// sarv-voice in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';
import { SARV_DIALECTS } from './simulator.ts';

export const sarvVoiceConformance: ConformanceProfile = {
  // duration is optional: stored as null, and the billed seconds derived from it with it.
  missingField: { field: 'duration', outcome: 'null', columns: ['durationSec', 'billSec'] },
  dialects: SARV_DIALECTS,
};
