import { describe, expect, it } from 'vitest';
import { lemonSqueezyFixture, mapRawLemonSqueezyEvent } from '../../../test/fixtures/lemonsqueezy/index.js';
import { lemonSqueezyCustomerIdOf, mapLemonSqueezyEvent, parseLemonSqueezyEvent, type LemonSqueezyEvent } from './index.js';

function parsed(raw: unknown): LemonSqueezyEvent {
  const result = parseLemonSqueezyEvent(raw);
  if (!result.ok) throw new Error(result.issues);
  return result.value;
}

describe('parseLemonSqueezyEvent', () => {
  it('keeps only the attributes the mappers read', () => {
    const event = parsed(lemonSqueezyFixture('order-created'));
    expect(event.data.attributes.total).toBe(1199);
    expect(event.data.attributes.urls).toBeUndefined();
  });

  it('names the bad field of a handled type', () => {
    const event = lemonSqueezyFixture('order-created');
    event.data.attributes.total = '11.99';
    expect(parseLemonSqueezyEvent(event)).toMatchObject({ ok: false, issues: expect.stringMatching(/^data\.attributes\.total: /) });
  });

  it('rejects a body without meta.event_name', () => {
    const event = lemonSqueezyFixture('order-created');
    delete event.meta.event_name;
    expect(parseLemonSqueezyEvent(event)).toMatchObject({ ok: false, issues: expect.stringMatching(/^meta\.event_name: /) });
  });

  it('unknown types only need a valid envelope', () => {
    expect(parseLemonSqueezyEvent(lemonSqueezyFixture('subscription-created'))).toMatchObject({ ok: true });
  });
});

describe('mapLemonSqueezyEvent', () => {
  it.each(['subscription_created', 'subscription_payment_recovered', 'license_key_created'])('%s -> ignored as unhandled', (name) => {
    const event = lemonSqueezyFixture('subscription-created');
    event.meta.event_name = name;
    expect(mapRawLemonSqueezyEvent(event)).toStrictEqual({ outcome: 'ignored', reason: `unhandled event type ${name}`, links: [] });
  });

  describe('meta.test_mode = true follows TEST_EVENTS', () => {
    const testOrder = () => {
      const event = lemonSqueezyFixture('order-created');
      event.meta.test_mode = true;
      return event;
    };

    it('skip -> ignored', () => {
      expect(mapRawLemonSqueezyEvent(testOrder(), { testEvents: 'skip' })).toStrictEqual({
        outcome: 'ignored',
        reason: 'test event skipped (TEST_EVENTS=skip)',
        links: [],
      });
    });

    it('forward -> mapped as usual', () => {
      expect(mapRawLemonSqueezyEvent(testOrder(), { testEvents: 'forward' })).toStrictEqual(mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-created')));
    });

    it('tag -> metadata.testEvent = true', () => {
      expect(mapRawLemonSqueezyEvent(testOrder(), { testEvents: 'tag' })).toMatchObject({ commands: [{ body: { metadata: { testEvent: true } } }] });
    });

    it('a live event is never skipped or tagged', () => {
      const result = mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-created'), { testEvents: 'skip' });
      expect(result.outcome).toBe('commands');
      expect(mapRawLemonSqueezyEvent(lemonSqueezyFixture('order-created'), { testEvents: 'tag' })).not.toMatchObject({
        commands: [{ body: { metadata: { testEvent: true } } }],
      });
    });
  });

  it('stays total for an event that skipped parsing (remap of an old payload)', () => {
    const event = { meta: { event_name: 'order_created' }, data: { type: 'orders', id: '1', attributes: {} } };
    expect(mapLemonSqueezyEvent(event, { testEvents: 'forward' })).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/^invalid order_created: data\.attributes\./),
    });
  });
});

describe('lemonSqueezyCustomerIdOf', () => {
  it.each(['order-created', 'subscription-payment-success', 'order-refunded'] as const)('%s -> the customer_id as text', (name) => {
    expect(lemonSqueezyCustomerIdOf(parsed(lemonSqueezyFixture(name)))).toBe('2934471');
  });

  it('null when the attributes name no customer', () => {
    expect(lemonSqueezyCustomerIdOf(parsed({ meta: { event_name: 'x' }, data: { type: 'x', id: 1, attributes: {} } }))).toBeNull();
  });
});
