import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { loadFixture } from '../fixtures/shopify/harness.js';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET, stripeSignature } from '../helpers/signers.js';

/**
 * One run with successes, a duplicate, refusals of every kind, a retry and a dead letter; then
 * `/metrics` must count exactly that, and the logs must hold a request id per webhook and no
 * secret or email.
 */
let dub: FakeDub;
let bridge: TestBridge;
const answers: Response[] = [];
const MAX_BODY_BYTES = 64 * 1024;
const EMAILS = ['ada@example.com', 'jane.doe@example.com', 'emmy@example.de'];

async function postSigned(body: string) {
  const response = await fetch(`${bridge.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(body) },
    body,
  });
  answers.push(response);
  return response;
}

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  const record = async (response: Promise<Response>) => answers.push(await response);

  // A sale that Dub first answers 503 (one retry), then the same event redelivered.
  dub.fail('sale', { status: 503 });
  const sale = stripeFixture('checkout-session-completed-payment');
  await record(bridge.postStripe(sale));
  await eventually(() => dub.calls('POST', '/track/sale').length === 2);
  await record(bridge.postStripe(sale));

  // A lead Dub refuses for good, echoing the key and the email, as some APIs do: a dead letter.
  dub.fail('lead', { status: 422, body: { error: { code: 'unprocessable_entity', message: `ada@example.com refused for ${dub.apiKey} / ${STRIPE_SECRET}` } } });
  const unpaid = stripeFixture('checkout-session-async-payment-succeeded');
  await record(
    bridge.postStripe({
      ...unpaid,
      id: 'evt_unpaid_lead_1',
      type: 'checkout.session.completed',
      data: { object: { ...unpaid.data.object, payment_status: 'unpaid' } },
    }),
  );

  // Refusals: bad signature, too large, not a Stripe event, bad Shopify HMAC.
  await record(bridge.postStripe(sale, { secret: 'whsec_someone_else_entirely_0001' }));
  await postSigned(JSON.stringify({ ...sale, padding: 'x'.repeat(MAX_BODY_BYTES) }));
  await postSigned(JSON.stringify({ id: 'evt_not_an_event', object: 'event', customer_email: 'ada@example.com' }));
  await record(bridge.postShopify(loadFixture('orders-paid'), { topic: 'orders/paid', hmac: 'AAAA' + 'A'.repeat(40) }));

  // Shopify: one sale, one topic the bridge does not map.
  await record(bridge.postShopify(loadFixture('orders-paid'), { topic: 'orders/paid' }));
  await record(bridge.postShopify(loadFixture('orders-paid'), { topic: 'orders/create' }));

  // Record first: events are mapped (and counted as ignored) right after their ack.
  await eventually(() => bridge.query(`SELECT count(*) AS n FROM inbox WHERE state = 'received'`)[0].n === 0);
  await eventually(() => bridge.query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)[0].n === 0);
});

afterAll(async () => {
  await bridge.close();
  await dub.close();
});

type Family = { name: string; help: string; type: string; metrics: Array<{ value?: string; labels?: Record<string, string> }> };

async function scrape(): Promise<Map<string, Family>> {
  const response = await fetch(`${bridge.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await response.text()) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of one series, found by its exact label set. */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const series = families.get(name)?.metrics.find((m) => JSON.stringify(m.labels ?? {}) === JSON.stringify(labels));
  return series?.value === undefined ? undefined : Number(series.value);
}

describe('/metrics', () => {
  test('answers in the order the run happened', () => {
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 413, 400, 401, 200, 200]);
  });

  test('counts webhooks by source and type, refusals by reason', async () => {
    const m = await scrape();
    expect(m.get('dub_bridge_webhooks_received_total')?.type).toBe('COUNTER');
    expect(value(m, 'dub_bridge_webhooks_received_total', { source: 'stripe', type: 'checkout.session.completed' })).toBe(3);
    expect(value(m, 'dub_bridge_webhooks_received_total', { source: 'shopify', type: 'orders/paid' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_received_total', { source: 'shopify', type: 'orders/create' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_duplicate_total', { source: 'stripe', type: 'checkout.session.completed' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_ignored_total', { source: 'shopify', type: 'orders/create' })).toBe(1);
    expect(m.get('dub_bridge_webhooks_rejected_total')?.metrics).toHaveLength(4);
    expect(value(m, 'dub_bridge_webhooks_rejected_total', { source: 'stripe', reason: 'invalid_signature' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_rejected_total', { source: 'stripe', reason: 'payload_too_large' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_rejected_total', { source: 'stripe', reason: 'invalid_payload' })).toBe(1);
    expect(value(m, 'dub_bridge_webhooks_rejected_total', { source: 'shopify', reason: 'invalid_signature' })).toBe(1);
  });

  test('counts deliveries, retries and dead letters by source and command kind', async () => {
    const m = await scrape();
    expect(value(m, 'dub_bridge_deliveries_total', { source: 'stripe', kind: 'sale', state: 'delivered' })).toBe(1);
    expect(value(m, 'dub_bridge_deliveries_total', { source: 'shopify', kind: 'sale', state: 'delivered' })).toBe(1);
    expect(value(m, 'dub_bridge_delivery_retries_total', { source: 'stripe', kind: 'sale' })).toBe(1);
    expect(value(m, 'dub_bridge_dead_letters_total', { source: 'stripe', kind: 'lead' })).toBe(1);
    expect(m.get('dub_bridge_dead_letters_total')?.metrics).toHaveLength(1);
  });

  test('reports outbox depth, oldest pending age, pause state and an ack latency histogram', async () => {
    const m = await scrape();
    expect(m.get('dub_bridge_outbox_rows')?.type).toBe('GAUGE');
    expect(value(m, 'dub_bridge_outbox_rows', { state: 'pending' })).toBe(0);
    expect(value(m, 'dub_bridge_outbox_rows', { state: 'delivered' })).toBe(2);
    expect(value(m, 'dub_bridge_outbox_rows', { state: 'dead' })).toBe(1);
    expect(value(m, 'dub_bridge_oldest_pending_age_seconds')).toBe(0);
    expect(value(m, 'dub_bridge_delivery_paused')).toBe(0);

    expect(m.get('dub_bridge_ack_latency_seconds')?.type).toBe('HISTOGRAM');
    // The parser flattens labelled histograms (prom2json's shape), so the per-source series are
    // read from the text. Only acknowledged webhooks are timed: 3 Stripe (one duplicate), 2 Shopify.
    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    const samples = (prefix: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(prefix))
        .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    for (const [source, count] of [
      ['stripe', 3],
      ['shopify', 2],
    ] as const) {
      expect(samples(`dub_bridge_ack_latency_seconds_count{source="${source}"}`)).toEqual([count]);
      const buckets = samples(`dub_bridge_ack_latency_seconds_bucket{source="${source}",`);
      expect(buckets.length).toBeGreaterThan(1);
      expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
      expect(buckets.at(-1)).toBe(count);
      expect(samples(`dub_bridge_ack_latency_seconds_bucket{source="${source}",le="+Inf"}`)).toEqual([count]);
    }
  });
});

describe('logs', () => {
  const lines = () => bridge.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

  test('no secret, API key or raw email appears anywhere', () => {
    const text = bridge.logs.join('\n');
    expect(text).toContain('refused for'); // the dead letter's error was logged, masked
    for (const secret of [STRIPE_SECRET, SHOPIFY_SECRET, dub.apiKey, ...EMAILS]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[A-Za-z0-9._%+-]*[A-Za-z0-9._%+-]{2}@[a-z0-9.-]+\.[a-z]{2,}/i);
  });

  test('one info line per accepted webhook and one warning per refusal, each with the request id the provider saw', () => {
    const recorded = lines().filter((l) => l.msg === 'webhook recorded');
    const refused = lines().filter((l) => l.level === 'warn' && l.requestId && l.code);
    const ids = (status: (s: number) => boolean) => answers.filter((r) => status(r.status)).map((r) => r.headers.get('x-request-id'));
    expect(recorded.every((l) => l.level === 'info')).toBe(true);
    expect(recorded.map((l) => l.requestId).sort()).toEqual(ids((s) => s === 200).sort());
    expect(refused.map((l) => l.requestId).sort()).toEqual(ids((s) => s >= 400).sort());
    expect(recorded.find((l) => l.source === 'shopify' && l.type === 'orders/create')).toMatchObject({
      duplicate: false,
      shop: 'dub-bridge-test.myshopify.com',
    });
  });
});
