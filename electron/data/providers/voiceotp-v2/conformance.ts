// voiceotp-v2 in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';
import { VOICEOTP_DIALECTS } from './simulator.ts';

export const voiceotpV2Conformance: ConformanceProfile = {
  // duration is optional: stored as null, and the billed seconds derived from it with it.
  missingField: { field: 'duration', outcome: 'null', columns: ['durationSec', 'billSec'] },
  dialects: VOICEOTP_DIALECTS,
};
