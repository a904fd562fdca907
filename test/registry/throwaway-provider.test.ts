import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { composeBridge } from '../../src/compose.js';
import { parseConfig } from '../../src/config.js';
import type { Store } from '../../src/db/store.js';
import { providers as registry } from '../../src/handlers/index.js';
import { hexToBytes, importHmacKey, parseJson, utf8, verifyHmac } from '../../src/handlers/crypto.js';
import { defineProvider, refused } from '../../src/handlers/provider.js';
import { createLogger } from '../../src/logger.js';
import { bridgeMetadata, commands, ignored } from '../../src/mappers/types.js';
import { replay } from '../../src/ops/replay.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { tempStore } from '../helpers/temp-store.js';

/**
 * A provider that exists only in this test: hex HMAC of the body in `X-Acme-Signature`, events
 * `{id, type, order: {id, cents, currency, customer}}`. Adding it touches no file of the bridge:
 * it is passed next to the registry, and the generic route, ingest, delivery and remap serve it.
 */
const orderSchema = z.object({ id: z.string(), cents: z.number().int(), currency: z.string(), customer: z.string() });
const acme = defineProvider<{ type: string; order?: z.infer<typeof orderSchema> }>({
  source: 'acme',
  label: 'Acme Pay',
  secretVariable: 'ACME_WEBHOOK_SECRET',
  secretHint: 'the signing secret',
  secret: z.string().min(8),
  createVerifier(secrets) {
    const keys = Promise.all(secrets.map(async (secret) => ({ secret, key: await importHmacKey(utf8(secret)) })));
    return async (request) => {
      const mac = hexToBytes(request.header('x-acme-signature') ?? '');
      if (!mac) return refused('missing_signature', 'missing X-Acme-Signature');
      for (const { secret, key } of await keys) {
        if (await verifyHmac(key, mac, request.body)) {
          const json = parseJson(request.text);
          return json.ok ? { ok: true, value: { json: json.value, secret } } : refused('malformed_json', 'not JSON');
        }
      }
      return refused('invalid_signature', 'X-Acme-Signature did not verify');
    };
  },
  identify: ({ json }) => {
    const { id, type } = json as { id: string; type: string };
    return { ok: true, value: { eventKey: id, eventType: type, account: null } };
  },
  parse(json) {
    const parsed = z.object({ type: z.string(), order: orderSchema.optional() }).safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues[0]!.message };
  },
  map(event) {
    if (event.type !== 'order.paid' || !event.order) return ignored(`unhandled event type ${event.type}`);
    const { order } = event;
    return commands([
      {
        kind: 'sale',
        body: {
          customerExternalId: order.customer,
          amount: order.cents,
          currency: order.currency,
          paymentProcessor: 'custom',
          eventName: 'Purchase',
          invoiceId: `acme_${order.id}`,
          metadata: bridgeMetadata({ acmeOrderId: order.id }),
        },
      },
    ]);
  },
  handledEventTypes: ['order.paid'],
});

const SECRET = 'acme_test_secret_0001';
const providers = [...registry, acme];
let dub: FakeDub;
let store: Store;
let dispose: () => void;

beforeEach(async () => {
  dub = await startFakeDub();
  ({ store, dispose } = tempStore());
});
afterEach(async () => {
  dispose();
  await dub.close();
});

function bridge() {
  const config = parseConfig({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, ACME_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'error' }, undefined, providers);
  return { config, ...composeBridge({ config, store, providers, logger: createLogger('error', () => {}), startDelivery: () => {} }) };
}

function post(app: ReturnType<typeof bridge>['app'], event: object, secret = SECRET) {
  const body = JSON.stringify(event);
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return app.request('/webhooks/acme', { method: 'POST', headers: { 'content-type': 'application/json', 'x-acme-signature': signature }, body });
}

const paid = { id: 'evt_acme_1', type: 'order.paid', order: { id: 'ord_9', cents: 4200, currency: 'eur', customer: 'user_7' } };

describe('a provider added to the registry without editing any other file', () => {
  it('is verified, recorded, mapped, delivered to Dub once, and refused with a wrong signature', async () => {
    const { app, dispatcher } = bridge();
    expect((await post(app, paid, 'wrong_secret_0000')).status).toBe(401);
    const first = await post(app, paid);
    const again = await post(app, paid);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, duplicate: false });
    expect(await again.json()).toMatchObject({ received: true, duplicate: true });
    await dispatcher.drain();
    const [event] = await store.listOutbox({ states: ['delivered', 'not_attributed'] });
    expect((await store.getInbox(event!.inboxId))?.state).toBe('mapped');
    const sales = dub.calls('POST', '/track/sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]!.body).toMatchObject({ invoiceId: 'acme_ord_9', amount: 4200, currency: 'eur', paymentProcessor: 'custom', customerExternalId: 'user_7' });
  });

  it('answers 503 naming its variable when unconfigured, and 405 for GET', async () => {
    const config = parseConfig({ LOG_LEVEL: 'error' }, undefined, providers);
    const { app } = composeBridge({ config, store, providers, logger: createLogger('error', () => {}), startDelivery: () => {} });
    const response = await post(app, paid);
    expect(response.status).toBe(503);
    expect(JSON.stringify(await response.json())).toContain('ACME_WEBHOOK_SECRET');
    expect((await app.request('/webhooks/acme')).status).toBe(405);
  });

  it('is remapped from its stored payload on replay --remap', async () => {
    const { app, dispatcher, config } = bridge();
    dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: 'no' } } });
    await post(app, paid);
    await dispatcher.drain();
    expect((await store.listOutbox({ states: ['dead'] })).length).toBe(1);
    const report = await replay({ by: 'event', event: 'evt_acme_1' }, { remap: true }, { store, config, now: Date.now, providers });
    expect(report).toMatchObject({ matched: 1, requeued: 1, remapped: 1 });
    await dispatcher.drain();
    expect(dub.calls('POST', '/track/sale').map((r) => r.status)).toEqual([422, 200]);
  });
});
