import type { Context } from 'hono';
import type { Store } from '../db/store.js';
import type { OpsQueries } from '../ops/queries.js';
import type { DispatcherStatus } from '../deliver/dispatcher.js';
import type { ReplayOptions, ReplayReport, ReplaySelector } from '../ops/replay.js';

/**
 * What the console needs from the bridge, injected by whoever mounts it (`createConsole(deps)`),
 * so it runs the same on Node and on Workers and tests can pass their own.
 */
export interface ConsoleDeps {
  store: Pick<Store, 'stats'>;
  /** `opsQueries(db)` over the bridge's drizzle database. */
  queries: OpsQueries;
  /** The console is built only when CONSOLE_TOKEN is set. */
  config: { CONSOLE_TOKEN?: string | undefined };
  now: () => number;
  /**
   * `replay(selector, options, { store, config, now })` from src/ops/replay.ts, followed by
   * starting delivery for the requeued rows (the context lets Workers use `waitUntil`).
   */
  replay: (selector: ReplaySelector, options: ReplayOptions, c: Context) => Promise<ReplayReport>;
  /** This process's (isolate's) dispatcher: running, or paused by a refused key. */
  dispatcherStatus: () => DispatcherStatus;
  /** `dry_run` when no DUB_API_KEY is set: commands are recorded, not sent. Default `live`. */
  deliveryMode?: 'live' | 'dry_run';
}

/** Request variables the console's middleware sets. */
export type ConsoleEnv = { Variables: { csrf: string } };
