// Registry of provider adapters, one file per provider. Each adapter's file adds its own line here.
import type { ProviderId } from '../../shared/providers.ts';
import type { ProviderAdapter } from './types.ts';
import { sarvVoiceAdapter } from './sarv-voice.ts';
import { voiceotpV2Adapter } from './voiceotp-v2.ts';

export const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  'sarv-voice': sarvVoiceAdapter,
  'voiceotp-v2': voiceotpV2Adapter,
};

export function adapterFor(provider: ProviderId): ProviderAdapter {
  const a = ADAPTERS[provider];
  if (!a) throw new Error(`provider ${provider} has no adapter in this build`);
  return a;
}
