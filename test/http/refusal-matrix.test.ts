import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBridge } from '../../src/compose.js';
import { parseConfig } from '../../src/config.js';
import type { Store } from '../../src/db/store.js';
import { createLogger } from '../../src/logger.js';
import { appleFixture } from '../fixtures/apple/index.js';
import { lemonSqueezyFixture } from '../fixtures/lemonsqueezy/index.js';
import { paddleFixture } from '../fixtures/paddle/index.js';
import { polarFixtureText } from '../fixtures/polar/index.js';
import { revenuecatFixtureText } from '../fixtures/revenuecat/index.js';
import { loadFixture } from '../fixtures/shopify/harness.js';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { SHOPIFY_SECRET, STRIPE_SECRET, shopifyHeaders, stripeSignature } from '../helpers/signers.js';
import { appleNotificationBody, appleTestPki } from '../helpers/signers/apple.js';
import { LEMONSQUEEZY_SECRET, lemonSqueezyHeaders } from '../helpers/signers/lemonsqueezy.js';
import { PADDLE_SECRET, paddleHeaders } from '../helpers/signers/paddle.js';
import { POLAR_SECRET, polarHeaders } from '../helpers/signers/polar.js';
import { REVENUECAT_AUTH, revenuecatHeaders } from '../helpers/signers/revenuecat.js';
import { tempStore } from '../helpers/temp-store.js';

/**
 * The HTTP refusal and ack matrix for every provider, through `app.request()` (no server, no Dub):
 * what each route answers when it is unconfigured, unsigned, forged, signed, duplicated, or asked
 * with the wrong method or path. Real servers stay for Node body reading, chunked 413s and crashes.
 */
const pki = appleTestPki();
interface Signed {
  body: string;
  headers: Record<string, string>;
}
interface Row {
  source: string;
  variable: string;
  /** A real-shaped event, signed the way the provider signs it. */
  signed: () => Promise<Signed> | Signed;
  /** The same body with the signature removed. */
  unsigned: (s: Signed) => Record<string, string>;
  /** The same body signed with a secret the bridge does not know. */
  forged: (s: Signed) => Promise<Record<string, string>> | Record<string, string>;
  /** The body changed after signing; null where nothing signs the body (RevenueCat's static Authorization). */
  tamper: ((body: string) => string) | null;
}

/** A field renamed after signing: the bytes no longer match their signature. */
const renameFirstKey = (body: string) => body.replace(/"(\w+)":/, '"$1_":');
/** One character of the JWS payload (the part between the dots) changed. */
const tamperJws = (body: string) => body.replace(/(\.[A-Za-z0-9_-]{20})([A-Za-z0-9_-])/, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));

const without = (headers: Record<string, string>, name: string) => Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== name));
const stripeBody = JSON.stringify(stripeFixture('checkout-session-completed-payment'));
const shopifyBody = JSON.stringify(loadFixture('orders-paid'));
const paddleBody = JSON.stringify(paddleFixture('transaction-completed'));
const lemonBody = JSON.stringify(lemonSqueezyFixture('order-created'));

const rows: Row[] = [
  {
    source: 'stripe',
    tamper: renameFirstKey,
    variable: 'STRIPE_WEBHOOK_SECRET',
    signed: async () => ({ body: stripeBody, headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(stripeBody) } }),
    unsigned: (s) => without(s.headers, 'stripe-signature'),
    forged: async (s) => ({ ...s.headers, 'stripe-signature': await stripeSignature(s.body, { secret: 'whsec_forged_secret_0000000000000' }) }),
  },
  {
    source: 'shopify',
    tamper: renameFirstKey,
    variable: 'SHOPIFY_API_SECRET',
    signed: () => ({ body: shopifyBody, headers: shopifyHeaders(shopifyBody, { topic: 'orders/paid' }) }),
    unsigned: (s) => without(s.headers, 'x-shopify-hmac-sha256'),
    forged: (s) => shopifyHeaders(s.body, { topic: 'orders/paid', secret: 'shpss_forged_secret_0000' }),
  },
  {
    source: 'paddle',
    tamper: renameFirstKey,
    variable: 'PADDLE_WEBHOOK_SECRET',
    signed: () => ({ body: paddleBody, headers: paddleHeaders(paddleBody) }),
    unsigned: (s) => without(s.headers, 'paddle-signature'),
    forged: (s) => paddleHeaders(s.body, { secret: 'pdl_ntfset_01forgedforgedforged00000_forgedforgedforgedforged00000000' }),
  },
  {
    source: 'polar',
    tamper: renameFirstKey,
    variable: 'POLAR_WEBHOOK_SECRET',
    signed: () => {
      const body = polarFixtureText('order-paid-purchase');
      return { body, headers: polarHeaders(body) };
    },
    unsigned: (s) => without(s.headers, 'webhook-signature'),
    forged: (s) => polarHeaders(s.body, { secret: 'whsec_ForgedForgedForgedForgedForgedForged0001', webhookId: s.headers['webhook-id'] }),
  },
  {
    source: 'lemonsqueezy',
    tamper: renameFirstKey,
    variable: 'LEMONSQUEEZY_WEBHOOK_SECRET',
    signed: () => ({ body: lemonBody, headers: lemonSqueezyHeaders(lemonBody, { eventName: 'order_created' }) }),
    unsigned: (s) => without(s.headers, 'x-signature'),
    forged: (s) => lemonSqueezyHeaders(s.body, { eventName: 'order_created', secret: 'forged_signing_secret_00' }),
  },
  {
    source: 'revenuecat',
    tamper: null,
    variable: 'REVENUECAT_WEBHOOK_AUTH',
    signed: () => ({ body: revenuecatFixtureText('initial-purchase'), headers: revenuecatHeaders() }),
    unsigned: () => revenuecatHeaders(null),
    forged: () => revenuecatHeaders('Bearer forged-authorization-value-0000'),
  },
  {
    source: 'apple',
    tamper: tamperJws,
    variable: 'APPLE_BUNDLE_ID',
    signed: () => ({ body: appleNotificationBody(appleFixture('subscribed-initial-buy')), headers: { 'content-type': 'application/json' } }),
    unsigned: (s) => s.headers,
    forged: (s) => s.headers,
  },
];

const env = {
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  SHOPIFY_API_SECRET: SHOPIFY_SECRET,
  PADDLE_WEBHOOK_SECRET: PADDLE_SECRET,
  POLAR_WEBHOOK_SECRET: POLAR_SECRET,
  LEMONSQUEEZY_WEBHOOK_SECRET: LEMONSQUEEZY_SECRET,
  REVENUECAT_WEBHOOK_AUTH: REVENUECAT_AUTH,
  APPLE_BUNDLE_ID: 'com.example',
  APPLE_APP_APPLE_ID: '1234567890',
  APPLE_ROOT_CERTS: pki.rootPath,
  DRY_RUN: '1',
  LOG_LEVEL: 'error',
};

let store: Store;
let dispose: () => void;
beforeAll(() => ({ store, dispose } = tempStore()));
afterAll(() => dispose());
const app = (vars: Record<string, string>) =>
  composeBridge({ config: parseConfig(vars), store, logger: createLogger('error', () => {}), startDelivery: () => {} }).app;
const post = (a: ReturnType<typeof app>, path: string, s: { body: string; headers: Record<string, string> }) =>
  a.request(path, { method: 'POST', headers: s.headers, body: s.body });
const errorCode = async (response: Response) => ((await response.json()) as { error?: { code?: string; message?: string } }).error;

describe.each(rows)('/webhooks/$source', (row) => {
  let configured: ReturnType<typeof app>;
  beforeAll(() => {
    configured = app(env);
  });
  const path = `/webhooks/${row.source}`;

  it('unconfigured: 503 naming its variable, nothing stored', async () => {
    const response = await post(app({ LOG_LEVEL: 'error' }), path, await row.signed());
    expect(response.status).toBe(503);
    expect((await errorCode(response))?.message).toContain(row.variable);
  });

  it('signed: 200 with the inbox id; the same delivery again is a duplicate of the same row; a trailing slash is the same route', async () => {
    const signed = await row.signed();
    const first = await post(configured, path, signed);
    expect(first.status).toBe(200);
    const ack = (await first.json()) as { received: boolean; duplicate: boolean; inboxId: number };
    expect(ack).toMatchObject({ received: true, duplicate: false });
    const again = await post(configured, `${path}/`, signed);
    expect(await again.json()).toEqual({ received: true, duplicate: true, inboxId: ack.inboxId });
    expect((await store.getInbox(ack.inboxId))?.source).toBe(row.source);
  });

  it('refusals store nothing: no signature (400), a foreign signature or a tampered body (401), an empty body (400)', async () => {
    const before = (await store.stats()).inboxCount;
    const signed = await row.signed();
    const missing = await post(configured, path, { body: signed.body, headers: row.unsigned(signed) });
    const forged = await post(configured, path, { body: signed.body, headers: await row.forged(signed) });
    const empty = await post(configured, path, { body: '', headers: signed.headers });
    expect(empty.status).toBe(400);
    if (row.tamper) {
      const tampered = await post(configured, path, { body: row.tamper(signed.body), headers: signed.headers });
      expect((await errorCode(tampered))?.code).toBe('invalid_signature');
    }
    if (row.source !== 'apple') {
      // The App Store signs inside the body: there is no header to drop or forge.
      expect([missing.status, forged.status]).toEqual([400, 401]);
      expect((await errorCode(forged))?.code).toBe('invalid_signature');
    }
    expect((await store.stats()).inboxCount).toBe(before);
  });

  it('GET is 405 (Allow: POST); an unknown tenant is 404 unknown_tenant; a path that is no tenant id is a plain 404', async () => {
    const get = await configured.request(path);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await errorCode(await post(configured, `${path}/nobody`, await row.signed())))?.code).toBe('unknown_tenant');
    const odd = await post(configured, `${path}/@${'a'.repeat(300)}`, await row.signed());
    expect(odd.status).toBe(404);
    const body = await odd.text();
    expect(body).toContain('not_found');
    expect(body.length).toBeLessThan(600);
  });
});

it("a client's X-Request-Id is never taken as the request id (ours is a fresh UUID)", async () => {
  const response = await app(env).request('/webhooks/stripe', { method: 'POST', headers: { 'x-request-id': 'chosen-by-the-client-0001' }, body: '' });
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(((await response.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
});
