import type { AppleMapper } from './envelope.js';
import { appleSale } from './sale.js';

/** `ONE_TIME_CHARGE`: a consumable, non-consumable or non-renewing subscription was bought. */
export const oneTimeCharge: AppleMapper = (event, transaction) => appleSale(event, transaction, 'Purchase');
