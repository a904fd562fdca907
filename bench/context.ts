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

/**
 * The bridge's environment for a benchmark: both providers configured, logging at info as shipped,
 * and DRY_RUN=1 without DUB_API_KEY: events are stored, mapped and then claimed and finished by the
 * dispatcher at the default DUB_RATE_LIMIT_PER_MINUTE, as with a key in production, minus the HTTP
 * calls (the delivery scenario makes those). Without DRY_RUN, rows of a missing key stay pending
 * and every claim walks all of them (docs/performance.md), which production with a key never does.
 */
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
    DRY_RUN: '1',
    ...ctx.options.bridgeEnv,
    ...extra,
  };
}

/** Events acknowledged and not mapped yet, read while the bridge runs (WAL lets a reader in). */
export function countReceived(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM inbox WHERE state = 'received'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Reads counts from a bridge's database file after its process stopped. */
export function countRows(databasePath: string): { inbox: number; inboxByState: Record<string, number>; outboxByState: Record<string, number> } {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  const byState = (table: string) =>
    Object.fromEntries(
      (db.prepare(`SELECT state, count(*) AS n FROM ${table} GROUP BY state`).all() as Array<{ state: string; n: number }>).map((s) => [s.state, s.n]),
    );
  try {
    const inboxByState = byState('inbox');
    return {
      inbox: Object.values(inboxByState).reduce((a, b) => a + b, 0),
      inboxByState,
      outboxByState: byState('outbox'),
    };
  } finally {
    db.close();
  }
}
