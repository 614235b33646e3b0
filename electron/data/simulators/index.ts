// Registry of simulators, one per provider. Each provider's helper adds its own line.
import type { ProviderId } from '../../shared/providers.ts';
import type { StartSimulator } from './types.ts';

export const SIMULATORS: Partial<Record<ProviderId, StartSimulator>> = {};
