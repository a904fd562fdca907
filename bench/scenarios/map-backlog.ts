import { startChild, type ChildServer } from '../child.js';
import { bridgeEnv, countRows, tempDatabase, type BenchContext } from '../context.js';
import { stripeCheckouts } from '../events.js';
import { runLoad, type LoadResult } from '../load.js';
import { cpuTimes, othersCores, waitForQuiet } from '../machine-load.js';

export interface MapBacklogResult {
  kind: 'map-backlog';
  name: 'map-backlog';
  events: number;
  /** The burst, acknowledged over HTTP with mapping held back. */
  ingest: LoadResult;
  /** What the mapper reported for its one drain. */
  mapped: number;
  unmapped: number;
  queued: number;
  drainS: number;
  perSecond: number;
  /** The bridge process's CPU time per mapped event, and over the drain's wall time. */
  cpuUsPerEvent: number;
  busy: number;
  inboxByState: Record<string, number>;
  outboxByState: Record<string, number>;
  /** Cores' worth of CPU other processes used during the drain. */
  othersCores: number | null;
}

interface MapAnswer {
  mapped: number;
  unmapped: number;
  queued: number;
  ms: number;
  cpuUs: number;
}

/** Hard bound of the burst's ingest: it is setup, never measured against a target. */
const INGEST_BOUND_S = 300;

/**
 * 7. Record first means a flash sale's webhooks are acknowledged before they are mapped: how fast
 * does the mapper turn a burst of acknowledged `received` events into outbox rows afterwards?
 * `--map-events` unique Stripe checkouts go through the bridge's real HTTP path (verify, identify,
 * one insert, ack) with mapping held back (`servers/bridge-held.ts`); then the mapper that the
 * dispatcher runs before each claim drains them, timed inside the bridge process, pinned to one
 * core. No dispatcher runs in that process: the drain is the mapper alone.
 */
export async function mapBacklog(ctx: BenchContext): Promise<MapBacklogResult> {
  const { mapEvents: events, connections } = ctx.options;
  const db = tempDatabase();
  let bridge: ChildServer | undefined;
  try {
    bridge = await startChild('bridge-held', bridgeEnv(ctx, db.path), ctx.serverCpu);
    ctx.log(`map-backlog: acknowledging ${events} events with mapping held back`);
    const ingest = await runLoad({
      url: `http://127.0.0.1:${bridge.port}`,
      path: '/webhooks/stripe',
      connections,
      amount: events,
      durationS: INGEST_BOUND_S,
      next: stripeCheckouts(`${ctx.runId}m`),
    });
    ctx.log(`map-backlog: ${ingest.ok} acknowledged; draining them through the mapper`);
    if (ctx.options.quietWaitS > 0) await waitForQuiet(ctx.options.quietWaitS, 0.25, ctx.log);
    const machineBefore = cpuTimes();
    const benchBefore = process.cpuUsage();
    const answer = await bridge.ask<MapAnswer>('map');
    const bench = process.cpuUsage(benchBefore);
    const others = othersCores(machineBefore, cpuTimes(), (answer.cpuUs + bench.user + bench.system) / 1e6);
    await bridge.stop();
    const { inboxByState, outboxByState } = countRows(db.path);
    const drainS = answer.ms / 1000;
    return {
      kind: 'map-backlog',
      name: 'map-backlog',
      events,
      ingest,
      mapped: answer.mapped,
      unmapped: answer.unmapped,
      queued: answer.queued,
      drainS,
      perSecond: (answer.mapped + answer.unmapped) / drainS,
      cpuUsPerEvent: answer.cpuUs / Math.max(answer.mapped + answer.unmapped, 1),
      busy: answer.cpuUs / 1e6 / drainS,
      inboxByState,
      outboxByState,
      othersCores: others,
    };
  } finally {
    await bridge?.stop();
    db.remove();
  }
}
