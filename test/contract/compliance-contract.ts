import { describe, expect, it } from 'vitest';
import type { NewOutboxRecord } from '../../src/db/store.js';
import { command, record, storedCommand, T0, type ContractContext } from './fixtures.js';
import { shopifyCompliancePaths as paths } from '../../src/mappers/shopify/compliance.js';

/** Past 2^53: a float would make it equal to its neighbour, which is another customer. */
const ADA = '7205928476758012345';
const NEIGHBOUR = '7205928476758012346';
const SHOP = 'ada-shop.myshopify.com';

/** A Dub command holding every personal field the store knows, and what is left of it once scrubbed. */
export const personalCommands = {
  lead: {
    kind: 'lead',
    body: {
      clickId: 'cl_1',
      eventName: 'Sign up',
      customerExternalId: ADA,
      customerName: 'Ada Lovelace',
      customerEmail: 'ada@example.com',
      customerAvatar: 'https://example.com/ada.png',
    },
  },
  leadScrubbed: { kind: 'lead', body: { clickId: 'cl_1', eventName: 'Sign up', customerExternalId: ADA } },
  customer: {
    kind: 'customer',
    externalId: ADA,
    body: { name: 'Ada Lovelace', email: 'ada@example.com', avatar: 'https://example.com/ada.png' },
    leadIfUnknown: {
      clickId: 'cl_1',
      eventName: 'Sign up',
      customerExternalId: ADA,
      customerName: 'Ada Lovelace',
      customerEmail: 'ada@example.com',
      customerAvatar: 'x',
    },
  },
  customerScrubbed: { kind: 'customer', externalId: ADA, body: {}, leadIfUnknown: { clickId: 'cl_1', eventName: 'Sign up', customerExternalId: ADA } },
};

const personal = (key: string, which: 'lead' | 'customer', overrides: Partial<NewOutboxRecord> = {}) =>
  command(key, { kind: which, customerKey: ADA, command: JSON.stringify(personalCommands[which]), ...overrides });

/** An order of `customerId` on `shop`, its raw payload written the way Shopify sends it (ids as JSON numbers). */
const order = (customerId: string, email: string) =>
  `{"id":450789469,"email":"${email}","customer":{"id":${customerId},"email":"${email}","first_name":"Ada"}}`;

/** applyCompliance: Shopify's customer and shop redaction and data requests. */
export function complianceContract(ctx: ContractContext): void {
  /** Ada's events on her shop, a neighbour's, hers on another shop and a Stripe row with her id as key. */
  async function seed() {
    const { store } = ctx;
    const shopify = (eventKey: string, payload: string, rows: NewOutboxRecord[], shop = SHOP, eventType = 'orders/paid') =>
      record(store, eventKey, rows, {
        source: 'shopify',
        account: shop,
        eventType,
        payload,
        state: eventType === 'customers/redact' ? 'compliance' : 'mapped',
      });
    return {
      paid: await shopify(`${SHOP}:orders/paid:1`, order(ADA, 'ada@example.com'), [
        personal('lead:ada', 'lead'),
        personal('sale:ada', 'lead', { kind: 'sale' }),
      ]),
      updated: await shopify(
        `${SHOP}:customers/update:2`,
        `{"id":${ADA},"email":"ada@example.com"}`,
        [personal('customer:ada', 'customer', { customerKey: null })],
        SHOP,
        'customers/update',
      ),
      byEmail: await shopify(`${SHOP}:orders/paid:3`, '{"id":3,"email":"ada@example.com"}', []),
      neighbour: await shopify(`${SHOP}:orders/paid:4`, order(NEIGHBOUR, 'bob@example.com'), [personal('lead:bob', 'lead', { customerKey: NEIGHBOUR })]),
      otherShop: await shopify('other-shop.myshopify.com:orders/paid:5', order(ADA, 'ada@example.com'), [], 'other-shop.myshopify.com'),
      stripe: await record(store, 'evt_stripe', [personal('stripe:ada', 'lead')], { payload: order(ADA, 'ada@example.com') }),
      request: await shopify(
        `${SHOP}:customers/redact:6`,
        `{"shop_domain":"${SHOP}","customer":{"id":${ADA},"email":"ada@example.com"}}`,
        [],
        SHOP,
        'customers/redact',
      ),
    };
  }

  const untouched = async (inboxIds: number[]) => {
    for (const id of inboxIds) {
      const inbox = await ctx.store.getInbox(id);
      expect(inbox?.payload, `inbox ${id}`).not.toBeNull();
      expect(inbox?.state).toBe('mapped');
    }
  };

  describe('applyCompliance', () => {
    it("redact_customer scrubs the customer's events and commands on that shop, matching ids exactly, and the request's own body", async () => {
      const { store } = ctx;
      const ids = await seed();
      const scrubbed = await store.applyCompliance(
        { action: 'redact_customer', shop: SHOP, customerId: ADA, email: 'ada@example.com', paths },
        ids.request,
        T0 + 100,
      );
      expect(scrubbed).toEqual({ inbox: 3, outbox: 3 });
      for (const id of [ids.paid, ids.updated, ids.byEmail]) {
        expect(await store.getInbox(id)).toMatchObject({ payload: null, state: 'redacted', reason: 'scrubbed by redact_customer' });
      }
      expect(await store.getInbox(ids.request)).toMatchObject({ payload: null, state: 'compliance' });
      const [lead, sale] = await store.listOutboxForInbox(ids.paid);
      expect([lead!.customerKey, sale!.customerKey]).toEqual([null, null]);
      expect(await storedCommand(store, lead!.id)).toEqual(personalCommands.leadScrubbed);
      const [customer] = await store.listOutboxForInbox(ids.updated);
      expect(await storedCommand(store, customer!.id)).toEqual(personalCommands.customerScrubbed);

      await untouched([ids.neighbour, ids.otherShop, ids.stripe]);
      const [bob] = await store.listOutboxForInbox(ids.neighbour);
      expect(bob).toMatchObject({ customerKey: NEIGHBOUR, command: JSON.stringify(personalCommands.lead) });
      const [stripe] = await store.listOutboxForInbox(ids.stripe);
      expect(stripe).toMatchObject({ customerKey: ADA, command: JSON.stringify(personalCommands.lead) });
    });

    it("redact_shop scrubs every event and command of the shop, and no other shop's", async () => {
      const { store } = ctx;
      const ids = await seed();
      const scrubbed = await store.applyCompliance({ action: 'redact_shop', shop: SHOP, paths }, ids.request, T0 + 100);
      expect(scrubbed).toEqual({ inbox: 4, outbox: 4 });
      for (const id of [ids.paid, ids.updated, ids.byEmail, ids.neighbour]) {
        expect(await store.getInbox(id)).toMatchObject({ payload: null, state: 'redacted', reason: 'scrubbed by redact_shop' });
      }
      const [bob] = await store.listOutboxForInbox(ids.neighbour);
      expect(bob!.customerKey).toBeNull();
      expect(await storedCommand(store, bob!.id)).toEqual(personalCommands.leadScrubbed);
      await untouched([ids.otherShop, ids.stripe]);
    });

    it('data_request scrubs nothing, not even the request', async () => {
      const { store } = ctx;
      const ids = await seed();
      const scrubbed = await store.applyCompliance(
        { action: 'data_request', shop: SHOP, customerId: ADA, email: 'ada@example.com', paths },
        ids.request,
        T0 + 100,
      );
      expect(scrubbed).toEqual({ inbox: 0, outbox: 0 });
      await untouched([ids.paid, ids.updated]);
      expect(await store.getInbox(ids.request)).toMatchObject({ payload: expect.stringContaining(ADA), state: 'compliance' });
      const [lead] = await store.listOutboxForInbox(ids.paid);
      expect(lead).toMatchObject({ customerKey: ADA, command: JSON.stringify(personalCommands.lead) });
    });

    it('redact_customer by email alone reaches the events that carry that email', async () => {
      const { store } = ctx;
      const ids = await seed();
      const scrubbed = await store.applyCompliance(
        { action: 'redact_customer', shop: SHOP, customerId: null, email: 'bob@example.com', paths },
        ids.request,
        T0 + 100,
      );
      expect(scrubbed).toEqual({ inbox: 1, outbox: 1 });
      expect(await store.getInbox(ids.neighbour)).toMatchObject({ payload: null, state: 'redacted' });
      await untouched([ids.paid, ids.updated, ids.byEmail]);
    });
  });
}
