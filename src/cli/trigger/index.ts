import { appleTrigger } from './apple.js';
import { lemonSqueezyTrigger } from './lemonsqueezy.js';
import { paddleTrigger } from './paddle.js';
import { polarTrigger } from './polar.js';
import { revenuecatTrigger } from './revenuecat.js';
import { shopifyTrigger } from './shopify.js';
import { stripeTrigger } from './stripe.js';
import type { TriggerProvider } from './types.js';

/**
 * The providers `dub-bridge trigger` can sign for: one line each. A provider adds
 * `src/cli/trigger/<source>.ts` (builders over its samples in `samples/`, and its signer) here.
 * The App Store is listed to explain why it cannot be simulated.
 */
export const triggerProviders: readonly TriggerProvider[] = [stripeTrigger, shopifyTrigger, paddleTrigger, polarTrigger, lemonSqueezyTrigger, revenuecatTrigger, appleTrigger];
