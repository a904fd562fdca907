import type { CustomerLink } from '../types.js';
import type { RevenueCatTransaction } from './envelope.js';

const ANONYMOUS_PREFIX = '$RCAnonymousID:';

/** A subscriber attribute's non-empty string value (`dubClickId`, `$email`), else null. */
export function attribute(event: RevenueCatTransaction, name: string): string | null {
  const entry = event.subscriber_attributes?.[name];
  const value = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const identified = (id: string | null | undefined): string | null => (id && !id.startsWith(ANONYMOUS_PREFIX) ? id : null);

/** The RevenueCat customer id the customer link is kept under: stable for the subscriber's life. */
const revenuecatCustomerKey = (event: RevenueCatTransaction): string => event.original_app_user_id || event.app_user_id;

/**
 * The customerExternalId of an event: the `dubCustomerExternalId` attribute the app set, else
 * `app_user_id` unless anonymous, else the id this subscriber was linked to before, else
 * `original_app_user_id` even when anonymous: it is the one id RevenueCat keeps for this subscriber
 * across renewals, so a sale made with a click id and its renewals stay on one Dub customer.
 * A merchant id found here is linked to the subscriber for events that lack it later.
 */
export function resolveRevenueCatCustomer(event: RevenueCatTransaction, linkedExternalId: string | undefined) {
  const merchantId = attribute(event, 'dubCustomerExternalId') ?? identified(event.app_user_id);
  const key = revenuecatCustomerKey(event);
  const links: CustomerLink[] = merchantId && merchantId !== key ? [{ source: 'revenuecat', providerCustomerId: key, externalId: merchantId }] : [];
  return {
    externalId: merchantId ?? linkedExternalId ?? key,
    links,
    clickId: attribute(event, 'dubClickId'),
    customerEmail: attribute(event, '$email'),
    customerName: attribute(event, '$displayName'),
  };
}
