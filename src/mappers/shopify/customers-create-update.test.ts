import { describe, expect, it } from 'vitest';
import { loadFixture, mapPayload } from '../../../test/fixtures/shopify/harness.js';

describe('customers/create and customers/update -> customer', () => {
  it.each([
    [
      'customers/create',
      'customers-create',
      // 19-digit id: exact only in the gid.
      { externalId: '7234567890123456789', body: { name: 'Jane Doe', email: 'jane.doe@example.com' } },
    ],
    ['customers/update', 'customers-update', { externalId: '6912345678901', body: { name: 'Lukas Becker', email: 'lukas.becker@example.de' } }],
  ])('%s', (topic, fixture, expected) => {
    expect(mapPayload(topic, loadFixture(fixture))).toEqual({
      outcome: 'commands',
      links: [],
      commands: [{ kind: 'customer', ...expected }],
    });
  });

  it('no names and no email -> nulls; no gid -> String(id)', () => {
    const customer = { id: 6912345678901, first_name: null, last_name: '  ', email: null };
    expect(mapPayload('customers/update', customer)).toEqual({
      outcome: 'commands',
      links: [],
      commands: [{ kind: 'customer', externalId: '6912345678901', body: { name: null, email: null } }],
    });
  });
});
