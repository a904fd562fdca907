import type * as z from 'zod';
import type { RefundBody, SaleRefs } from '../dub/commands.js';
import type { MapContext, MapResult } from '../mappers/types.js';

/**
 * The contract every payment processor implements. A provider is its folder under
 * `src/handlers/<source>/` (this definition: secrets, verify, identify), its folder under
 * `src/mappers/<source>/` (parse + pure mappers) and one line in `src/handlers/index.ts`.
 * The generic webhook handler, ingest, remap, tenants, metrics and the CLI read only this.
 */

/** What a verifier and `identify` see of a webhook request. */
export interface WebhookRequest {
  /** The exact raw bytes (signatures are computed over these, never over re-serialised JSON). */
  body: Uint8Array<ArrayBuffer>;
  /** `body` decoded as UTF-8. */
  text: string;
  /** A request header by lowercase name; null when absent. */
  header(name: string): string | null;
}

/** Why a webhook was refused before anything was stored. The app maps each to one status. */
export type RejectReason = 'missing_signature' | 'invalid_signature' | 'malformed_json' | 'missing_header' | 'invalid_payload';

/** Verification and identification return results instead of throwing, so one place picks the status. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: RejectReason; message: string };

export const refused = (reason: RejectReason, message: string): Checked<never> => ({ ok: false, reason, message });

/** A verified webhook: its JSON document and which configured secret verified it (tenant binding). */
export interface Verified {
  json: unknown;
  secret: string;
}

/** Checks a request against a fixed set of secrets (built once at start, reused per request). */
export type Verifier = (request: WebhookRequest) => Promise<Checked<Verified>>;

export interface VerifierDeps {
  /** Milliseconds since the epoch (timestamp tolerance, certificate validity). */
  now: () => number;
  /** The provider's parsed extra settings (`settings` schema below); `{}` when it has none. */
  settings: Record<string, unknown>;
}

/** Where a verified event goes in the inbox. */
export interface Identity {
  /** Unique per provider event (the inbox's dedupe key together with the source). */
  eventKey: string;
  /** The provider's event type or topic. */
  eventType: string;
  /** The provider account / shop / app the event belongs to (tenant routing); null when none. */
  account: string | null;
  /**
   * A second dedupe key from signed content, for providers whose event id travels unsigned
   * (Shopify's headers): a captured body replayed under a fresh id is still a duplicate.
   */
  contentKey?: string;
}

/**
 * Asks the provider's API which sale a refund belongs to when the refund's own references find
 * none (Stripe's invoice payments). Throws when the API fails (the refund is retried).
 */
export type SaleLookup = (refund: RefundBody) => Promise<{ invoiceId?: string; refs?: SaleRefs } | null>;

export interface SaleLookupDeps {
  fetch?: typeof fetch | undefined;
  timeoutMs: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

export interface ProviderDefinition<Event = any> {
  /** Route segment, inbox `source` and metric label: `/webhooks/<source>`. */
  source: string;
  /** Human name for messages: `Paddle`. */
  label: string;
  /** The env variable holding the comma-separated secrets (rotation): `PADDLE_WEBHOOK_SECRET`. */
  secretVariable: string;
  /** What the secret is, for the 503 message: `the notification destination's secret key`. */
  secretHint: string;
  /** Validates one secret (prefix, minimum length); its message names what is expected. */
  secret: z.ZodType<string>;
  /**
   * Extra env variables this provider reads (`APPLE_APP_APPLE_ID`, `REVENUECAT_IGNORE_STORES`).
   * The parsed object reaches the verifier as `deps.settings` and the mapper as `ctx.settings`.
   */
  settings?: z.ZodObject<any>;
  /** Builds the verifier for a set of secrets once; every request reuses it. */
  createVerifier(secrets: readonly string[], deps: VerifierDeps): Verifier;
  /**
   * The account a request names before its signature is checked (Shopify's shop domain), so
   * only that tenant's secrets are tried. Absent: every configured secret is tried.
   */
  accountFromHeaders?(request: WebhookRequest): string | null;
  /** The log field that names the account (`shop` for Shopify); `account` when absent. */
  accountLogField?: string;
  /** Inbox key, type and account of a verified event. */
  identify(verified: Verified, request: WebhookRequest): Checked<Identity> | Promise<Checked<Identity>>;
  /**
   * The JSON document of a stored raw payload, for remap (default `JSON.parse`). Providers whose
   * body wraps the event (the App Store's signed JWS) decode it here; it was verified before storing.
   */
  storedJson?(payload: string): unknown;
  /**
   * zod validation of the fields the mappers read; `issues` names the bad field(s). `request` is
   * there at ingest and absent on remap (a stored event has its payload, not its headers).
   */
  parse(json: unknown, identity: Identity, request?: WebhookRequest): ParseResult<Event>;
  /** The provider customer id whose customer link the pipeline looks up before mapping. */
  customerIdOf?(event: Event): string | null;
  /** Pure: one event -> Dub commands, or ignored with a reason. */
  map(event: Event, ctx: MapContext): MapResult;
  /**
   * TENANTS_FILE's older per-provider block (`"stripe": {accounts, webhookSecret}`), still read
   * beside the generic `"providers": {"<source>": {secret, accounts}}`.
   */
  legacyTenantBlock?: { key: string; schema: z.ZodType<any>; secretField: string; accountsField: string };
  /** What to set so `createSaleLookup` has what it needs, said when a refund's sale is not found without it. */
  saleLookupHint?: string;
  /** Builds the provider's SaleLookup from its settings; undefined when it has none (or it is not configured). */
  createSaleLookup?(settings: Record<string, unknown>, deps: SaleLookupDeps): SaleLookup | undefined;
  /** The event types the mappers handle (what `register` subscribes to). */
  handledEventTypes: readonly string[];
}

/**
 * Declares a provider with its callbacks typed from the contract; the literal `source` is kept
 * so the registry can derive its list of names.
 */
export function defineProvider<E = any, const S extends string = string>(
  definition: ProviderDefinition<E> & { source: S },
): ProviderDefinition<E> & { source: S } {
  return definition;
}
