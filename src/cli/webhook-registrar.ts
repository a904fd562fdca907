import type { Command } from 'commander';
import type { ProviderApi } from './provider-api.js';

/**
 * What `register` / `unregister` need from a provider whose webhooks are managed through a REST
 * API with a bearer token. A provider implements it beside its handler (`<source>/cli-api.ts`); the
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

/** Options a provider's register/unregister read besides the URL: `--sandbox`, and its own flags by attribute name. */
export interface RegistrarOptions {
  sandbox?: boolean;
  [flag: string]: unknown;
}

export interface WebhookRegistrar {
  source: string;
  /** The provider's name in messages, as the registry labels it. */
  label: string;
  /** Whether it has a sandbox API (`--sandbox`, at `bases.sandbox`). */
  flags: { sandbox?: boolean };
  /** Declares the provider's own flags (a store or organization id) on both commands. */
  options?(command: Command): Command;
  /** What the provider calls the thing that delivers webhooks: `webhook endpoint`, `notification destination`. */
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
  /** `provider`: the API returns the secret at creation; `generated`: the CLI chose it (the API never shows one). */
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
