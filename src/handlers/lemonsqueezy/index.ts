import * as z from 'zod';
import { handledLemonSqueezyEventTypes, lemonSqueezyCustomerIdOf, mapLemonSqueezyEvent, parseLemonSqueezyEvent } from '../../mappers/lemonsqueezy/index.js';
import { defineProvider } from '../provider.js';
import { createLemonSqueezyVerifier, identifyLemonSqueezy } from './verify.js';

/** The signing secret the merchant chose when creating the webhook (Lemon Squeezy takes 6 to 40 characters). */
export const lemonSqueezySecret = z
  .string()
  .min(6, "expected the webhook's signing secret (the 6 to 40 characters you typed in Settings > Webhooks); this value is too short");

/** Lemon Squeezy: `POST /webhooks/lemonsqueezy`, secret `LEMONSQUEEZY_WEBHOOK_SECRET`, Dub processor `lemonsqueezy`. */
export default defineProvider({
  source: 'lemonsqueezy',
  label: 'Lemon Squeezy',
  secretVariable: 'LEMONSQUEEZY_WEBHOOK_SECRET',
  secretHint: "the webhook's signing secret (Settings > Webhooks)",
  secret: lemonSqueezySecret,
  createVerifier: (secrets) => createLemonSqueezyVerifier(secrets),
  identify: identifyLemonSqueezy,
  parse: parseLemonSqueezyEvent,
  customerIdOf: lemonSqueezyCustomerIdOf,
  map: mapLemonSqueezyEvent,
  handledEventTypes: handledLemonSqueezyEventTypes,
});
