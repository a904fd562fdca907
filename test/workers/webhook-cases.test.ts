import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { providerCases } from '../shared/provider-cases.js';
import { DECISION_SQL, expectCase, INBOX_ROWS_SQL, withDecision, OUTBOX_ROWS_SQL, webhookCases, type Observed } from '../shared/webhook-cases.js';
import { postWebhook, rows, startRemoteFakeDub, workerEnv, type RemoteFakeDub } from './harness.js';

/**
 * The shared webhook table inside workerd: the Worker entry's fetch with D1, delivery through
 * ctx.waitUntil, and a real fake Dub reached over HTTP. Same cases and checks as on Node.
 */
let dub: RemoteFakeDub;

beforeEach(async () => {
  dub = await startRemoteFakeDub();
});
afterEach(() => dub.close());

describe('shared webhook cases (workerd, D1)', () => {
  test.each([...webhookCases, ...providerCases].map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const target = workerEnv(dub);
    const observed: Observed = { responses: [], inbox: [], outbox: [], dub: [] };
    for (const delivery of c.deliveries) {
      const answered = await postWebhook(
        target,
        await delivery.sign({
          stripe: env.STRIPE_WEBHOOK_SECRET,
          shopify: env.SHOPIFY_API_SECRET,
          paddle: env.PADDLE_WEBHOOK_SECRET,
          polar: env.POLAR_WEBHOOK_SECRET,
          lemonsqueezy: env.LEMONSQUEEZY_WEBHOOK_SECRET,
          revenuecat: env.REVENUECAT_WEBHOOK_AUTH,
        }),
      );
      const inboxId = (answered.body as { inboxId?: number }).inboxId;
      const [decision] =
        inboxId === undefined ? [] : await rows<{ state: string; reason: string | null; queued: number }>(DECISION_SQL.replace('?', String(inboxId)));
      observed.responses.push({ status: answered.status, body: withDecision(answered.body, decision) });
    }
    observed.inbox = await rows(INBOX_ROWS_SQL);
    observed.outbox = await rows(OUTBOX_ROWS_SQL);
    observed.dub = await dub.requests();
    expectCase(c, observed);
  });
});

describe('the Worker as the runtime serves it (wrangler.toml bindings)', () => {
  test('answers /healthz from D1 with the migrations applied', async () => {
    const response = await exports.default.fetch('https://dub-bridge.example.workers.dev/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });
});
