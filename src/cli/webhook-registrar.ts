import type { ProviderApi } from './provider-api.js';

/**
 * What `register` / `unregister` need from a provider whose webhooks are managed through its API
 * (Paddle, Polar, Lemon Squeezy). One module per provider implements it (`<provider>-api.ts`); the
 * commands, the credential handling and the output are shared (commands/register-api.ts).
 */

/** What one `register` run did to the provider's webhook at the bridge URL. */
export interface Registration {
  action: 'created' | 'updated' | 'unchanged';
  /** The provider's id of the destination / endpoint / webhook. */
  id: string;
  /** The event types it is subscribed to now. */
  events: string[];
  /** The signing secret, when this run knows it (at creation); shown once. */
  secret: string | null;
  /** Facts worth showing next to the id, for `--json` (`testMode`, the store, the organization). */
  details: Record<string, string | number | boolean | null>;
  /** The same in words, for the text output: `active, API version 1`. */
  summary: string;
}

/** Options a provider's register/unregister read besides the URL (its own flags). */
export interface RegistrarOptions {
  sandbox?: boolean;
  store?: string;
  organization?: string;
}

export interface WebhookRegistrar {
  source: string;
  /** `Paddle`, as the registry labels it (kept here so building the program loads no provider). */
  label: string;
  /** The provider-specific flags its commands take. */
  flags: { sandbox?: boolean; store?: boolean; organization?: boolean };
  /** `notification destination` (Paddle), `webhook endpoint` (Polar), `webhook` (Lemon Squeezy). */
  noun: string;
  /** The token: its variable, and the flag that reads it from standard input instead. */
  credential: { variable: string; stdinFlag: string; refusedFlag: string; what: string };
  /** The variable that overrides the API's base URL, and its defaults. */
  baseVariable: string;
  bases: { live: string; sandbox?: string };
  /** What a token needs (said when the provider refuses it). */
  authHint: string;
  /** JSON:API media type, when the provider wants one. */
  mediaType?: string;
  /** The provider's words from one of its error bodies. */
  describeError(body: unknown): string | null;
  /** `provider`: the API returns the secret at creation; `generated`: the CLI chose it (Lemon Squeezy). */
  secretOrigin: 'provider' | 'generated';
  /** Where an operator finds (or resets) the secret of an existing one, for a re-run. */
  secretLater: string;
  /** Makes exactly one webhook at `url` deliver exactly `events`; never a second one. */
  register(api: ProviderApi, url: string, events: readonly string[], options: RegistrarOptions): Promise<Registration>;
  /** Deletes every webhook at `url`; returns their ids. */
  unregister(api: ProviderApi, url: string, options: RegistrarOptions): Promise<string[]>;
}

/** Same event types, in any order. */
export const sameEvents = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((event) => b.includes(event));
