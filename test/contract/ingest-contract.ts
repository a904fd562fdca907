import { describe, expect, it } from 'vitest';
import { command, finish, inboxRecord, record, rowsOf, saleCommand, T0, type ContractContext } from './fixtures.js';

/** recordEvent and findCustomerLink: what one webhook leaves in the store. */
export function ingestContract(ctx: ContractContext): void {
  describe('recordEvent', () => {
    it('records the event, its commands, its customer links, the sale ledger and the sale references', async () => {
      const { store } = ctx;
      const payload = JSON.stringify({ id: 'evt_paid', data: { customer: 'cus_1' } });
      const result = await store.recordEvent({
        inbox: inboxRecord('evt_paid', { account: 'acct_1', tenant: 'acme', payload }),
        outbox: [
          command('lead:c1', { kind: 'lead', customerKey: 'c1', tenant: 'acme' }),
          saleCommand('in_1', { paymentIntent: 'pi_1', charge: 'ch_1', invoice: null }, { customerKey: 'c1', tenant: 'acme', dueAt: T0 + 5 }),
        ],
        links: [{ source: 'stripe', providerCustomerId: 'cus_1', externalId: 'c1' }],
      });
      expect(result).toEqual({ duplicate: false, inboxId: expect.any(Number), queued: 2 });
      const inboxId = result.inboxId;
      expect(await store.getInbox(inboxId)).toEqual({
        id: inboxId,
        source: 'stripe',
        eventKey: 'evt_paid',
        eventType: 'checkout.session.completed',
        account: 'acct_1',
        tenant: 'acme',
        receivedAt: T0,
        payload,
        state: 'mapped',
        reason: null,
        receipt: expect.any(String),
        contentKey: null,
      });
      const rows = await store.listOutboxForInbox(inboxId);
      expect(rows.map((row) => row.idempotencyKey)).toEqual(['lead:c1', 'sale:in_1']);
      expect(rows[1]).toEqual({
        id: expect.any(Number),
        inboxId,
        source: 'stripe',
        kind: 'sale',
        idempotencyKey: 'sale:in_1',
        customerKey: 'c1',
        tenant: 'acme',
        command: JSON.stringify({ kind: 'sale', key: 'sale:in_1' }),
        rank: 1,
        state: 'pending',
        attempts: 0,
        createdAt: T0,
        nextAttemptAt: T0 + 5,
        leaseUntil: null,
        lastError: null,
        deliveredAt: null,
        response: null,
        scrubbedAt: null,
      });
      // Links and sales belong to the event's tenant: another tenant (or the env) finds none of them.
      expect(await store.findCustomerLink('stripe', 'cus_1', 'acme')).toBe('c1');
      expect(await store.findCustomerLink('stripe', 'cus_1')).toBeUndefined();
      const sale = {
        tenant: 'acme',
        invoiceId: 'in_1',
        source: 'stripe',
        outboxId: rows[1]!.id,
        amount: 10_000,
        currency: 'usd',
        refundedSent: 0,
        createdAt: T0,
      };
      expect(await store.findSale({ invoiceId: 'in_1', tenant: 'acme' })).toEqual(sale);
      expect(await store.findSale({ refs: { paymentIntent: 'pi_1' }, tenant: 'acme' })).toEqual(sale);
      expect(await store.findSale({ refs: { charge: 'ch_1' }, tenant: 'acme' })).toEqual(sale);
      expect(await store.findSale({ invoiceId: 'in_1', tenant: 'other' })).toBeUndefined();
      expect(await store.findSale({ refs: { paymentIntent: 'pi_1' } })).toBeUndefined();
      expect(await store.stats()).toMatchObject({ inboxCount: 1, oldestPendingCreatedAt: T0 });
    });

    it('records an event routed to no tenant with tenant null, and an ignored event with no commands', async () => {
      const { store } = ctx;
      const inboxId = await record(store, 'evt_plain', [command('sale:plain')]);
      expect(await store.getInbox(inboxId)).toMatchObject({ tenant: null, account: null });
      expect((await store.listOutboxForInbox(inboxId))[0]).toMatchObject({ tenant: null });

      const ignored = await store.recordEvent({
        inbox: inboxRecord('evt_ignored', { state: 'ignored', reason: 'unhandled event type x' }),
        outbox: [],
        links: [],
      });
      expect(ignored).toEqual({ duplicate: false, inboxId: expect.any(Number), queued: 0 });
      expect(await store.getInbox(ignored.inboxId)).toMatchObject({ state: 'ignored', reason: 'unhandled event type x' });
    });

    it('a redelivered event is a duplicate: same inbox id, and nothing it carries is stored again', async () => {
      const { store } = ctx;
      const first = await store.recordEvent({
        inbox: inboxRecord('evt_dup'),
        outbox: [command('lead:c1', { kind: 'lead', customerKey: 'c1' })],
        links: [{ source: 'stripe', providerCustomerId: 'cus_1', externalId: 'c1' }],
      });
      const again = await store.recordEvent({
        inbox: inboxRecord('evt_dup', { receivedAt: T0 + 10, payload: '{"changed":true}' }),
        outbox: [command('lead:c1', { kind: 'lead', command: '{"changed":true}', rank: 2 }), saleCommand('in_dup', { charge: 'ch_dup' })],
        links: [
          { source: 'stripe', providerCustomerId: 'cus_1', externalId: 'someone-else' },
          { source: 'stripe', providerCustomerId: 'cus_2', externalId: 'c2' },
        ],
      });
      expect(again).toEqual({ duplicate: true, inboxId: first.inboxId });
      expect(await store.getInbox(first.inboxId)).toMatchObject({ receivedAt: T0, payload: JSON.stringify({ id: 'evt_dup' }) });
      const rows = await store.listOutboxForInbox(first.inboxId);
      expect(rows.map((row) => [row.idempotencyKey, row.command, row.rank])).toEqual([['lead:c1', JSON.stringify({ kind: 'sale', key: 'lead:c1' }), 1]]);
      expect(await store.findCustomerLink('stripe', 'cus_1')).toBe('c1');
      expect(await store.findCustomerLink('stripe', 'cus_2')).toBeUndefined();
      expect(await store.findSale({ invoiceId: 'in_dup' })).toBeUndefined();
      expect(await store.findSale({ refs: { charge: 'ch_dup' } })).toBeUndefined();
      expect((await store.stats()).inboxCount).toBe(1);
    });

    it('two deliveries of one event at the same time: one records it, the other is its duplicate', async () => {
      const { store } = ctx;
      const input = () => ({ inbox: inboxRecord('evt_race'), outbox: [saleCommand('in_race', { charge: 'ch_race' })], links: [] });
      const results = await Promise.all([store.recordEvent(input()), store.recordEvent(input())]);
      expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
      expect(results[0]!.inboxId).toBe(results[1]!.inboxId);
      expect(await store.listOutboxForInbox(results[0]!.inboxId)).toHaveLength(1);
      expect(await store.stats()).toMatchObject({ inboxCount: 1, counts: { pending: 1 } });
    });

    it("answers its own inbox row's id, whatever ids earlier events' rows took", async () => {
      const { store } = ctx;
      await record(store, 'evt_a', [command('a:1'), command('a:2'), command('a:3')]);
      const b = await store.recordEvent({
        inbox: inboxRecord('evt_b'),
        outbox: [saleCommand('in_b', { charge: 'ch_b' })],
        links: [{ source: 'stripe', providerCustomerId: 'cus_b', externalId: 'b' }],
      });
      expect(await store.getInbox(b.inboxId)).toMatchObject({ eventKey: 'evt_b' });
      expect((await store.listOutboxForInbox(b.inboxId)).map((row) => row.idempotencyKey)).toEqual(['sale:in_b']);
    });

    it('keeps a payload as large as the default MAX_BODY_BYTES (1 MiB)', async () => {
      const { store } = ctx;
      const payload = JSON.stringify({ id: 'evt_big', note: 'x'.repeat(1024 * 1024 - 30) });
      const inboxId = (await store.recordEvent({ inbox: inboxRecord('evt_big', { payload }), outbox: [], links: [] })).inboxId;
      expect((await store.getInbox(inboxId))?.payload).toBe(payload);
    });

    it('the same event key from another provider is a different event', async () => {
      const { store } = ctx;
      const stripe = await store.recordEvent({ inbox: inboxRecord('evt_same'), outbox: [], links: [] });
      const paddle = await store.recordEvent({ inbox: inboxRecord('evt_same', { source: 'paddle' }), outbox: [], links: [] });
      expect(paddle).toMatchObject({ duplicate: false });
      expect(paddle.inboxId).not.toBe(stripe.inboxId);
    });

    it('a command another event already queued adds no row; the new event is still recorded', async () => {
      const { store } = ctx;
      const first = await record(store, 'evt_checkout', [saleCommand('in_1', { checkout: 'cs_1' })]);
      const second = await store.recordEvent({
        inbox: inboxRecord('evt_invoice'),
        outbox: [saleCommand('in_1', { invoice: 'in_1' }, { command: '{"from":"invoice"}' }), command('customer:c1', { kind: 'customer' })],
        links: [],
      });
      expect(second).toEqual({ duplicate: false, inboxId: expect.any(Number), queued: 1 });
      expect(Object.keys(await rowsOf(store, second.inboxId))).toEqual(['customer:c1']);
      expect((await rowsOf(store, first))['sale:in_1']!.command).toBe(JSON.stringify({ kind: 'sale', key: 'sale:in_1' }));
      // The sale seen through a second event: its reference joins the sale it already has.
      expect(await store.findSale({ refs: { invoice: 'in_1' } })).toMatchObject({ invoiceId: 'in_1', outboxId: (await rowsOf(store, first))['sale:in_1']!.id });
    });

    it('a provisional sale (rank 0) is replaced by the attributed one (rank 1) while pending and unclaimed', async () => {
      const { store } = ctx;
      const first = await record(store, 'evt_invoice', [
        saleCommand('in_1', { invoice: 'in_1' }, { rank: 0, command: '{"v":"provisional"}', dueAt: T0 + 100 }),
      ]);
      const [before] = await store.listOutboxForInbox(first);
      const upgrade = await store.recordEvent({
        inbox: inboxRecord('evt_checkout', { receivedAt: T0 + 10 }),
        outbox: [saleCommand('in_1', { checkout: 'cs_1' }, { rank: 1, customerKey: 'c1', command: '{"v":"attributed"}', dueAt: T0 + 50 })],
        links: [],
      });
      expect(upgrade).toMatchObject({ duplicate: false, queued: 1 });
      expect(await store.getOutbox(before!.id)).toMatchObject({
        inboxId: first,
        rank: 1,
        customerKey: 'c1',
        command: '{"v":"attributed"}',
        nextAttemptAt: T0 + 50,
        state: 'pending',
      });
      expect(await store.listOutboxForInbox(upgrade.inboxId)).toEqual([]);
      expect(await store.findSale({ refs: { checkout: 'cs_1' } })).toMatchObject({ invoiceId: 'in_1', outboxId: before!.id });

      // Equal rank never replaces: the first attributed sale stays.
      const same = await store.recordEvent({
        inbox: inboxRecord('evt_again', { receivedAt: T0 + 20 }),
        outbox: [saleCommand('in_1', {}, { command: '{"v":"later"}' })],
        links: [],
      });
      expect(same).toMatchObject({ queued: 0 });
      expect((await store.getOutbox(before!.id))?.command).toBe('{"v":"attributed"}');
    });

    it('a provisional sale is not replaced once claimed, nor once delivered', async () => {
      const { store } = ctx;
      await record(store, 'evt_a', [saleCommand('in_a', {}, { rank: 0, command: '{"v":"provisional"}' })]);
      const [claimed] = await store.claimDue(T0, 10, 1_000);
      const whileClaimed = await store.recordEvent({
        inbox: inboxRecord('evt_a2', { receivedAt: T0 + 10 }),
        outbox: [saleCommand('in_a', {}, { command: '{"v":"attributed"}' })],
        links: [],
      });
      expect(whileClaimed).toMatchObject({ duplicate: false, queued: 0 });
      expect(await store.getOutbox(claimed!.id)).toMatchObject({ rank: 0, command: '{"v":"provisional"}', leaseUntil: T0 + 1_000 });

      await record(store, 'evt_b', [saleCommand('in_b', {}, { rank: 0, command: '{"v":"provisional"}', dueAt: T0 + 2_000 })]);
      await finish(store, { 'sale:in_b': 'delivered' }, T0 + 2_000);
      const afterDelivery = await store.recordEvent({
        inbox: inboxRecord('evt_b2', { receivedAt: T0 + 3_000 }),
        outbox: [saleCommand('in_b', {}, { command: '{"v":"attributed"}' })],
        links: [],
      });
      expect(afterDelivery).toMatchObject({ queued: 0 });
      expect((await store.listOutbox({ states: ['delivered'] })).map((row) => [row.idempotencyKey, row.rank, row.command])).toEqual([
        ['sale:in_b', 0, '{"v":"provisional"}'],
      ]);
    });

    it('is all or nothing: a command the database refuses leaves no event, command, link or sale behind', async () => {
      const { store } = ctx;
      const input = {
        inbox: inboxRecord('evt_bad'),
        outbox: [saleCommand('in_bad', { charge: 'ch_bad' }), command('lead:bad', { kind: 'lead', command: null as unknown as string })],
        links: [{ source: 'stripe', providerCustomerId: 'cus_bad', externalId: 'bad' }],
      };
      await expect(store.recordEvent(input)).rejects.toThrow();
      expect(await store.findInboxByEvent('evt_bad')).toBeUndefined();
      expect(await store.findCustomerLink('stripe', 'cus_bad')).toBeUndefined();
      expect(await store.findSale({ invoiceId: 'in_bad', refs: { charge: 'ch_bad' } })).toBeUndefined();
      expect(await store.stats()).toMatchObject({ inboxCount: 0, counts: { pending: 0 } });
      // A redelivery with a good body is then a new event, not a duplicate.
      const retried = await store.recordEvent({ ...input, outbox: [input.outbox[0]!] });
      expect(retried).toMatchObject({ duplicate: false, queued: 1 });
    });
  });

  describe('findCustomerLink', () => {
    it('answers the latest external id for a provider customer, per provider', async () => {
      const { store } = ctx;
      await store.recordEvent({ inbox: inboxRecord('evt_1'), outbox: [], links: [{ source: 'stripe', providerCustomerId: 'cus_1', externalId: 'old' }] });
      await store.recordEvent({
        inbox: inboxRecord('evt_2', { receivedAt: T0 + 1 }),
        outbox: [],
        links: [{ source: 'stripe', providerCustomerId: 'cus_1', externalId: 'new' }],
      });
      expect(await store.findCustomerLink('stripe', 'cus_1')).toBe('new');
      expect(await store.findCustomerLink('paddle', 'cus_1')).toBeUndefined();
      expect(await store.findCustomerLink('stripe', 'cus_unknown')).toBeUndefined();
    });
  });
}
