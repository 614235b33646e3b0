// pbx-cdr in the shared fault suite (see providers/conformance.ts).
import type { ConformanceProfile } from '../conformance.ts';
import { PBX_CDR_DIALECTS } from './simulator.ts';

export const pbxCdrConformance: ConformanceProfile = {
  // The row id is the call id and the paging cursor: a row without it fails the sync rather than vanish.
  missingField: { field: 'id', outcome: 'error' },
  dialects: PBX_CDR_DIALECTS,
};
