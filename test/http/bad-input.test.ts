import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { startTestBridge, type TestBridge, mappedAck } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { shopifyHeaders, stripeSignature } from '../helpers/signers.js';

/**
 * Every refused request: a clear 4xx, nothing stored, no Dub call, and the process stays healthy.
 */
let dub: FakeDub;
let bridge: TestBridge;
const shopifyOrder = readFileSync(new URL('../fixtures/shopify/orders-paid.json', import.meta.url), 'utf8');

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, MAX_BODY_BYTES: String(64 * 1024) });
});
afterAll(async () => {
  // The process is still healthy after everything below.
  const health = await fetch(`${bridge.url}/healthz`);
  expect(health.status).toBe(200);
  await bridge.close();
  await dub.close();
});
const rowCounts = () => ({
  inbox: bridge.query('SELECT count(*) AS n FROM inbox')[0].n as number,
  outbox: bridge.query('SELECT count(*) AS n FROM outbox')[0].n as number,
});
let before = { inbox: 0, outbox: 0 };
beforeEach(() => {
  dub.requests.length = 0;
  before = rowCounts();
});

/** Nothing new in the inbox or outbox since the test started, and no Dub call. */
function expectNothingStored() {
  expect(rowCounts()).toEqual(before);
  expect(dub.requests).toHaveLength(0);
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body).toMatchObject({ error: { code, message: expect.any(String), requestId: expect.any(String) } });
  return body.error.message as string;
}

const sessionBody = () => JSON.stringify(stripeFixture('checkout-session-completed-payment'));

describe('Stripe', () => {
  test('missing Stripe-Signature header', async () => {
    const response = await fetch(`${bridge.url}/webhooks/stripe`, { method: 'POST', body: sessionBody() });
    expect(await expectError(response, 400, 'missing_signature')).toContain('Stripe-Signature');
    expectNothingStored();
  });

  test('a wrong signature', async () => {
    const body = sessionBody();
    const good = await stripeSignature(body);
    const tampered = good.replace(/v1=([0-9a-f])/, (_m, c) => `v1=${c === '0' ? '1' : '0'}`);
    await expectError(await bridge.postStripe(body, { signature: tampered }), 401, 'invalid_signature');
    expectNothingStored();
  });

  test('a signature made with another secret', async () => {
    await expectError(await bridge.postStripe(sessionBody(), { secret: 'whsec_someone_elses_secret' }), 401, 'invalid_signature');
    expectNothingStored();
  });

  test('a body changed after signing', async () => {
    const body = sessionBody();
    const signature = await stripeSignature(body);
    await expectError(await bridge.postStripe(body.replace('10800', '99999'), { signature }), 401, 'invalid_signature');
    expectNothingStored();
  });

  test('a timestamp older than 300 s', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const message = await expectError(await bridge.postStripe(sessionBody(), { timestamp: old }), 401, 'invalid_signature');
    expect(message).toContain('tolerance');
    expectNothingStored();
  });

  test('malformed JSON under a valid signature', async () => {
    await expectError(await bridge.postStripe('{"id": "evt_1", "type": '), 400, 'malformed_json');
    expectNothingStored();
  });

  test('a valid signature over a payload that fails the schema is kept as unmapped (200), never bounced', async () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.amount_total = 'a lot';
    const response = await bridge.postStripe(event);
    expect(response.status).toBe(200);
    const decided = await mappedAck(response);
    expect(decided).toMatchObject({ outcome: 'unmapped', queued: 0 });
    expect(decided.reason).toContain('amount_total');
    expect(bridge.query('SELECT count(*) AS n FROM outbox')[0].n).toBe(0);
    expect(dub.requests).toHaveLength(0);
  });

  test('an event without an evt_ id fails the envelope schema: stored as unmapped, nothing sent', async () => {
    const decided = await mappedAck(await bridge.postStripe({ id: 'nope', type: 'checkout.session.completed' }));
    expect(decided).toMatchObject({ outcome: 'unmapped', queued: 0 });
    expect(dub.requests).toHaveLength(0);
  });

  test('a signed body that is not a JSON object with id and type is refused before anything is stored', async () => {
    await expectError(await bridge.postStripe('[1,2,3]'), 400, 'invalid_payload');
    expectNothingStored();
  });

  test('an empty body', async () => {
    const response = await fetch(`${bridge.url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': await stripeSignature('') } });
    await expectError(response, 400, 'invalid_payload');
    expectNothingStored();
  });

  test('the second secret of a rotation list verifies', async () => {
    await bridge.close();
    bridge = await startTestBridge({
      DUB_API_KEY: dub.apiKey,
      DUB_API_URL: dub.url,
      MAX_BODY_BYTES: String(64 * 1024),
      STRIPE_WEBHOOK_SECRET: 'whsec_old_secret_0000000000000000000000, whsec_new_secret_1111111111111111111111',
    });
    const response = await bridge.postStripe(sessionBody(), { secret: 'whsec_new_secret_1111111111111111111111' });
    expect(response.status).toBe(200);
    await bridge.close();
    bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, MAX_BODY_BYTES: String(64 * 1024) });
  });
});

describe('Shopify', () => {
  test('missing HMAC header', async () => {
    const headers = shopifyHeaders(shopifyOrder, { topic: 'orders/paid' });
    delete headers['x-shopify-hmac-sha256'];
    const response = await fetch(`${bridge.url}/webhooks/shopify`, { method: 'POST', headers, body: shopifyOrder });
    await expectError(response, 400, 'missing_signature');
    expectNothingStored();
  });

  test('an HMAC made with another secret', async () => {
    await expectError(await bridge.postShopify(shopifyOrder, { topic: 'orders/paid', secret: 'shpss_other_app' }), 401, 'invalid_signature');
    expectNothingStored();
  });

  test('malformed JSON under a valid HMAC', async () => {
    await expectError(await bridge.postShopify('{"id": 1,', { topic: 'orders/paid' }), 400, 'malformed_json');
    expectNothingStored();
  });

  test('a valid HMAC over a payload that fails the schema is kept as unmapped (200), never bounced', async () => {
    const broken = shopifyOrder
      .replace('"current_subtotal_price_set"', '"current_subtotal_price_set_renamed"')
      .replace('"subtotal_price_set"', '"subtotal_price_set_renamed"');
    const response = await bridge.postShopify(broken, { topic: 'orders/paid' });
    expect(response.status).toBe(200);
    const decided = await mappedAck(response);
    expect(decided).toMatchObject({ outcome: 'unmapped', queued: 0 });
    expect(decided.reason).toContain('subtotal');
    expect(dub.requests).toHaveLength(0);
  });

  test('missing topic or shop headers', async () => {
    const headers = shopifyHeaders(shopifyOrder, { topic: 'orders/paid' });
    delete headers['x-shopify-topic'];
    await expectError(await fetch(`${bridge.url}/webhooks/shopify`, { method: 'POST', headers, body: shopifyOrder }), 400, 'missing_header');
    expectNothingStored();
  });

  test('an empty body', async () => {
    await expectError(await bridge.postShopify('', { topic: 'orders/paid' }), 400, 'invalid_payload');
    expectNothingStored();
  });

  test('an unknown topic is acknowledged and recorded as ignored, with no Dub call', async () => {
    const response = await bridge.postShopify(shopifyOrder, { topic: 'products/update', eventId: 'evt-unknown-topic' });
    expect(response.status).toBe(200);
    expect(await mappedAck(response)).toMatchObject({ outcome: 'ignored' });
    expect(bridge.query(`SELECT event_type, state FROM inbox WHERE event_type = 'products/update'`)).toEqual([
      { event_type: 'products/update', state: 'ignored' },
    ]);
    expect(dub.requests).toHaveLength(0);
  });
});

describe('size limit', () => {
  test('a body over MAX_BODY_BYTES is refused with 413 from its Content-Length, before it is read', async () => {
    const size = 10 * 1024 * 1024;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${bridge.url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(size), 'stripe-signature': 't=1,v1=00' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Send only the first 64 KiB + 1 of the announced 10 MiB: the answer must come anyway.
      req.write(Buffer.alloc(64 * 1024 + 1, 0x20));
    });
    expect(status).toBe(413);
    expectNothingStored();
  });

  test('a chunked body that grows past the limit is cut off with 413', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(100 * 1024) });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await fetch(`${bridge.url}/webhooks/shopify`, {
      method: 'POST',
      headers: shopifyHeaders(big, { topic: 'orders/paid' }),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(response, 413, 'payload_too_large');
    expectNothingStored();
  });
});

describe('unconfigured sources', () => {
  test('a provider without a secret answers 503 naming the variable to set', async () => {
    const other = await startTestBridge({ STRIPE_WEBHOOK_SECRET: '', SHOPIFY_API_SECRET: '' });
    try {
      const stripe = await fetch(`${other.url}/webhooks/stripe`, { method: 'POST', body: '{}' });
      expect(await expectError(stripe, 503, 'source_not_configured')).toContain('STRIPE_WEBHOOK_SECRET');
      const shopify = await fetch(`${other.url}/webhooks/shopify`, { method: 'POST', body: '{}' });
      expect(await expectError(shopify, 503, 'source_not_configured')).toContain('SHOPIFY_API_SECRET');
    } finally {
      await other.close();
    }
  });
});
