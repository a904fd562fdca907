import { describe, expect, it } from 'vitest';
import { command, finish, inboxRecord, record, rowsOf, saleCommand, T0, type ContractContext } from './fixtures.js';

const keys = (rows: Array<{ idempotencyKey: string }>) => rows.map((row) => row.idempotencyKey);

/** The operator side: selecting rows, requeueing them, dead letters and finding an event. */
export function adminContract(ctx: ContractContext): void {
  /** Three events created at T0, T0+10 and T0+20 whose rows end dead, delivered and dead. */
  async function threeEvents() {
    const { store } = ctx;
    const a = await record(store, 'evt_a', [command('a:1', { dueAt: T0 }), command('a:2', { dueAt: T0 })]);
    const b = await record(store, 'evt_b', [command('b:1', { dueAt: T0 + 10 })]);
    const c = await record(store, 'evt_c', [command('c:1', { dueAt: T0 + 20 })]);
    await finish(store, { 'a:1': 'dead', 'a:2': 'delivered', 'b:1': 'dead', 'c:1': 'pending' }, T0 + 20);
    return { a, b, c };
  }

  describe('listOutbox', () => {
    it('selects dead letters by default, or the given states, by ids, events and creation time', async () => {
      const { store } = ctx;
      const { a, b } = await threeEvents();
      const rows = { ...(await rowsOf(store, a)), ...(await rowsOf(store, b)) };
      expect(keys(await store.listOutbox({}))).toEqual(['a:1', 'b:1']);
      expect(keys(await store.listOutbox({ states: ['delivered', 'pending'] }))).toEqual(['a:2', 'c:1']);
      expect(keys(await store.listOutbox({ ids: [rows['a:2']!.id, rows['b:1']!.id] }))).toEqual(['b:1']);
      expect(await store.listOutbox({ ids: [] })).toEqual([]);
      expect(keys(await store.listOutbox({ inboxIds: [a], states: ['dead', 'delivered'] }))).toEqual(['a:1', 'a:2']);
      expect(await store.listOutbox({ inboxIds: [] })).toEqual([]);
      // `to` is exclusive.
      expect(keys(await store.listOutbox({ from: T0 + 10, to: T0 + 20, states: ['dead', 'delivered', 'pending'] }))).toEqual(['b:1']);
      expect(keys(await store.listOutbox({ from: T0 + 1 }))).toEqual(['b:1']);
      expect(keys(await store.listOutbox({ to: T0 + 10 }))).toEqual(['a:1']);
    });

    it('selects by a long list of ids (a replay of every dead letter in a range)', async () => {
      const { store } = ctx;
      const inboxId = await record(
        store,
        'evt_many',
        Array.from({ length: 150 }, (_, i) => command(`many:${i}`)),
      );
      const states = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`many:${i}`, 'dead' as const]));
      await finish(store, states, T0);
      const ids = (await store.listOutboxForInbox(inboxId)).map((row) => row.id);
      expect(await store.listOutbox({ ids })).toHaveLength(150);
      expect(await store.requeue({ ids }, T0 + 1)).toBe(150);
      expect((await store.stats()).counts).toMatchObject({ pending: 150, dead: 0 });
    });
  });

  describe('requeue', () => {
    it('makes matching dead letters pending again, due now, with a fresh attempt count', async () => {
      const { store } = ctx;
      const { a } = await threeEvents();
      const before = await rowsOf(store, a);
      expect(await store.requeue({ inboxIds: [a] }, T0 + 500)).toBe(1);
      expect(await store.getOutbox(before['a:1']!.id)).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 500,
        leaseUntil: null,
        deliveredAt: null,
      });
      // Delivered rows only when asked for; the last error stays for the operator.
      expect(await store.getOutbox(before['a:2']!.id)).toMatchObject({ state: 'delivered' });
      expect(await store.requeue({ ids: [before['a:2']!.id], states: ['delivered'] }, T0 + 600)).toBe(1);
      expect(await store.getOutbox(before['a:2']!.id)).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 600 });
      expect(keys(await store.claimDue(T0 + 600, 10, 1_000)).sort()).toEqual(['a:1', 'a:2', 'c:1']);
      expect(await store.requeue({}, T0 + 700)).toBe(1); // b:1
      expect(await store.requeue({}, T0 + 800)).toBe(0);
    });
  });

  describe('listDeadLetters', () => {
    it('lists the newest dead letters with their event and last error, up to the limit', async () => {
      const { store } = ctx;
      const a = await record(store, 'evt_a', [command('a:1')]);
      await record(store, 'evt_b', [command('b:1', { kind: 'lead' })], { eventType: 'customer.created', source: 'paddle' });
      const claimed = (await store.claimDue(T0, 10, 1_000)).sort((x, y) => x.id - y.id);
      await store.markDead({ id: claimed[0]!.id, attempts: 1, leaseUntil: T0 + 1_000 }, 'HTTP 400 a', T0 + 2);
      await store.markDead({ id: claimed[1]!.id, attempts: 1, leaseUntil: T0 + 1_000 }, 'HTTP 400 b', T0 + 3);
      const letters = await store.listDeadLetters(10);
      expect(letters.map((l) => l.idempotencyKey)).toEqual(['b:1', 'a:1']);
      expect(letters[1]).toEqual({
        id: claimed[0]!.id,
        inboxId: a,
        source: 'stripe',
        kind: 'sale',
        idempotencyKey: 'a:1',
        eventKey: 'evt_a',
        eventType: 'checkout.session.completed',
        attempts: 1,
        lastError: 'HTTP 400 a',
        createdAt: T0,
        deadAt: T0 + 2,
      });
      expect(letters[0]).toMatchObject({ source: 'paddle', kind: 'lead', eventType: 'customer.created', deadAt: T0 + 3 });
      expect((await store.listDeadLetters(1)).map((l) => l.idempotencyKey)).toEqual(['b:1']);
    });
  });

  describe('findInboxByEvent', () => {
    it('finds an event by inbox id, by event key, and a Shopify event by its delivery id alone', async () => {
      const { store } = ctx;
      const stripe = await record(store, 'evt_123', []);
      // Recorded first: only a Shopify key is matched by its delivery id alone.
      await record(store, 'other:b1f2-delivery', [], { source: 'paddle' });
      const shopify = await record(store, 'shop.myshopify.com:orders/paid:b1f2-delivery', [], { source: 'shopify' });
      expect(await store.findInboxByEvent(String(stripe))).toMatchObject({ id: stripe, eventKey: 'evt_123' });
      expect(await store.findInboxByEvent('evt_123')).toMatchObject({ id: stripe });
      expect(await store.findInboxByEvent('shop.myshopify.com:orders/paid:b1f2-delivery')).toMatchObject({ id: shopify });
      expect(await store.findInboxByEvent('b1f2-delivery')).toMatchObject({ id: shopify, source: 'shopify' });
      expect(await store.findInboxByEvent('evt_404')).toBeUndefined();
      expect(await store.findInboxByEvent('999999')).toBeUndefined();
    });
  });

  describe('replaceCommand', () => {
    it('replaces a finished row with the rebuilt command, due now, and updates its sale', async () => {
      const { store } = ctx;
      const inboxId = await record(store, 'evt_1', [saleCommand('in_1', { charge: 'ch_1' })]);
      await finish(store, { 'sale:in_1': 'dead' }, T0);
      const [row] = await store.listOutboxForInbox(inboxId);
      const rebuilt = saleCommand('in_1', { paymentIntent: 'pi_1' }, { command: '{"v":2}', customerKey: 'c1', rank: 1 });
      rebuilt.sale!.amount = 12_000;
      expect(await store.replaceCommand(row!.id, rebuilt, T0 + 100)).toBe('replaced');
      expect(await store.getOutbox(row!.id)).toMatchObject({
        command: '{"v":2}',
        customerKey: 'c1',
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 100,
        leaseUntil: null,
        deliveredAt: null,
        response: null,
      });
      expect(await store.findSale({ invoiceId: 'in_1' })).toMatchObject({ amount: 12_000, outboxId: row!.id });
      expect(await store.findSale({ refs: { paymentIntent: 'pi_1' } })).toMatchObject({ invoiceId: 'in_1' });
    });

    it('takes a new idempotency key unless another row holds it (conflict), and leaves pending rows alone', async () => {
      const { store } = ctx;
      const inboxId = await record(store, 'evt_1', [command('old'), command('taken'), command('busy', { dueAt: T0 + 1_000 })]);
      await finish(store, { old: 'delivered', taken: 'delivered' }, T0);
      const rows = await rowsOf(store, inboxId);
      expect(await store.replaceCommand(rows.old!.id, command('new', { command: '{"v":"new"}' }), T0 + 1)).toBe('replaced');
      expect(await store.getOutbox(rows.old!.id)).toMatchObject({ idempotencyKey: 'new', command: '{"v":"new"}', state: 'pending' });

      expect(await store.replaceCommand(rows.taken!.id, command('new', { command: '{"v":"dup"}' }), T0 + 2)).toBe('conflict');
      expect(await store.getOutbox(rows.taken!.id)).toMatchObject({ idempotencyKey: 'taken', state: 'delivered', command: rows.taken!.command });

      expect(await store.replaceCommand(rows.busy!.id, command('busy2'), T0 + 3)).toBe('pending');
      expect(await store.getOutbox(rows.busy!.id)).toEqual(rows.busy);
      expect(await store.replaceCommand(999_999, command('nowhere'), T0 + 4)).toBe('not_found');
    });
  });

  describe('addCommands', () => {
    it('adds rebuilt commands to an event, skips keys already queued, and marks an ignored event mapped', async () => {
      const { store } = ctx;
      const ignored = await store.recordEvent({
        inbox: inboxRecord('evt_ignored', { state: 'ignored', reason: 'unhandled event type x' }),
        outbox: [],
        links: [],
      });
      await record(store, 'evt_other', [command('already')]);
      const added = await store.addCommands(
        ignored.inboxId,
        'stripe',
        [saleCommand('in_9', { charge: 'ch_9' }), command('already'), command('lead:c9', { kind: 'lead', tenant: 'acme' })],
        T0 + 50,
      );
      expect(added).toBe(2);
      const rows = await rowsOf(store, ignored.inboxId);
      expect(Object.keys(rows)).toEqual(['sale:in_9', 'lead:c9']);
      expect(rows['lead:c9']).toMatchObject({ source: 'stripe', tenant: 'acme', state: 'pending', attempts: 0, createdAt: T0 + 50, nextAttemptAt: T0 + 50 });
      expect(await store.getInbox(ignored.inboxId)).toMatchObject({ state: 'mapped', reason: null });
      expect(await store.findSale({ refs: { charge: 'ch_9' } })).toMatchObject({
        invoiceId: 'in_9',
        outboxId: rows['sale:in_9']!.id,
        amount: 10_000,
        createdAt: T0 + 50,
      });
      expect(await store.addCommands(ignored.inboxId, 'stripe', [command('lead:c9')], T0 + 60)).toBe(0);
      expect(await store.addCommands(ignored.inboxId, 'stripe', [], T0 + 60)).toBe(0);
    });
  });
}
