import { describe, expect, it } from 'vitest';
import { mapRawStripeEvent, stripeFixture } from '../../../test/fixtures/stripe/index.js';
import { handledStripeEventTypes, mapStripeEvent, parseStripeEvent, stripeCustomerIdOf, type StripeEvent } from './index.js';

function parsed(raw: unknown): StripeEvent {
  const result = parseStripeEvent(raw);
  if (!result.ok) throw new Error(result.issues);
  return result.value;
}

describe('parseStripeEvent', () => {
  it('accepts a real payload and keeps only the fields the mappers read (the inbox keeps the raw body)', () => {
    const event = parsed(stripeFixture('checkout-session-completed-payment'));
    expect(event.data.object.amount_total).toBe(stripeFixture('checkout-session-completed-payment').data.object.amount_total);
    expect(event.data.object.ui_mode).toBeUndefined();
  });

  it('names the bad field of a handled type', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.amount_total = '108.00';
    const result = parseStripeEvent(event);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toMatch(/^data\.object\.amount_total: /);
  });

  it('names a missing required field', () => {
    const event = stripeFixture('invoice-paid-renewal-legacy-api');
    delete event.data.object.amount_paid;
    expect(parseStripeEvent(event)).toStrictEqual({
      ok: false,
      issues: 'data.object.amount_paid: Invalid input: expected number, received undefined',
    });
  });

  it('rejects an envelope whose id is not an event id', () => {
    const event = stripeFixture('charge-refunded');
    event.id = 'ch_3QyPkQ2eZvKYlo2C1h2i3j4k';
    const result = parseStripeEvent(event);
    expect(!result.ok && result.issues).toMatch(/^id: /);
  });

  it('rejects a body that is not an event', () => {
    expect(parseStripeEvent('not json')).toMatchObject({ ok: false, issues: expect.stringMatching(/^\(event\): /) });
  });

  it('unknown types only need a valid envelope', () => {
    const raw = {
      id: 'evt_1R6Pyt2eZvKYlo2CaB1cD2eF',
      object: 'event',
      type: 'payout.paid',
      livemode: true,
      created: 1742100000,
      data: { object: { id: 'po_1R6Pyt2eZvKYlo2C', amount: 'whatever' } },
    };
    expect(parseStripeEvent(raw)).toMatchObject({ ok: true, value: { type: 'payout.paid' } });
  });
});

describe('mapStripeEvent', () => {
  it('livemode false with TEST_EVENTS=skip -> ignored', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.livemode = false;
    expect(mapRawStripeEvent(event, { testEvents: 'skip' })).toStrictEqual({
      outcome: 'ignored',
      reason: 'test event skipped (TEST_EVENTS=skip)',
      links: [],
    });
  });

  it('livemode false with TEST_EVENTS=forward -> mapped as usual', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.livemode = false;
    expect(mapRawStripeEvent(event)).toMatchObject({ outcome: 'commands', commands: [{ kind: 'sale' }] });
  });

  it('livemode false with TEST_EVENTS=tag -> every command carries metadata.testEvent', () => {
    const event = stripeFixture('checkout-session-async-payment-succeeded');
    event.livemode = false;
    event.type = 'checkout.session.completed';
    event.data.object.payment_status = 'unpaid';
    const forwarded = mapRawStripeEvent(event);
    const tagged = mapRawStripeEvent(event, { testEvents: 'tag' });
    if (forwarded.outcome !== 'commands' || tagged.outcome !== 'commands') throw new Error('expected commands');
    expect(tagged.commands.map((c) => c.kind)).toEqual(forwarded.commands.map((c) => c.kind));
    expect(tagged.commands.length).toBeGreaterThan(0);
    tagged.commands.forEach((command, i) => {
      expect(command).toMatchObject({ body: { metadata: { ...(forwarded.commands[i] as any).body.metadata, testEvent: true } } });
    });
  });

  it('live events are not tagged under TEST_EVENTS=tag', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    expect(mapRawStripeEvent(event, { testEvents: 'tag' })).toStrictEqual(mapRawStripeEvent(event));
  });

  it('live events are mapped under TEST_EVENTS=skip', () => {
    const event = stripeFixture('charge-refunded');
    expect(mapRawStripeEvent(event, { testEvents: 'skip' })).toMatchObject({ outcome: 'commands' });
  });

  it.each(['payout.paid', 'invoice.payment_succeeded', 'constructor', 'toString'])('unhandled type %s -> ignored', (type) => {
    const event = stripeFixture('charge-refunded');
    event.type = type;
    expect(mapRawStripeEvent(event)).toStrictEqual({
      outcome: 'ignored',
      reason: `unhandled event type ${type}`,
      links: [],
    });
  });

  it('stays total for an event that skipped parsing', () => {
    const event = parsed(stripeFixture('charge-refunded'));
    const broken = { ...event, data: { object: { id: 'ch_1', amount: -1.5 } } };
    expect(mapStripeEvent(broken, { testEvents: 'forward' })).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/^invalid charge\.refunded: data\.object\.amount: /),
    });
  });
});

describe('stripeCustomerIdOf', () => {
  it.each([
    ['checkout-session-completed-payment', 'cus_RqB3cD4eF5gH6i'],
    ['invoice-paid-subscription-create', 'cus_RsT7uV8wX9yZ0a'],
    ['charge-refunded', 'cus_RqB3cD4eF5gH6i'],
    ['customer-updated', null],
  ] as const)('%s -> %s', (name, expected) => {
    expect(stripeCustomerIdOf(parsed(stripeFixture(name)))).toBe(expected);
  });

  it('guest session -> null', () => {
    const event = stripeFixture('checkout-session-completed-payment');
    event.data.object.customer = null;
    expect(stripeCustomerIdOf(parsed(event))).toBeNull();
  });
});

it('handledStripeEventTypes lists what the webhook endpoint must subscribe to', () => {
  expect([...handledStripeEventTypes].sort()).toStrictEqual([
    'charge.refunded',
    'checkout.session.async_payment_succeeded',
    'checkout.session.completed',
    'customer.created',
    'customer.updated',
    'invoice.paid',
  ]);
});
