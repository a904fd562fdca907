import * as z from 'zod';
import { handledPolarEventTypes, mapPolarEvent, parsePolarEvent, polarCustomerIdOf } from '../../mappers/polar/index.js';
import { defineProvider, refused } from '../provider.js';
import { createPolarVerifier } from './verify.js';

/**
 * Polar issues `whsec_` + 43 letters and digits; Standard Webhooks secrets are `whsec_` + the base64
 * of 24 bytes or more (32 characters or more). Endpoints that once chose their own secret
 * (deprecated) can reset it in Polar to get one of these.
 */
const polarSecret = z
  .string()
  // Polar's dashboard and SDK docs show `polar_whs_…` secrets as well as Standard Webhooks' `whsec_…`.
  .regex(
    /^(whsec_|polar_whs_)[A-Za-z0-9+/=_-]{32,}$/,
    "expected Polar's webhook secret: whsec_ or polar_whs_ followed by 32 or more characters (Polar → Settings → Webhooks → the endpoint's secret)",
  );

/** Polar (Standard Webhooks): `POST /webhooks/polar`. */
export default defineProvider({
  source: 'polar',
  label: 'Polar',
  secretVariable: 'POLAR_WEBHOOK_SECRET',
  secretHint: "the webhook endpoint's secret (whsec_…) from Polar → Settings → Webhooks",
  secret: polarSecret,
  createVerifier: createPolarVerifier,
  identify(verified, request) {
    // The body has no id: the webhook-id header (checked by the verifier) is the same on every retry.
    const webhookId = request.header('webhook-id');
    if (!webhookId) return refused('missing_header', 'missing webhook-id header');
    const type = (verified.json as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || type === '') return refused('invalid_payload', 'body has no string "type"');
    return { ok: true, value: { eventKey: webhookId, eventType: type, account: null } };
  },
  parse: (json, identity) => parsePolarEvent(json, identity.eventKey),
  customerIdOf: polarCustomerIdOf,
  map: mapPolarEvent,
  handledEventTypes: handledPolarEventTypes,
});
