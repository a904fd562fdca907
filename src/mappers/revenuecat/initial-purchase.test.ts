import { describe, expect, it } from 'vitest';
import { mapRawRevenueCatEvent, revenuecatFixture } from '../../../test/fixtures/revenuecat/index.js';

describe('INITIAL_PURCHASE free trial -> lead Start trial', () => {
  it('with a click id: lead for the customer the app named', () => {
    expect(mapRawRevenueCatEvent(revenuecatFixture('initial-purchase-trial'))).toMatchObject({
      outcome: 'commands',
      commands: [
        {
          kind: 'lead',
          body: {
            clickId: 'clk_test_revenuecat_1',
            eventName: 'Start trial',
            customerExternalId: 'user_dub_test_42',
            customerName: 'Ada Lovelace',
            customerEmail: 'ada@example.com',
            metadata: { source: 'dub-bridge', revenuecatEventId: '00000000-0000-4000-8000-0000000e0002', revenuecatTransactionId: '2000000999000010' },
          },
        },
      ],
    });
  });

  it('without a click id: ignored (the link is still learned)', () => {
    const event = revenuecatFixture('initial-purchase-trial');
    delete event.event.subscriber_attributes.dubClickId;
    expect(mapRawRevenueCatEvent(event)).toMatchObject({
      outcome: 'ignored',
      reason: 'free trial started without a dubClickId subscriber attribute',
      links: [{ externalId: 'user_dub_test_42' }],
    });
  });

  it('a paid trial-period purchase (price > 0) is a sale, not a lead', () => {
    const event = revenuecatFixture('initial-purchase-trial');
    event.event.price_in_purchased_currency = 0.99;
    expect(mapRawRevenueCatEvent(event)).toMatchObject({ commands: [{ kind: 'sale', body: { amount: 99 } }] });
  });
});
