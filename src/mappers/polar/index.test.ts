import { describe, expect, it } from 'vitest';
import { mapRawPolarEvent, polarFixture } from '../../../test/fixtures/polar/index.js';
import { handledPolarEventTypes, mapPolarEvent, parsePolarEvent, polarCustomerIdOf } from './index.js';

describe('Polar dispatch', () => {
  it('handles exactly the event types the mapping rules name', () => {
    expect([...handledPolarEventTypes].sort()).toEqual(['customer.created', 'customer.updated', 'order.paid', 'order.refunded']);
  });

  it.each([
    'order.created',
    'order.updated',
    'checkout.created',
    'checkout.updated',
    'subscription.active',
    'subscription.updated',
    'refund.created',
    'refund.updated',
    'benefit_grant.created',
    'a.type_polar_adds_later',
    'constructor',
  ])('%s parses and is ignored (unknown types must never fail a Polar delivery)', (type) => {
    const event = polarFixture('subscription-active');
    event.type = type;
    expect(mapRawPolarEvent(event)).toEqual({ outcome: 'ignored', reason: `unhandled event type ${type}`, links: [] });
  });

  it('refund.created repeats what order.refunded says: ignored even with a refund-shaped body', () => {
    const event = { type: 'refund.created', timestamp: '2026-10-05T08:00:00Z', data: { id: 'r', order_id: 'o', amount: 3000 } };
    expect(mapRawPolarEvent(event)).toMatchObject({ outcome: 'ignored' });
  });

  it.each([
    ['not an object', 'oops', /\(body\)/],
    ['no type', { data: {} }, /type/],
    ['data not an object', { type: 'order.paid', data: [] }, /data/],
    ['order.paid without net_amount', { type: 'order.paid', data: { ...polarFixture('order-paid-purchase').data, net_amount: undefined } }, /data\.net_amount/],
    [
      'order.paid with a fractional amount',
      { type: 'order.paid', data: { ...polarFixture('order-paid-purchase').data, net_amount: 49.5 } },
      /data\.net_amount/,
    ],
    ['order.refunded without currency', { type: 'order.refunded', data: { ...polarFixture('order-refunded-full').data, currency: null } }, /data\.currency/],
  ])('parse refuses %s, naming the field', (_name, raw, issues) => {
    const parsed = parsePolarEvent(raw, 'msg_1');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.issues).toMatch(issues);
  });

  it('the mapper stays total for an event that skipped parse', () => {
    const result = mapPolarEvent({ webhookId: 'msg_1', type: 'order.paid', data: { id: 'x' } }, { testEvents: 'forward' });
    expect(result).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^invalid order\.paid: data\./) });
  });

  it('an amount beyond 2^53 is refused by parse (it could not be exact)', () => {
    const event = polarFixture('order-paid-purchase');
    event.data.net_amount = 2 ** 60;
    expect(parsePolarEvent(event, 'msg_1')).toMatchObject({ ok: false, issues: expect.stringMatching(/data\.net_amount/) });
  });

  it.each([
    ['order.paid', polarFixture('order-paid-renewal'), '00000000-0000-4000-8000-00000000c001'],
    ['order.refunded', polarFixture('order-refunded-full'), '00000000-0000-4000-8000-00000000c001'],
    ['customer.updated', polarFixture('customer-updated'), '00000000-0000-4000-8000-00000000c001'],
    ['subscription.active', polarFixture('subscription-active'), '00000000-0000-4000-8000-00000000c001'],
    ['checkout without customer', { type: 'checkout.created', data: { id: 'c', customer_id: null } }, null],
  ])('customerIdOf %s', (_name, raw, id) => {
    const parsed = parsePolarEvent(raw, 'msg_1');
    expect(parsed.ok && polarCustomerIdOf(parsed.value)).toBe(id);
  });
});
