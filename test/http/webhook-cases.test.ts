import { afterEach, beforeEach, describe, test } from 'vitest';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../helpers/signers.js';
import { expectCase, INBOX_ROWS_SQL, OUTBOX_ROWS_SQL, PENDING_ROWS_SQL, webhookCases, type Observed } from '../shared/webhook-cases.js';

/**
 * The shared webhook table on Node: the real bridge over HTTP with a SQLite file and the fake Dub.
 * test/workers/webhook-cases.test.ts runs the same table inside workerd with D1.
 */
let dub: FakeDub;
let bridge: TestBridge;

beforeEach(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url });
});
afterEach(async () => {
  await bridge.close();
  await dub.close();
});

describe('shared webhook cases (Node, SQLite)', () => {
  test.each(webhookCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const observed: Observed = { responses: [], inbox: [], outbox: [], dub: [] };
    for (const delivery of c.deliveries) {
      const webhook = await delivery.sign({ stripe: STRIPE_SECRET, shopify: SHOPIFY_SECRET });
      const response = await fetch(`${bridge.url}${webhook.path}`, { method: 'POST', headers: webhook.headers, body: webhook.body });
      observed.responses.push({ status: response.status, body: await response.json() });
      await eventually(() => bridge.query(PENDING_ROWS_SQL)[0].n === 0);
    }
    observed.inbox = bridge.query(INBOX_ROWS_SQL);
    observed.outbox = bridge.query(OUTBOX_ROWS_SQL);
    observed.dub = dub.requests.map(({ method, path, body }) => ({ method, path, body }));
    expectCase(c, observed);
  });
});
