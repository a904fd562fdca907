import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { createDubClient } from '../../src/dub/client.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createDispatcher } from '../../src/deliver/dispatcher.js';
import { executeCommand, type ExecuteDeps } from '../../src/deliver/execute.js';
import type { RefundRunner } from '../../src/deliver/refund.js';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { tempStore } from '../helpers/temp-store.js';

/**
 * Two dispatchers (two runners, each with its own connection) on one SQLite file, as two bridge
 * processes on one database would be, against the fake Dub: a refund of a sale is taken off once.
 */
const INVOICE = 'inv_race_1';
let dub: FakeDub;
let stores: Store[];
let cleanup: Array<() => void>;
let clock: number;

beforeEach(async () => {
  dub = await startFakeDub();
  const first = tempStore();
  const second = openSqliteStore({ path: first.path, migrationsFolder: migrationsFolder(), createDirectory: false });
  stores = [first.store, second.store];
  cleanup = [second.close, first.dispose];
  clock = Date.now();
});
afterEach(async () => {
  for (const close of cleanup) close();
  await dub.close();
});

/**
 * A dispatcher named `runnerId` on its own connection; the clock is shared and moved by the test.
 * One that `diesInPatch` is never heard of again once its first commission PATCH reached Dub.
 */
function runner(runnerId: string, store: Store, options: { diesInPatch?: boolean } = {}) {
  const real = createDubClient({ apiUrl: dub.url, apiKey: dub.apiKey, timeoutMs: 5_000 });
  const client: typeof real = options.diesInPatch
    ? { ...real, updateCommission: async (...args) => (await real.updateCommission(...args), new Promise<never>(() => undefined)) }
    : real;
  const deps: ExecuteDeps & RefundRunner = { client, store, now: () => clock, runnerId, refundLeaseMs: 60_000 };
  return createDispatcher({
    store,
    execute: (row) => executeCommand(row, deps),
    policy: { maxAttempts: 10, baseBackoffMs: 1_000, maxBackoffMs: 2_000 },
    concurrency: 2,
    ratePerMinute: 60_000,
    leaseMs: 30_000,
    logger: silentLogger,
    metrics: createMetrics(),
    now: () => clock,
    random: () => 0.5,
  });
}

async function record(store: Store, eventKey: string, kind: 'sale' | 'refund', idempotencyKey: string, command: object) {
  await store.recordEvent({
    inbox: { source: 'stripe', eventKey, eventType: 'test', account: null, receivedAt: clock, payload: '{}', state: 'mapped', reason: null },
    outbox: [
      {
        kind,
        idempotencyKey,
        customerKey: null,
        command: JSON.stringify(command),
        rank: 1,
        dueAt: clock,
        ...(kind === 'sale' ? { sale: { invoiceId: INVOICE, amount: 1000, currency: 'usd', refs: { charge: 'ch_race_1' } } } : {}),
      },
    ],
    links: [],
  });
}

async function deliveredSale(dispatcher: ReturnType<typeof runner>) {
  const body = {
    customerExternalId: 'cus_race',
    amount: 1000,
    currency: 'usd',
    paymentProcessor: 'stripe',
    eventName: 'Purchase',
    invoiceId: INVOICE,
    clickId: 'cl_race',
  };
  await record(stores[0]!, 'evt_sale', 'sale', `sale:stripe:${INVOICE}`, { kind: 'sale', body });
  await dispatcher.drain();
  return dub.commissionFor(INVOICE)!;
}

/** A Stripe-style cumulative refund: `total` refunded so far on the charge. */
const refund = (store: Store, total: number) =>
  record(store, `evt_refund_${total}`, 'refund', `refund:stripe:ch_race_1:${total}`, {
    kind: 'refund',
    body: { refs: { charge: 'ch_race_1' }, refundedTotal: total, fullyRefunded: false, currency: 'usd', refundId: 'ch_race_1' },
  });

const patches = () => dub.calls('PATCH', '/commissions/').map((p) => p.body);
const refundStates = async () =>
  (await stores[0]!.listOutbox({ states: ['pending', 'delivered', 'skipped', 'dead'] })).filter((r) => r.kind === 'refund').map((r) => r.state);

describe('refunds with two runners on one database', () => {
  test("a runner that finds another runner's refund in flight waits for it instead of sending its own delta", async () => {
    const a = runner('runner-a', stores[0]!);
    const b = runner('runner-b', stores[1]!);
    const commission = await deliveredSale(a);

    // Runner A sends the first refund (300 so far); Dub takes a while to answer it.
    dub.fail('commission', { delayMs: 800 });
    await refund(stores[0]!, 300);
    const first = a.drain();
    await expect.poll(() => patches().length).toBe(1);

    // Meanwhile the second refund (500 so far) reaches runner B, while A's PATCH is on the way.
    await refund(stores[1]!, 500);
    await b.drain();
    expect(patches()).toHaveLength(1);

    await first;
    for (let i = 0; i < 5 && (await refundStates()).includes('pending'); i++) {
      clock += 5_000;
      await b.drain();
    }
    // 500 refunded in all: 300, then the 200 that was new. Before, B forgot A's refund and sent 500 too.
    expect(patches()).toEqual([
      { modifySaleAmount: -300, currency: 'usd' },
      { modifySaleAmount: -200, currency: 'usd' },
    ]);
    expect(commission.amount).toBe(500);
    expect(await refundStates()).toEqual(['delivered', 'delivered']);
  });

  test('a runner that dies mid-PATCH: nobody touches its refund while its claim runs; then another runner finds the PATCH in Dub and sends only what is new', async () => {
    const a = runner('runner-a', stores[0]!, { diesInPatch: true });
    const b = runner('runner-b', stores[1]!);
    const commission = await deliveredSale(b);

    // A's PATCH for the first refund lands in Dub, and A is never heard of again.
    await refund(stores[0]!, 300);
    void a.drain();
    await expect.poll(() => commission.amount).toBe(700);

    // B gets the second refund while A's claim runs: it waits.
    await refund(stores[1]!, 500);
    await b.drain();
    expect(patches()).toHaveLength(1);

    // Past A's claim B retries A's refund, sees it landed, and then sends only the 200 that is new.
    for (let i = 0; i < 10 && (await refundStates()).includes('pending'); i++) {
      clock += 31_000;
      await b.drain();
    }
    expect(patches()).toEqual([
      { modifySaleAmount: -300, currency: 'usd' },
      { modifySaleAmount: -200, currency: 'usd' },
    ]);
    expect(commission.amount).toBe(500);
    expect(await refundStates()).toEqual(['delivered', 'delivered']);
  });

  test('"did the PATCH land" looks for the refund\'s own effect: another change to the commission is not mistaken for it', async () => {
    const a = runner('runner-a', stores[0]!);
    const commission = await deliveredSale(a);

    // The PATCH never reaches Dub (connection reset before it is applied)...
    dub.fail('commission', { reset: true });
    await refund(stores[0]!, 300);
    await a.drain();
    expect(commission.amount).toBe(1000);
    // ...and meanwhile Dub moves the commission on by itself (a payout batch picks it up).
    commission.status = 'processed';

    clock += 5_000;
    await a.drain();
    // Before, "something changed" counted as landed and the refund was lost.
    expect(commission).toMatchObject({ status: 'processed', amount: 700 });
    expect(patches()).toEqual([
      { modifySaleAmount: -300, currency: 'usd' },
      { modifySaleAmount: -300, currency: 'usd' },
    ]);
    expect(await refundStates()).toEqual(['delivered']);
  });
});
