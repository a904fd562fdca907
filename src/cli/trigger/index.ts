import { loadRegisteredAdapters } from '../adapters.js';
import type { TriggerProvider } from './types.js';

/**
 * The providers `dub-bridge trigger` can sign for, in registry order: each registered provider
 * whose CLI adapter has a `trigger` (some only to explain why they cannot be simulated). Loading
 * this module loads the registry and the adapters, so only `trigger` imports it.
 */
export async function loadTriggerProviders(): Promise<TriggerProvider[]> {
  return (await loadRegisteredAdapters()).flatMap(({ source, adapter }) => (adapter.trigger ? [{ source, ...adapter.trigger }] : []));
}

export const triggerProviders: readonly TriggerProvider[] = await loadTriggerProviders();
