import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { postWebhook, rows, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';
import { signedCheckout } from './queue-harness.js';

/** Tenants on Workers: TENANTS_JSON holds the document TENANTS_FILE holds on Node. */
let dub: RemoteFakeDub;
beforeEach(async () => {
  dub = await startRemoteFakeDub();
});
afterEach(() => dub.close());

const NORTH_SECRET = 'whsec_test_north_tenant_0123456789';

test("a tenant's webhook on its own route is verified with its secret and delivered with its Dub key", async () => {
  const tenants = { tenants: [{ id: 'north', dubApiKey: dub.apiKey, stripe: { webhookSecret: NORTH_SECRET } }] };
  // No DUB_API_KEY: only the tenant's key can reach this Dub.
  const target = workerEnv(dub, { DUB_API_KEY: undefined, TENANTS_JSON: JSON.stringify(tenants) });

  const ack = await postWebhook(target, await signedCheckout(NORTH_SECRET, 0, '/webhooks/stripe/north'));
  expect(ack.status).toBe(200);
  expect(await rows('SELECT tenant, kind, state FROM outbox')).toEqual([{ tenant: 'north', kind: 'sale', state: 'delivered' }]);
  expect((await dub.requests()).map((r) => [r.path, r.status])).toEqual([['/track/sale', 200]]);

  // The env secret does not open the tenant's route.
  const foreign = await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET, 1, '/webhooks/stripe/north'));
  expect(foreign.status).toBe(401);
});

test('a TENANTS_JSON that fails the schema answers 500 naming the variable and the field; nothing is stored', async () => {
  const tenants = { tenants: [{ id: 'north', dubApiKey: dub.apiKey, stripe: { webhookSecret: 'sk_test_not_a_webhook_secret' } }] };
  const target = workerEnv(dub, { TENANTS_JSON: JSON.stringify(tenants) });

  const response = await postWebhook(target, await signedCheckout(env.STRIPE_WEBHOOK_SECRET));
  expect(response).toEqual({
    status: 500,
    body: {
      error: {
        code: 'internal_error',
        message: 'invalid configuration: TENANTS_JSON: tenants.0.stripe.webhookSecret: each secret must start with whsec_',
      },
    },
  });
  expect(await rows('SELECT count(*) AS n FROM inbox')).toEqual([{ n: 0 }]);
});

test('TENANTS_JSON given as a JSON object in wrangler.toml [vars] is read the same', async () => {
  const tenants = { tenants: [{ id: 'north', dubApiKey: dub.apiKey, stripe: { webhookSecret: NORTH_SECRET } }] };
  const target = workerEnv(dub, { DUB_API_KEY: undefined, TENANTS_JSON: tenants });
  expect((await postWebhook(target, await signedCheckout(NORTH_SECRET, 2, '/webhooks/stripe/north'))).status).toBe(200);
  expect(await rows('SELECT tenant, state FROM outbox')).toEqual([{ tenant: 'north', state: 'delivered' }]);
});
