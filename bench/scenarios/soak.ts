import { statSync } from 'node:fs';
import { startChild, type ChildServer } from '../child.js';
import { bridgeEnv, countRows, tempDatabase, type BenchContext } from '../context.js';
import { stripeCheckouts } from '../events.js';
import { runLoad, type LoadResult } from '../load.js';

export interface SoakSample {
  atS: number;
  acknowledged: number;
  rssMB: number;
  /** V8's heap: what JavaScript objects use, and what V8 reserved for them (its share of RSS). */
  heapUsedMB: number;
  heapTotalMB: number;
  databaseMB: number;
}

export interface SoakResult {
  kind: 'soak';
  name: 'soak';
  events: number;
  load: LoadResult;
  recorded: number;
  samples: SoakSample[];
  rssMB: { first: number; min: number; max: number; last: number };
  heapTotalMaxMB: number;
  databaseMB: number;
  timedOut: boolean;
}

const MB = 1024 * 1024;
const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/**
 * 6. Many unique events into one bridge process, as fast as it acks them, bounded in time (the
 * run stops at `--soak-max-seconds` if the events are not all in by then): RSS, V8's heap and
 * the database (file + WAL) sampled every second, to show memory stays flat while the data
 * grows on disk.
 */
export async function soak(ctx: BenchContext): Promise<SoakResult> {
  const { soakEvents, soakMaxS, connections } = ctx.options;
  const db = tempDatabase();
  const samples: SoakSample[] = [];
  let bridge: ChildServer | undefined;
  try {
    bridge = await startChild('bridge', bridgeEnv(ctx, db.path), ctx.serverCpu);
    const { ask, port } = bridge;
    const started = performance.now();
    const sample = async (acknowledged: number) => {
      const memory = await ask<NodeJS.MemoryUsage>('memory');
      samples.push({
        atS: Math.round((performance.now() - started) / 100) / 10,
        acknowledged,
        rssMB: memory.rss / MB,
        heapUsedMB: memory.heapUsed / MB,
        heapTotalMB: memory.heapTotal / MB,
        databaseMB: (fileSize(db.path) + fileSize(`${db.path}-wal`)) / MB,
      });
    };
    ctx.log(`soak: ${soakEvents} events, at most ${soakMaxS}s`);
    await sample(0);
    const load = await runLoad({
      url: `http://127.0.0.1:${port}`,
      path: '/webhooks/stripe',
      connections,
      amount: soakEvents,
      durationS: soakMaxS,
      next: stripeCheckouts(`${ctx.runId}s`),
      onTick: (acknowledged) => void sample(acknowledged),
    });
    await sample(load.ok);
    await bridge.stop();
    const rss = samples.map((s) => s.rssMB);
    return {
      kind: 'soak',
      name: 'soak',
      events: soakEvents,
      load,
      recorded: countRows(db.path).inbox,
      samples,
      rssMB: { first: rss[0]!, min: Math.min(...rss), max: Math.max(...rss), last: rss.at(-1)! },
      heapTotalMaxMB: Math.max(...samples.map((s) => s.heapTotalMB)),
      databaseMB: samples.at(-1)!.databaseMB,
      timedOut: load.ok < soakEvents,
    };
  } finally {
    await bridge?.stop();
    db.remove();
  }
}
