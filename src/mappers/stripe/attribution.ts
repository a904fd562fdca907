import * as z from 'zod';
import type { CustomerLink, MapContext } from '../types.js';

/**
 * Stripe metadata. Values are strings by Stripe's contract; anything else is read as absent
 * rather than rejecting the whole event.
 */
export const stripeMetadata = z.record(z.string(), z.unknown()).nullish();
export type StripeMetadata = z.infer<typeof stripeMetadata>;

/** The first non-blank string under `key`, searching the metadata sources in priority order. */
export function metadataValue(sources: readonly StripeMetadata[], key: string): string | undefined {
  for (const metadata of sources) {
    const value = metadata?.[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Dub's Stripe integration marks checkout sessions with `client_reference_id: dub_id_<clickId>`. */
const CLICK_REFERENCE_PREFIX = 'dub_id_';

/** The Dub click id: from `client_reference_id` (`dub_id_…`), else `metadata.dubClickId`. */
export function clickIdOf(clientReferenceId: string | null | undefined, metadata: readonly StripeMetadata[]): string | undefined {
  if (clientReferenceId?.startsWith(CLICK_REFERENCE_PREFIX)) {
    const clickId = clientReferenceId.slice(CLICK_REFERENCE_PREFIX.length).trim();
    if (clickId) return clickId;
  }
  return metadataValue(metadata, 'dubClickId');
}

export interface CustomerFacts {
  /** Metadata sources in priority order (invoice before its subscription's). */
  metadata: readonly StripeMetadata[];
  stripeCustomerId: string | null | undefined;
  email: string | null | undefined;
}

export interface ResolvedCustomer {
  /** The customerExternalId for Dub; undefined when the event names no customer at all. */
  externalId: string | undefined;
  /** Links to store: the event shows both a `cus_…` id and the merchant's own id. */
  links: CustomerLink[];
  /** True when the id came from the merchant (metadata or a stored link), not a Stripe fallback. */
  attributed: boolean;
}

/**
 * customerExternalId: `dubCustomerExternalId`, else legacy `dubCustomerId`, else the customer-link
 * table's answer for the `cus_…` id, else the `cus_…` id itself, else the email.
 */
export function resolveCustomer(facts: CustomerFacts, ctx: MapContext): ResolvedCustomer {
  const merchantId = metadataValue(facts.metadata, 'dubCustomerExternalId') ?? metadataValue(facts.metadata, 'dubCustomerId');
  const stripeCustomerId = facts.stripeCustomerId || undefined;
  const links: CustomerLink[] = stripeCustomerId && merchantId ? [{ source: 'stripe', providerCustomerId: stripeCustomerId, externalId: merchantId }] : [];
  // The pipeline looked the link up for this event's `cus_…`; without one it cannot apply.
  const linked = stripeCustomerId ? ctx.linkedExternalId || undefined : undefined;
  const email = facts.email?.trim() || undefined;
  return { externalId: merchantId ?? linked ?? stripeCustomerId ?? email, links, attributed: Boolean(merchantId ?? linked) };
}
