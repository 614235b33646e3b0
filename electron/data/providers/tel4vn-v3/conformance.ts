// tel4vn-v3 in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';
import { TEL4VN_V3_DIALECTS } from './simulator.ts';

export const tel4vnV3Conformance: ConformanceProfile = {
  // A lead row without cdr_uuid is a lead never connected to a call: a lead, not a call.
  missingField: { field: 'cdr_uuid', outcome: 'skipped' },
  dialects: TEL4VN_V3_DIALECTS,
};
