// Registry of provider adapters, one file per provider. Each adapter's file adds its own line here.
import type { ProviderId } from '../../shared/providers.ts';
import type { ProviderAdapter } from './types.ts';

export const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {};

export function adapterFor(provider: ProviderId): ProviderAdapter {
  const a = ADAPTERS[provider];
  if (!a) throw new Error(`provider ${provider} has no adapter in this build`);
  return a;
}
