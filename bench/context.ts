import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../test/helpers/signers.js';
import type { BenchOptions } from './options.js';

/** What every scenario gets: the options, where servers and helpers run, a unique run id. */
export interface BenchContext {
  options: BenchOptions;
  /** Core for the server under test (undefined: not pinned). */
  serverCpu: number | undefined;
  /** Core shared by the load generator and helper servers (fake Dub). */
  clientCpu: number | undefined;
  runId: string;
  log: (line: string) => void;
}

export const DUB_KEY = 'dub_bench_key_0123456789';

/** A fresh SQLite path for one bridge run, and a way to remove it (the soak's file is GBs). */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-bench-'));
  return { path: join(dir, 'bridge.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The bridge's environment for a benchmark: both providers configured, logging at info as shipped. */
export function bridgeEnv(ctx: BenchContext, databasePath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SQLITE_SYNCHRONOUS: ctx.options.synchronous,
    NODE_OPTIONS: ctx.options.bridgeNodeOptions,
    PORT: '0',
    DATABASE_PATH: databasePath,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    LOG_LEVEL: 'info',
    DUB_API_KEY: '',
    ...extra,
  };
}

/** Reads counts from a bridge's database file after its process stopped. */
export function countRows(databasePath: string): { inbox: number; outboxByState: Record<string, number> } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const states = db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>;
    return {
      inbox: (db.prepare('SELECT count(*) AS n FROM inbox').get() as { n: number }).n,
      outboxByState: Object.fromEntries(states.map((s) => [s.state, s.n])),
    };
  } finally {
    db.close();
  }
}
