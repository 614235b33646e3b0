// autodialer-v4 in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';

export const autodialerV4Conformance: ConformanceProfile = {
  // A try without cdr_id was never dialled: no call.
  missingField: { field: 'cdr_id', outcome: 'skipped' },
};
