/**
 * `dub-bridge trigger <provider> <event>`: a realistic webhook built from a sample shipped in
 * `samples/`, signed the way the provider signs, sent to a running bridge. A provider joins by
 * adding `<source>.ts` (its builders and signer) and its samples, and one line in `index.ts`.
 */

/** What the operator chose on the command line; a builder applies what its provider has a place for. */
export interface TriggerInput {
  /** Dub click id (the `dub_id` cookie's value) to attribute the sale to. */
  clickId?: string | undefined;
  /** The merchant's customer id, sent to Dub as customerExternalId. */
  customer?: string | undefined;
  /** Decimal amount in major units before tax: `49.99`, `1000` (JPY). */
  amount?: string | undefined;
  /** ISO 4217 code, any case. */
  currency?: string | undefined;
  /** Shop / account the event comes from, where the provider has one. */
  account?: string | undefined;
  /** Unique per run (ids in the event are made from it, so every trigger is a new event). */
  id: string;
  /** Milliseconds since the epoch (timestamps, signature). */
  now: number;
}

/** A signed request ready to send, and how to find what the bridge recorded for it. */
export interface TriggerRequest {
  body: string;
  headers: Record<string, string>;
  /** A string the inbox `event_key` of this event contains. */
  eventKeyContains: string;
}

/** Builds the signed request for one event type from the sample, the input and the secret. */
export type TriggerBuilder = (input: TriggerInput, secret: string) => TriggerRequest;

export interface TriggerProvider {
  source: string;
  /** Event types this provider can send (keys as the provider names them); the first is the default. */
  events: Record<string, TriggerBuilder>;
  /**
   * Set when this provider's events cannot be made here (the App Store signs with Apple's private
   * key): why, and what to do instead, from the environment the bridge reads.
   */
  unavailable?(env: Record<string, string | undefined>): string;
}
