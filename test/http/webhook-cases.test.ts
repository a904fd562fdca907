import { describe, test } from 'vitest';
import { eventually } from '../helpers/bridge.js';
import { bridgeWithFakeDub } from '../helpers/bridge-with-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../helpers/signers.js';
import { LEMONSQUEEZY_SECRET } from '../helpers/signers/lemonsqueezy.js';
import { PADDLE_SECRET } from '../helpers/signers/paddle.js';
import { POLAR_SECRET } from '../helpers/signers/polar.js';
import { REVENUECAT_AUTH } from '../helpers/signers/revenuecat.js';
import { providerCases } from '../shared/provider-cases.js';
import {
  DECISION_SQL,
  expectCase,
  INBOX_ROWS_SQL,
  withDecision,
  OUTBOX_ROWS_SQL,
  PENDING_ROWS_SQL,
  webhookCases,
  type Observed,
} from '../shared/webhook-cases.js';

/**
 * The shared webhook table on Node: the real bridge over HTTP with a SQLite file and the fake Dub.
 * test/workers/webhook-cases.test.ts runs the same table inside workerd with D1.
 */
const secrets = {
  stripe: STRIPE_SECRET,
  shopify: SHOPIFY_SECRET,
  paddle: PADDLE_SECRET,
  polar: POLAR_SECRET,
  lemonsqueezy: LEMONSQUEEZY_SECRET,
  revenuecat: REVENUECAT_AUTH,
};
const ctx = bridgeWithFakeDub({
  PADDLE_WEBHOOK_SECRET: PADDLE_SECRET,
  POLAR_WEBHOOK_SECRET: POLAR_SECRET,
  LEMONSQUEEZY_WEBHOOK_SECRET: LEMONSQUEEZY_SECRET,
  REVENUECAT_WEBHOOK_AUTH: REVENUECAT_AUTH,
});

describe('shared webhook cases (Node, SQLite)', () => {
  test.each([...webhookCases, ...providerCases].map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const observed: Observed = { responses: [], inbox: [], outbox: [], dub: [] };
    for (const delivery of c.deliveries) {
      const webhook = await delivery.sign(secrets);
      const response = await fetch(`${ctx.bridge.url}${webhook.path}`, { method: 'POST', headers: webhook.headers, body: webhook.body });
      const body = await response.json();
      await eventually(
        () => ctx.bridge.query(PENDING_ROWS_SQL)[0].n === 0 && ctx.bridge.query("SELECT count(*) AS n FROM inbox WHERE state = 'received'")[0].n === 0,
      );
      observed.responses.push({ status: response.status, body: withDecision(body, ctx.bridge.query(DECISION_SQL, body.inboxId)[0]) });
    }
    observed.inbox = ctx.bridge.query(INBOX_ROWS_SQL);
    observed.outbox = ctx.bridge.query(OUTBOX_ROWS_SQL);
    observed.dub = ctx.dub.requests.map(({ method, path, body }) => ({ method, path, body }));
    expectCase(c, observed);
  });
});
