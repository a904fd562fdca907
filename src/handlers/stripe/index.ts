import * as z from 'zod';
import { handledStripeEventTypes, mapStripeEvent, parseStripeEvent, stripeCustomerIdOf, type StripeEvent } from '../../mappers/stripe/index.js';
import { secretOrList } from '../secret-list.js';
import { defineProvider, refused } from '../provider.js';
import { createStripeSaleLookup } from './invoice-lookup.js';
import { createStripeVerifier } from './verify.js';

/** Stripe: `Stripe-Signature` over the raw body; inbox key = event id; Connect `account` routes tenants. */
// Stripe's signing secrets are `whsec_` and 32 more characters: anything shorter is a placeholder.
const webhookSecret = z
  .string()
  .trim()
  .startsWith('whsec_', 'each secret must start with whsec_')
  .min(32, 'too short for a Stripe signing secret (whsec_ and 32 characters)');

/** `"stripe": {"accounts": ["acct_…"], "webhookSecret": "whsec_…"}` in TENANTS_FILE (the first format). */
const legacyTenantBlock = z
  .strictObject({
    /** Connected accounts (`event.account`) whose events arrive on `/webhooks/stripe`. */
    accounts: z.array(z.string().regex(/^acct_[A-Za-z0-9]+$/, 'expected a Stripe account id (acct_…)')).default([]),
    /** Secret of this tenant's own endpoint `/webhooks/stripe/<id>` (and of its Connect endpoint, if any). */
    webhookSecret: secretOrList(webhookSecret).optional(),
  })
  .refine((s) => s.accounts.length > 0 || s.webhookSecret, 'needs accounts or webhookSecret');

export default defineProvider<StripeEvent>({
  source: 'stripe',
  label: 'Stripe',
  secretVariable: 'STRIPE_WEBHOOK_SECRET',
  secretHint: 'whsec_…, comma-separated during rotation',
  secret: webhookSecret,
  legacyTenantBlock: { key: 'stripe', schema: legacyTenantBlock, secretField: 'webhookSecret', accountsField: 'accounts' },
  settings: z.object({
    /**
     * Optional Stripe secret or restricted key (read access to invoices). Lets refunds find their
     * invoice on API versions 2025-03-31 and newer, where charges no longer name it.
     */
    STRIPE_API_KEY: z
      .string()
      .trim()
      .regex(/^(sk|rk)_/, 'must be a Stripe secret (sk_…) or restricted (rk_…) key')
      .optional(),
    /** Stripe API base URL (tests point it at a local stand-in). */
    STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.stripe.com'),
  }),
  createVerifier: (secrets, deps) => createStripeVerifier(secrets, deps),
  identify({ json }) {
    const event = json as { id?: unknown; type?: unknown; account?: unknown } | null;
    if (typeof event?.id !== 'string' || typeof event.type !== 'string') {
      return refused('invalid_payload', 'Stripe event failed validation: id and type are required');
    }
    return { ok: true, value: { eventKey: event.id, eventType: event.type, account: typeof event.account === 'string' ? event.account : null } };
  },
  parse: (json) => parseStripeEvent(json),
  customerIdOf: stripeCustomerIdOf,
  createSaleLookup: createStripeSaleLookup,
  saleLookupHint: 'if the sale was an invoice, set STRIPE_API_KEY so the bridge can ask Stripe which invoice this payment paid',
  map: mapStripeEvent,
  handledEventTypes: handledStripeEventTypes,
});
