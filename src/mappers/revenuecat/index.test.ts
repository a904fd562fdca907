import { describe, expect, it } from 'vitest';
import { mapRawRevenueCatEvent, revenuecatFixture } from '../../../test/fixtures/revenuecat/index.js';
import { handledRevenueCatEventTypes, mapRevenueCatEvent, parseRevenueCatEvent, revenuecatCustomerIdOf } from './index.js';
import { revenuecatSettings } from './settings.js';

const settings = (value?: string) => revenuecatSettings.parse(value === undefined ? {} : { REVENUECAT_IGNORE_STORES: value });

describe('RevenueCat dispatch', () => {
  it('handles the purchase types and CANCELLATION', () => {
    expect([...handledRevenueCatEventTypes].sort()).toEqual(['CANCELLATION', 'INITIAL_PURCHASE', 'NON_RENEWING_PURCHASE', 'RENEWAL']);
  });

  it.each(['EXPIRATION', 'BILLING_ISSUE', 'PRODUCT_CHANGE', 'TRANSFER', 'UNCANCELLATION', 'REFUND_REVERSED', 'TEST', 'SOMETHING_NEW', 'constructor'])(
    '%s parses and is ignored',
    (type) => {
      const event = revenuecatFixture('expiration');
      event.event.type = type;
      expect(mapRawRevenueCatEvent(event)).toEqual({ outcome: 'ignored', reason: `unhandled event type ${type}`, links: [] });
    },
  );

  describe('REVENUECAT_IGNORE_STORES', () => {
    it('defaults to PROMOTIONAL,TEST_STORE', () => {
      expect(settings()).toEqual({ REVENUECAT_IGNORE_STORES: ['PROMOTIONAL', 'TEST_STORE'] });
    });
    it('is uppercased and trimmed; empty ignores nothing', () => {
      expect(settings(' promotional, test_store ,stripe,')).toEqual({ REVENUECAT_IGNORE_STORES: ['PROMOTIONAL', 'TEST_STORE', 'STRIPE'] });
      expect(settings('')).toEqual({ REVENUECAT_IGNORE_STORES: [] });
    });
    it('refuses something that is not a store list', () => {
      expect(revenuecatSettings.safeParse({ REVENUECAT_IGNORE_STORES: 'STRIPE;PADDLE' }).success).toBe(false);
    });

    it.each([
      ['PROMOTIONAL', undefined, true],
      ['TEST_STORE', undefined, true],
      ['STRIPE', undefined, false],
      ['STRIPE', 'PROMOTIONAL,TEST_STORE,STRIPE', true],
      ['PADDLE', 'paddle', true],
      ['TEST_STORE', '', false],
      ['APP_STORE', undefined, false],
    ])('store %s with setting %j ignored: %s', (store, value, isIgnored) => {
      const event = revenuecatFixture('initial-purchase');
      event.event.store = store;
      const result = mapRawRevenueCatEvent(event, { settings: settings(value) });
      if (isIgnored) expect(result).toEqual({ outcome: 'ignored', reason: `store ${store} is in REVENUECAT_IGNORE_STORES`, links: [] });
      else expect(result.outcome).toBe('commands');
    });

    it('without settings in the context the default applies', () => {
      const event = revenuecatFixture('initial-purchase');
      event.event.store = 'PROMOTIONAL';
      expect(mapRawRevenueCatEvent(event, { settings: undefined })).toMatchObject({ outcome: 'ignored' });
    });
  });

  describe('environment SANDBOX follows TEST_EVENTS', () => {
    const sandbox = () => {
      const event = revenuecatFixture('initial-purchase');
      event.event.environment = 'SANDBOX';
      return event;
    };
    it('forward: sent as is', () => {
      const result = mapRawRevenueCatEvent(sandbox(), { testEvents: 'forward' });
      expect(result).toMatchObject({ outcome: 'commands' });
      expect(JSON.stringify(result)).not.toContain('testEvent');
    });
    it('skip: ignored', () => {
      expect(mapRawRevenueCatEvent(sandbox(), { testEvents: 'skip' })).toEqual({
        outcome: 'ignored',
        reason: 'test event skipped (TEST_EVENTS=skip)',
        links: [],
      });
    });
    it('tag: metadata.testEvent', () => {
      expect(mapRawRevenueCatEvent(sandbox(), { testEvents: 'tag' })).toMatchObject({ commands: [{ body: { metadata: { testEvent: true } } }] });
    });
    it('production events are never tagged or skipped', () => {
      expect(mapRawRevenueCatEvent(revenuecatFixture('initial-purchase'), { testEvents: 'skip' })).toMatchObject({ outcome: 'commands' });
    });
  });

  it.each([
    ['not an object', 'nope', /\(body\)/],
    ['no event', { api_version: '1.0' }, /event/],
    ['no event id', { event: { type: 'RENEWAL' } }, /event\.id/],
    ['a sale without transaction_id', { event: { ...revenuecatFixture('renewal-eur').event, transaction_id: undefined } }, /event\.transaction_id/],
    [
      'a price that is a string',
      { event: { ...revenuecatFixture('renewal-eur').event, price_in_purchased_currency: '7.99' } },
      /event\.price_in_purchased_currency/,
    ],
  ])('parse refuses %s, naming the field', (_name, raw, issues) => {
    const parsed = parseRevenueCatEvent(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.issues).toMatch(issues);
  });

  it('the mapper stays total for an event that skipped parse', () => {
    expect(mapRevenueCatEvent({ event: { id: 'e', type: 'RENEWAL' } }, { testEvents: 'forward' })).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/^invalid RENEWAL: event\./),
    });
  });

  it.each([
    ['original_app_user_id', revenuecatFixture('initial-purchase'), '$RCAnonymousID:00000000000040008000000000000a01'],
    ['app_user_id when there is no original', { event: { id: 'e', type: 'TEST', app_user_id: 'u1' } }, 'u1'],
    ['none', { event: { id: 'e', type: 'TEST' } }, null],
  ])('customerIdOf: %s', (_name, raw, id) => {
    const parsed = parseRevenueCatEvent(raw);
    expect(parsed.ok && revenuecatCustomerIdOf(parsed.value)).toBe(id);
  });
});
