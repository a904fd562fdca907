import { shopifyTrigger } from './shopify.js';
import { stripeTrigger } from './stripe.js';
import type { TriggerProvider } from './types.js';

/**
 * The providers `dub-bridge trigger` can sign for: one line each. A provider adds
 * `src/cli/trigger/<source>.ts` (builders over its samples in `samples/`, and its signer) here.
 */
export const triggerProviders: readonly TriggerProvider[] = [stripeTrigger, shopifyTrigger];
