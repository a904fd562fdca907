import type { AppleMapper } from './envelope.js';
import { appleSale } from './sale.js';

/** `DID_RENEW` (also subtype `BILLING_RECOVERY`, a renewal paid after a retry): a renewal sale. */
export const didRenew: AppleMapper = (event, transaction) => appleSale(event, transaction, 'Subscription renewal');
