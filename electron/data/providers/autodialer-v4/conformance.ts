// autodialer-v4 in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';
import { AUTODIALER_V4_DIALECTS } from './simulator.ts';

export const autodialerV4Conformance: ConformanceProfile = {
  // A try without cdr_id was never dialled: no call.
  missingField: { field: 'cdr_id', outcome: 'skipped' },
  dialects: AUTODIALER_V4_DIALECTS,
};
