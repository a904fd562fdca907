import { describe, expect, it } from 'vitest';
import { mapRawPolarEvent, polarFixture } from '../../../test/fixtures/polar/index.js';

const CUSTOMER = '00000000-0000-4000-8000-00000000c001';

describe('customer.created / customer.updated -> customer PATCH', () => {
  it.each(['customer.updated', 'customer.created'])('%s with external_id: name and email for ext_<external_id>, linked', (type) => {
    const event = polarFixture('customer-updated');
    event.type = type;
    expect(mapRawPolarEvent(event)).toEqual({
      outcome: 'commands',
      links: [{ source: 'polar', providerCustomerId: CUSTOMER, externalId: 'user_dub_test_42' }],
      commands: [{ kind: 'customer', externalId: 'user_dub_test_42', body: { name: 'Ada Lovelace', email: 'ada@example.com' } }],
    });
  });

  it('a missing name is left out (a null would erase what Dub has)', () => {
    const event = polarFixture('customer-updated');
    event.data.name = null;
    expect(mapRawPolarEvent(event)).toMatchObject({ commands: [{ body: { email: 'ada@example.com' } }] });
  });

  it('without external_id: ignored', () => {
    expect(mapRawPolarEvent(polarFixture('customer-created-no-external-id'))).toEqual({
      outcome: 'ignored',
      reason: `Polar customer ${CUSTOMER} has no external_id`,
      links: [],
    });
  });

  it('with external_id but neither name nor email: ignored, linked', () => {
    const event = polarFixture('customer-updated');
    Object.assign(event.data, { name: null, email: null });
    expect(mapRawPolarEvent(event)).toMatchObject({ outcome: 'ignored', links: [{ externalId: 'user_dub_test_42' }] });
  });
});
