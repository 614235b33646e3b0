// Registry of provider adapters: one entry per provider id, or the build fails (a provider half added does not
// compile). Each adapter lives in providers/<id>/adapter.ts.
import type { ProviderId } from '../../shared/providers.ts';
import type { ProviderAdapter } from './types.ts';
import { tel4vnV3 } from './tel4vn-v3/adapter.ts';
import { autodialerV4 } from './autodialer-v4/adapter.ts';
import { pbxCdrAdapter } from './pbx-cdr/adapter.ts';
import { sarvVoiceAdapter } from './sarv-voice/adapter.ts';
import { voiceotpV2Adapter } from './voiceotp-v2/adapter.ts';

export const ADAPTERS: Record<ProviderId, ProviderAdapter> = {
  'tel4vn-v3': tel4vnV3,
  'autodialer-v4': autodialerV4,
  'pbx-cdr': pbxCdrAdapter,
  'sarv-voice': sarvVoiceAdapter,
  'voiceotp-v2': voiceotpV2Adapter,
};

export function adapterFor(provider: ProviderId): ProviderAdapter {
  const a = (ADAPTERS as Partial<Record<string, ProviderAdapter>>)[provider];
  // Only a provider id that is not in PROVIDER_IDS (a database written by a newer build) gets here.
  if (!a) throw new Error(`provider ${provider} has no adapter in this build`);
  return a;
}
