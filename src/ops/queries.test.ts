import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_REASON, DONE, SHOPIFY_ORDER_ID, seededStore, T0 } from '../../test/browser/seed-store.js';
import { opsQueries, type OpsQueries } from './queries.js';

let queries: OpsQueries;
let inbox: Awaited<ReturnType<typeof seededStore>>['inbox'];
let dispose: () => void;
beforeEach(async () => {
  const seeded = await seededStore();
  ({ inbox, dispose } = seeded);
  queries = opsQueries(seeded.db);
});
afterEach(() => dispose());

const found = async (term: string, extra: object = {}) => (await queries.listEvents({ term, limit: 10, ...extra })).map((e) => e.id);

describe('search: one box for the ids an operator has at hand', () => {
  it('finds a sale by its invoice id, payment intent or provider event id', async () => {
    expect(await found('pi_3QyPkQ2eZvKYlo2C')).toEqual([inbox.stripe]);
    expect(await found('evt_1QyPkS2eZvKYlo2C')).toEqual([inbox.stripe]);
    expect(await found(`gid://shopify/Order/${SHOPIFY_ORDER_ID}`)).toEqual([inbox.shopify]);
  });

  it('finds a Shopify order by the numeric order id its payload carries (exact beyond 2^53) and by its delivery id', async () => {
    expect(await found(SHOPIFY_ORDER_ID)).toEqual([inbox.shopify]);
    expect(await found('#1002')).toEqual([inbox.shopify2]);
    expect(await found('b1a2c3d4')).toEqual([inbox.shopify]);
  });

  it('finds by provider customer id (through the customer link), Dub external id, click id, and email in any case', async () => {
    expect(await found('cus_RqB3cD4eF5gH6i')).toEqual([inbox.stripe]);
    expect(await found('user_4242')).toEqual([inbox.stripe]);
    expect(await found('Jk8sP2qLmN4vXy7Z')).toEqual([inbox.stripe]);
    expect(await found('ADA@example.com')).toEqual([inbox.stripe]);
  });

  it('finds an ignored event (no command) through its stored payload', async () => {
    expect(await found('cs_test_unpaid')).toEqual([inbox.ignored]);
  });

  it('matches whole values only, and narrows by state and received date', async () => {
    expect(await found('pi_3QyPkQ')).toEqual([]);
    expect(await found('', { state: 'dead' })).toEqual([inbox.shopify2, inbox.shopify]);
    expect(await found('', { state: 'ignored' })).toEqual([inbox.ignored]);
    expect(await found('', { from: T0 + 60_000, to: T0 + 120_000 })).toEqual([inbox.shopify]);
  });
});

describe('trace, dead letters and counts', () => {
  it('traces an event with every command made of it', async () => {
    const trace = await queries.eventTrace(inbox.stripe);
    expect(trace?.event).toMatchObject({ eventKey: 'evt_1QyPkS2eZvKYlo2C', state: 'mapped', receivedAt: T0 });
    expect(trace?.commands).toEqual([expect.objectContaining({ kind: 'sale', state: 'delivered', attempts: 1, deliveredAt: DONE })]);
    expect(await queries.eventTrace(9999)).toBeUndefined();
  });

  it('groups dead letters by reason and lists a group', async () => {
    expect(await queries.deadLetterReasons()).toEqual([{ reason: DEAD_REASON, count: 2, kinds: 'sale', newestAt: DONE }]);
    const letters = await queries.listCommands({ deadReason: DEAD_REASON, limit: 10 });
    expect(letters.map((l) => [l.inboxId, l.eventType])).toEqual([
      [inbox.shopify2, 'orders/paid'],
      [inbox.shopify, 'orders/paid'],
    ]);
    expect(await queries.listCommands({ deadReason: null, limit: 10 })).toEqual([]);
  });

  it('counts per provider, tenant and state, and buckets the last 24 hours by hour', async () => {
    expect(await queries.commandCounts()).toEqual([
      { source: 'shopify', tenant: null, state: 'dead', count: 2, oldestCreatedAt: T0 + 60_000 },
      { source: 'stripe', tenant: null, state: 'delivered', count: 1, oldestCreatedAt: T0 },
    ]);
    const hour = Math.floor(DONE / 3_600_000) * 3_600_000;
    expect(await queries.hourlyDeliveries(DONE + 60_000)).toEqual([
      { source: 'shopify', tenant: null, hour, delivered: 0, failed: 2 },
      { source: 'stripe', tenant: null, hour, delivered: 1, failed: 0 },
    ]);
    expect(await queries.hourlyDeliveries(DONE + 25 * 3_600_000)).toEqual([]);
  });

  it('reads no pause while no pending row carries a refused key', async () => {
    expect(await queries.deliveryPause()).toEqual({ paused: false, reason: null, tenant: null });
  });
});
