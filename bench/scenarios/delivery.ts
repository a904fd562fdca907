import { parseConfig } from '../../src/config.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { ingestStripe } from '../../test/helpers/ingest.js';
import { startChild } from '../child.js';
import { bridgeEnv, countRows, DUB_KEY, tempDatabase, type BenchContext } from '../context.js';
import { checkoutBodies } from '../events.js';

export interface DeliveryResult {
  kind: 'delivery';
  name: 'delivery';
  backlog: number;
  limitPerMinute: number;
  concurrency: number;
  dubDelayMs: number;
  seedS: number;
  accepted: number;
  rejected429: number;
  /** From Dub's first accepted call to its last. */
  durationS: number;
  achievedPerMinute: number;
  /** Outbox rows by state once the bridge stopped. */
  outboxByState: Record<string, number>;
  timedOut: boolean;
}

interface FakeDubStats {
  accepted: number;
  rejected429: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Writes the backlog through the real ingest pipeline (one sale row each) before the bridge
 * starts. This is setup, not measured: NORMAL durability keeps it quick.
 */
async function seedBacklog(ctx: BenchContext, path: string) {
  const { store, close } = openSqliteStore({ path, migrationsFolder: migrationsFolder(), createDirectory: false, synchronous: 'NORMAL' });
  const nextBody = checkoutBodies(`${ctx.runId}d`);
  const config = parseConfig(bridgeEnv(ctx, path));
  const { backlog } = ctx.options;
  const deps = { store, provisionalHoldMs: config.PROVISIONAL_SALE_HOLD_MS, now: Date.now };
  const route = { tenant: null, testEvents: config.TEST_EVENTS };
  try {
    for (let done = 0; done < backlog; ) {
      const batch = Array.from({ length: Math.min(500, backlog - done) }, () => nextBody());
      await Promise.all(batch.map((body) => ingestStripe(JSON.parse(body), body, deps, route)));
      done += batch.length;
    }
  } finally {
    close();
  }
}

/**
 * 5. A backlog drained by the real bridge into a fake Dub enforcing a per-minute limit, with the
 * bridge's DUB_RATE_LIMIT_PER_MINUTE set to the same limit: how close to the limit it gets, and
 * how many 429s it provokes on the way.
 */
export async function delivery(ctx: BenchContext): Promise<DeliveryResult> {
  const { backlog, rateLimitPerMinute: limit, deliveryConcurrency: concurrency, dubDelayMs } = ctx.options;
  const db = tempDatabase();
  const seedStart = performance.now();
  ctx.log(`delivery: seeding ${backlog} outbox rows`);
  await seedBacklog(ctx, db.path);
  const seedS = (performance.now() - seedStart) / 1000;
  const dub = await startChild(
    'fake-dub',
    { FAKE_DUB_KEY: DUB_KEY, FAKE_DUB_RATE_PER_MINUTE: String(limit), FAKE_DUB_DELAY_MS: String(dubDelayMs) },
    ctx.clientCpu,
  );
  const boundMs = (backlog / limit) * 60_000 * 1.5 + 30_000;
  ctx.log(`delivery: draining at up to ${limit}/min, concurrency ${concurrency}, bound ${Math.round(boundMs / 1000)}s`);
  const bridge = await startChild(
    'bridge',
    bridgeEnv(ctx, db.path, {
      DUB_API_KEY: DUB_KEY,
      DUB_API_URL: `http://127.0.0.1:${dub.port}`,
      DUB_RATE_LIMIT_PER_MINUTE: String(limit),
      DELIVERY_CONCURRENCY: String(concurrency),
    }),
    ctx.serverCpu,
  );
  const deadline = Date.now() + boundMs;
  let stats = await dub.ask<FakeDubStats>('stats');
  try {
    while (stats.accepted < backlog && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      stats = await dub.ask<FakeDubStats>('stats');
    }
  } finally {
    await bridge.stop();
    await dub.stop();
  }
  const { outboxByState } = countRows(db.path);
  db.remove();
  const durationS = Math.max(stats.lastAt - stats.firstAt, 1) / 1000;
  return {
    kind: 'delivery',
    name: 'delivery',
    backlog,
    limitPerMinute: limit,
    concurrency,
    dubDelayMs,
    seedS,
    accepted: stats.accepted,
    rejected429: stats.rejected429,
    durationS,
    achievedPerMinute: (stats.accepted / durationS) * 60,
    outboxByState,
    timedOut: stats.accepted < backlog,
  };
}
