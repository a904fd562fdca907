import type { TriggerAdapter } from '../adapter.js';

/**
 * `dub-bridge trigger <provider> <event>`: a realistic webhook built from a sample shipped with the
 * provider, signed the way the provider signs, sent to a running bridge. A provider joins by
 * giving its CLI adapter (`src/handlers/<source>/cli.ts`) a `trigger` (its builders and signer).
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

/** A registered provider's trigger adapter, with its name. */
export type TriggerProvider = TriggerAdapter & { source: string };
