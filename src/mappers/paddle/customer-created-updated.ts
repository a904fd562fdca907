import * as z from 'zod';
import type { CustomerBody } from '../../dub/commands.js';
import { commands, ignored } from '../types.js';
import { customValue } from './custom-data.js';
import { paddleCustomData, paddleMapper } from './envelope.js';

const customerSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  email: z.string().nullish(),
  custom_data: paddleCustomData,
});

/**
 * `customer.created` / `customer.updated`: a customer the merchant tagged with
 * `custom_data.dubCustomerExternalId` is linked (so renewals that name only `ctm_…` reach it) and
 * its name and email are sent to Dub. Untagged customers are ignored: the link table maps ids to
 * ids, and a sale keyed by an email would split the customer from the one keyed by `ctm_…`.
 */
export const customerCreatedOrUpdated = paddleMapper(customerSchema, (_event, customer) => {
  const externalId = customValue(customer.custom_data, 'dubCustomerExternalId');
  if (!externalId) return ignored('Paddle customer has no custom_data.dubCustomerExternalId');
  const link = { source: 'paddle', providerCustomerId: customer.id, externalId };
  // A PATCH with null would erase what Dub already has, so absent fields are left out.
  const body: CustomerBody = {};
  if (customer.name) body.name = customer.name;
  if (customer.email) body.email = customer.email;
  if (!body.name && !body.email) return ignored('Paddle customer has neither name nor email to send', [link]);
  return commands([{ kind: 'customer', externalId, body }], [link]);
});
