import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutEvent, invoiceEvent } from '../../test/integration/stripe-events.js';
import { tempStore } from '../../test/helpers/temp-store.js';
import { shopifyHeaders } from '../../test/helpers/signers.js';
import { loadFixture, SHOP } from '../../test/fixtures/shopify/harness.js';
import { parseConfig } from '../config.js';
import type { Store } from '../db/store.js';
import { ingestShopify, ingestStripe } from '../../test/helpers/ingest.js';
import { replay } from './replay.js';

let store: Store;
let dispose: () => void;
const now = () => 5_000_000;
beforeEach(() => ({ store, dispose } = tempStore()));
afterEach(() => dispose());

const config = (env: Record<string, string> = {}) => parseConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_test_replay_secret_0000000000000', ...env });
const ingest = (body: string, testEvents: 'forward' | 'skip' = 'forward', at = 1_000_000) =>
  ingestStripe(JSON.parse(body), body, { store, provisionalHoldMs: 0, now: () => at }, { tenant: null, testEvents });

/** Claims every due row and finishes it as `state` (what the dispatcher would have done). */
async function finishAll(state: 'dead' | 'delivered', at = 2_000_000) {
  for (const row of await store.claimDue(at, 100, 1000)) {
    const claim = { id: row.id, attempts: row.attempts, leaseUntil: row.leaseUntil };
    if (state === 'dead') await store.markDead(claim, '422 unprocessable_entity: no', at);
    else await store.markDelivered(claim, 'delivered', '{}', at);
  }
}

describe('replay: selecting rows', () => {
  it('by outbox id, by provider event id or inbox id, by time range, or all dead letters; pending rows are left alone', async () => {
    await ingest(checkoutEvent('sel', 1).body, 'forward', 1_000_000);
    await ingest(checkoutEvent('sel', 2).body, 'forward', 1_500_000);
    await finishAll('dead');
    await ingest(checkoutEvent('sel', 3).body, 'forward', 3_000_000); // still pending
    const deps = { store, config: config(), now };

    expect(await replay({ by: 'ids', ids: [1, 3, 99] }, {}, deps)).toEqual({
      matched: 1,
      requeued: 1,
      remapped: 0,
      added: 0,
      unchanged: 0,
      problems: ['outbox 3 is pending, not replayed', 'outbox 99 not found'],
    });
    expect(await store.getOutbox(1)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: now() });

    await finishAll('dead', 6_000_000);
    expect(await replay({ by: 'event', event: 'evt_sel_co_2' }, {}, deps)).toMatchObject({ matched: 1, requeued: 1 });
    expect(await replay({ by: 'event', event: 'evt_nope' }, {}, deps)).toMatchObject({ matched: 0, problems: ['event evt_nope not found'] });
    await finishAll('dead', 7_000_000);
    expect(await replay({ by: 'event', event: '2' }, {}, deps)).toMatchObject({ matched: 1, requeued: 1 });
    await finishAll('dead', 8_000_000);
    // Rows created in [1_000_000, 1_500_000): only the first.
    expect(await replay({ by: 'range', from: 1_000_000, to: 1_500_000 }, {}, deps)).toMatchObject({ matched: 1, requeued: 1 });
    await finishAll('delivered', 9_000_000);
    // Row 1 is delivered now, rows 2 and 3 dead: `allDead` takes only the dead ones.
    expect(await replay({ by: 'allDead' }, {}, deps)).toMatchObject({ matched: 2, requeued: 2 });
    expect((await store.listOutbox({ states: ['pending'] })).map((row) => row.id)).toEqual([2, 3]);
  });

  it('finds a Shopify event by the delivery id the operator sees in Shopify', async () => {
    const body = JSON.stringify(loadFixture('orders-paid'));
    const headers = shopifyHeaders(body, { topic: 'orders/paid', shop: SHOP, eventId: 'shopify-event-77' });
    await ingestShopify(headers, JSON.parse(body), body, { store, provisionalHoldMs: 0, now: () => 1 }, { tenant: null, testEvents: 'forward' });
    await finishAll('dead');
    expect(await replay({ by: 'event', event: 'shopify-event-77' }, { remap: true }, { store, config: config(), now })).toMatchObject({
      matched: 1,
      requeued: 1,
      remapped: 1,
    });
  });
});

describe("replay with remap: today's mappers on the stored raw event", () => {
  it('uses a customer link learned after the event (the Stripe link lookup ingest does)', async () => {
    const renewal = JSON.parse(invoiceEvent('link', 1).body);
    renewal.data.object.customer = 'cus_link_1';
    renewal.data.object.metadata = {};
    await ingest(JSON.stringify(renewal));
    await finishAll('dead');
    expect(JSON.parse((await store.getOutbox(1))!.command).body.customerExternalId).toBe('cus_link_1');

    // Later, a checkout tells the bridge that cus_link_1 is the merchant's user_42.
    const checkout = JSON.parse(checkoutEvent('link', 2).body);
    checkout.data.object.customer = 'cus_link_1';
    checkout.data.object.metadata = { dubCustomerExternalId: 'user_42' };
    await ingest(JSON.stringify(checkout));

    const report = await replay({ by: 'allDead' }, { remap: true }, { store, config: config(), now });
    expect(report).toMatchObject({ matched: 1, requeued: 1, remapped: 1, added: 0, unchanged: 0 });
    const row = (await store.getOutbox(1))!;
    expect(row).toMatchObject({ state: 'pending', idempotencyKey: `sale:stripe:${renewal.data.object.id}` });
    expect(JSON.parse(row.command).body.customerExternalId).toBe('user_42');
  });

  it('adds the commands of an event an earlier setting ignored, once', async () => {
    const event = JSON.parse(checkoutEvent('skip', 1).body);
    event.livemode = false;
    const { inboxId } = (await ingest(JSON.stringify(event), 'skip')) as { inboxId: number };
    expect((await store.getInbox(inboxId))!.state).toBe('ignored');

    const deps = { store, config: config({ TEST_EVENTS: 'forward' }), now };
    expect(await replay({ by: 'event', event: event.id }, { remap: true }, deps)).toMatchObject({ matched: 0, added: 1 });
    expect(await replay({ by: 'event', event: event.id }, { remap: true }, deps)).toMatchObject({ matched: 0, added: 0 });
    expect(await store.listOutboxForInbox(inboxId)).toHaveLength(1);
    expect((await store.getInbox(inboxId))!.state).toBe('mapped');
  });

  it('leaves a row alone when the raw payload is gone, and says how to send it as stored', async () => {
    await ingest(checkoutEvent('gone', 1).body);
    await finishAll('dead');
    await store.prunePayloads(Number.MAX_SAFE_INTEGER);
    const report = await replay({ by: 'allDead' }, { remap: true }, { store, config: config(), now });
    expect(report).toMatchObject({ matched: 1, requeued: 0, unchanged: 1 });
    expect(report.problems[0]).toContain('raw payload is gone');
    expect((await store.getOutbox(1))!.state).toBe('dead');
  });
});
