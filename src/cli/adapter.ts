import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { ProviderDefinition } from '../handlers/provider.js';
import type { Check } from './commands/doctor-checks.js';
import type { CliContext } from './context.js';
import type { TriggerBuilder } from './trigger/types.js';

/**
 * What the CLI needs from one provider, beside its webhook definition. Each provider exports one
 * from `src/handlers/<source>/cli.ts` (default export); the CLI imports it by convention only for
 * the commands that use it (adapters.ts), so the Worker, which imports `<source>/index.ts`, never
 * bundles CLI code or provider SDKs. Every part is optional: a provider has what its API allows.
 */
export interface CliAdapter {
  /** `dub-bridge register <source>`: create the webhook registration, or print the steps. */
  register?: AdapterCommand;
  /** `dub-bridge unregister <source>`: remove what register created, or say where. */
  unregister?: AdapterCommand;
  /** `dub-bridge trigger <source> [event]`: signed test events for a running bridge. */
  trigger?: TriggerAdapter;
  /** Provider-specific `dub-bridge doctor` checks (shown after the secrets). */
  doctor?(config: Config): Check[];
}

/** One provider subcommand: its description, its flags and what it does. */
export interface AdapterCommand {
  /** One line for `register --help` / `unregister --help`. */
  description: string;
  /** Declares the subcommand's flags (including `--url` and `--json`) on the commander command. */
  options(command: Command): Command;
  /** Runs it with commander's parsed options; resolves to the exit code. */
  run(options: any, run: AdapterRun): Promise<number>;
}

/** What a provider command gets besides its options. */
export interface AdapterRun {
  ctx: CliContext;
  /** The provider's registry entry, loaded on demand (most runs need only its event types). */
  provider(): Promise<ProviderDefinition>;
}

/** The events `trigger` can build and sign for a provider (builders and signer live with it). */
export interface TriggerAdapter {
  /** Event types it can send (keys as the provider names them); the first is the default. */
  events: Record<string, TriggerBuilder>;
  /**
   * Set when this provider's events cannot be made here (signed with the provider's private key):
   * why, and what to do instead, from the environment the bridge reads.
   */
  unavailable?(env: Record<string, string | undefined>): string;
  /** A flag naming the account the event comes from (`TriggerInput.account`), when the provider has one. */
  account?: { flags: string; description: string };
  /** A note for `trigger --help` on how this provider reads the shared flags. */
  note?: string;
}
