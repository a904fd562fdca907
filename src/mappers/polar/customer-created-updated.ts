import * as z from 'zod';
import type { CustomerBody } from '../../dub/commands.js';
import { commands, ignored } from '../types.js';
import { polarMapper } from './envelope.js';
import { nonEmpty } from './order.js';

const customerSchema = z.object({
  id: z.string().min(1),
  external_id: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});

/**
 * `customer.created` / `customer.updated` with the merchant's `external_id`: the Polar customer is
 * linked to it and its name and email are sent to Dub (`PATCH /customers/ext_<external_id>`; a
 * customer Dub does not know is skipped there). Without `external_id` there is nothing to address.
 */
export const customerCreatedOrUpdated = polarMapper(customerSchema, (_event, customer) => {
  const externalId = nonEmpty(customer.external_id);
  if (!externalId) return ignored(`Polar customer ${customer.id} has no external_id`);
  // A PATCH with null would erase what Dub already has, so absent fields are left out.
  const body: CustomerBody = {};
  const name = nonEmpty(customer.name);
  const email = nonEmpty(customer.email);
  if (name) body.name = name;
  if (email) body.email = email;
  const links = [{ source: 'polar', providerCustomerId: customer.id, externalId }];
  if (!name && !email) return ignored(`Polar customer ${customer.id} has no name or email to send`, links);
  return commands([{ kind: 'customer', externalId, body }], links);
});
