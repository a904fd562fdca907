import { describe, expect, it } from 'vitest';
import { loadFixture, mapPayload, SHOP } from '../../../test/fixtures/shopify/harness.js';

const ids = { source: 'dub-bridge', shopDomain: SHOP, shopifyEventId: 'evt-1', shopifyWebhookId: 'wh-1' };

describe('refunds/create -> refund', () => {
  it('USD partial refund: sum of line subtotals in shop money (not the EUR transaction)', () => {
    expect(mapPayload('refunds/create', loadFixture('refunds-create'))).toEqual({
      outcome: 'commands',
      links: [],
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: 'gid://shopify/Order/5412345678901' },
            refundedDelta: 9999,
            fullyRefunded: false,
            currency: 'usd',
            // 19-digit refund id: exact only in the gid.
            refundId: '9234567890123456789',
            metadata: { ...ids, shopifyRefundId: '9234567890123456789', shopifyOrderId: '5412345678901' },
          },
        },
      ],
    });
  });

  it('JPY refund in whole units', () => {
    expect(mapPayload('refunds/create', loadFixture('refunds-create-jpy'))).toEqual({
      outcome: 'commands',
      links: [],
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: 'gid://shopify/Order/5512345678901' },
            refundedDelta: 500,
            fullyRefunded: false,
            currency: 'jpy',
            refundId: '9312345678901',
            metadata: { ...ids, shopifyRefundId: '9312345678901', shopifyOrderId: '5512345678901' },
          },
        },
      ],
    });
  });

  it('KWD lines sum exactly before rounding; exact sum in metadata', () => {
    const refund = loadFixture('refunds-create-jpy');
    refund.refund_line_items = ['1.005', '2.000'].map((amount) => ({
      subtotal_set: { shop_money: { amount, currency_code: 'KWD' } },
    }));
    expect(mapPayload('refunds/create', refund)).toMatchObject({
      commands: [{ body: { refundedDelta: 301, currency: 'kwd', metadata: { originalAmount: '3.005' } } }],
    });
  });

  it('refund id without gid -> String(id)', () => {
    const refund = loadFixture('refunds-create-jpy');
    delete refund.admin_graphql_api_id;
    expect(mapPayload('refunds/create', refund)).toMatchObject({ commands: [{ body: { refundId: '9312345678901' } }] });
  });

  it.each([
    ['shipping-only refund (no line items)', (r: any) => r, 'refund has no line items (shipping or adjustment only)'],
    [
      'zero-amount line refund',
      (r: any) => {
        r.refund_line_items = [{ subtotal_set: { shop_money: { amount: '0.00', currency_code: 'USD' } } }];
        return r;
      },
      'refund returns 0 USD of line subtotals',
    ],
  ])('%s is ignored', (_name, edit, reason) => {
    const refund = edit(loadFixture('refunds-create-shipping-only'));
    expect(mapPayload('refunds/create', refund)).toEqual({ outcome: 'ignored', reason, links: [] });
  });
});
