import * as z from 'zod';
import { commands } from '../types.js';
import { fullName, numericId, present, resourceId, type TopicMapper } from './shared.js';

const customer = z.object({
  id: numericId,
  admin_graphql_api_id: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
});

/**
 * `customers/create` and `customers/update` -> `customer` (PATCH by external id). Dub answers 404
 * for customers it never attributed, which the deliverer records as skipped.
 */
export const customersCreateUpdate: TopicMapper<z.infer<typeof customer>> = {
  schema: customer,
  map(payload) {
    return commands([
      {
        kind: 'customer',
        externalId: resourceId(payload)!,
        body: { name: fullName(payload.first_name, payload.last_name), email: present(payload.email) },
      },
    ]);
  },
};
