import * as z from 'zod';
import type { CustomerBody, DubCommand } from '../../dub/commands.js';
import { bridgeMetadata, commands, ignored } from '../types.js';
import { compact } from './amount.js';
import { metadataValue, stripeMetadata } from './attribution.js';
import { stripeMapper } from './envelope.js';

const customerSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  email: z.string().nullish(),
  metadata: stripeMetadata,
});

/**
 * `customer.created` / `customer.updated`: a customer the merchant tagged with its own id is linked
 * (so later invoices reach it) and its name and email are sent to Dub. The lead is only tracked
 * when Dub does not know the customer yet (404) and a click id is known.
 */
export const customerCreatedOrUpdated = stripeMapper(customerSchema, (event, customer) => {
  const externalId = metadataValue([customer.metadata], 'dubCustomerExternalId');
  if (!externalId) return ignored('Stripe customer has no metadata.dubCustomerExternalId');
  const link = { source: 'stripe' as const, providerCustomerId: customer.id, externalId };

  // A PATCH with null would erase what Dub already has, so absent fields are left out.
  const body: CustomerBody = compact({ name: customer.name, email: customer.email, stripeCustomerId: customer.id });
  const clickId = metadataValue([customer.metadata], 'dubClickId');
  const command: DubCommand = {
    kind: 'customer',
    externalId,
    body,
    ...(clickId
      ? {
          leadIfUnknown: {
            clickId,
            eventName: 'New customer',
            customerExternalId: externalId,
            customerName: customer.name ?? null,
            customerEmail: customer.email ?? null,
            metadata: bridgeMetadata({
              stripeEventId: event.id,
              stripeAccountId: event.account,
              stripeCustomerId: customer.id,
            }),
          },
        }
      : {}),
  };
  return commands([command], [link]);
});
