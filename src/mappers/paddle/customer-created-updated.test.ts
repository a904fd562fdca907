import { describe, expect, it } from 'vitest';
import { mapRawPaddleEvent, paddleFixture } from '../../../test/fixtures/paddle/index.js';

const CTM = 'ctm_01h8e18bxp9hby49dnm8ewf0m0';

describe('customer.created / customer.updated', () => {
  it.each(['customer.created', 'customer.updated'])('%s with dubCustomerExternalId -> link + customer PATCH (name, email)', (type) => {
    const event = paddleFixture('customer-created');
    event.event_type = type;
    expect(mapRawPaddleEvent(event)).toStrictEqual({
      outcome: 'commands',
      commands: [{ kind: 'customer', externalId: 'user_pdl_1042', body: { name: 'Sam Miller', email: 'sam@example.com' } }],
      links: [{ source: 'paddle', providerCustomerId: CTM, externalId: 'user_pdl_1042' }],
    });
  });

  it('an absent name is left out of the PATCH (null would erase it in Dub)', () => {
    const event = paddleFixture('customer-created');
    event.data.name = null;
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { email: 'sam@example.com' } }] });
    expect(mapRawPaddleEvent(event)).not.toMatchObject({ commands: [{ body: { name: expect.anything() } }] });
  });

  it('without dubCustomerExternalId -> ignored, nothing linked', () => {
    expect(mapRawPaddleEvent(paddleFixture('customer-updated'))).toStrictEqual({
      outcome: 'ignored',
      reason: 'Paddle customer has no custom_data.dubCustomerExternalId',
      links: [],
    });
  });
});
