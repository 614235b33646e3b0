// Registry of provider adapters, one file per provider. Each adapter's file adds its own line here.
import type { ProviderId } from '../../shared/providers.ts';
import type { ProviderAdapter } from './types.ts';
import { tel4vnV3 } from './tel4vn-v3/adapter.ts';
import { autodialerV4 } from './autodialer-v4/adapter.ts';
import { pbxCdrAdapter } from './pbx-cdr/adapter.ts';
import { sarvVoiceAdapter } from './sarv-voice/adapter.ts';
import { voiceotpV2Adapter } from './voiceotp-v2/adapter.ts';

export const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  'tel4vn-v3': tel4vnV3,
  'autodialer-v4': autodialerV4,
  'pbx-cdr': pbxCdrAdapter,
  'sarv-voice': sarvVoiceAdapter,
  'voiceotp-v2': voiceotpV2Adapter,
};

export function adapterFor(provider: ProviderId): ProviderAdapter {
  const a = ADAPTERS[provider];
  if (!a) throw new Error(`provider ${provider} has no adapter in this build`);
  return a;
}
