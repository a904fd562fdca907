import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/child-bridge.js';
import { outboxStates, rig, salesPerInvoice } from './setup.js';
import { checkoutEvent, mixedEvents, sendInBatches } from './stripe-events.js';

const CONCURRENCY = 4;
// Generous against a busy CI machine: a call that merely times out is retried by design, and
// these tests are about crashes and concurrent processes, not slow answers.
const loadEnv = { DELIVERY_CONCURRENCY: String(CONCURRENCY), DUB_TIMEOUT_MS: '4000', LEASE_MS: '10000' };

type Bridge = Awaited<ReturnType<Awaited<ReturnType<typeof rig>>['start']>>;

/** Outbox ids whose attempt failed and was retried, as the bridges logged them. */
const retriedRows = (bridges: Bridge[]) =>
  new Set(bridges.flatMap((b) => b.logs.filter((l) => l.msg === 'delivery failed, will retry').map((l) => l.outboxId as number)));

/** Each row's attempts next to the calls Dub saw for its invoiceId. */
function attemptsAndCalls(r: Awaited<ReturnType<typeof rig>>) {
  const calls = new Map<string, number>();
  for (const c of r.dub.calls('POST', '/track/sale')) calls.set(c.body.invoiceId, (calls.get(c.body.invoiceId) ?? 0) + 1);
  return r.db
    .all<{ id: number; attempts: number; invoice: string }>(`SELECT id, attempts, json_extract(command, '$.body.invoiceId') AS invoice FROM outbox`)
    .map((row) => ({ ...row, calls: calls.get(row.invoice) ?? 0 }));
}

describe('crashes, restarts and shutdown (child processes on one SQLite file)', { timeout: 120_000 }, () => {
  it('SIGKILL during a load of 300 events loses no acknowledged event and sends no sale twice beyond invoiceId dedupe', async () => {
    const r = await rig({ dub: { latencyMs: 15 } });
    const env = loadEnv;
    const events = mixedEvents('kill', 300);
    const acked = new Set<string>();

    // Kill 1: in the middle of ingest (deliveries run alongside).
    let bridge = await r.start(env);
    let killing: Promise<unknown> | null = null;
    const first = bridge;
    for (const id of await sendInBatches(
      events,
      (body) => first.postStripe(body),
      16,
      (n) => {
        if (n === 100) killing = first.kill('SIGKILL');
      },
    ))
      acked.add(id);
    await killing;
    const ackedBeforeKill = acked.size;
    const committedBeforeKill = r.db.get('SELECT count(*) AS n FROM inbox').n as number;

    // Restart; the provider retries what was not acknowledged (some were committed: duplicates).
    bridge = await r.start(env);
    const second = bridge;
    const retried = events.filter((e) => !acked.has(e.id));
    for (const id of await sendInBatches(retried, (body) => second.postStripe(body), 16)) acked.add(id);
    expect(acked.size).toBe(events.length);

    // Kill 2: in the middle of draining the backlog.
    const soldBefore = r.dub.sales.size;
    await waitFor(() => r.dub.sales.size >= Math.min(soldBefore + 40, 280), 30_000, 'delivery to get going');
    await second.kill('SIGKILL');
    const pendingAtKill = outboxStates(r).pending ?? 0;

    bridge = await r.start(env);
    await waitFor(() => outboxStates(r).delivered === events.length, 60_000, 'every row delivered');
    const timedOut = retriedRows([first, second, bridge]).size;

    // Every acknowledged event is in the inbox once and reached Dub.
    expect(r.db.get('SELECT count(*) AS n FROM inbox').n).toBe(events.length);
    expect(outboxStates(r)).toEqual({ delivered: events.length });
    for (const event of events) expect(r.dub.sales.has(event.invoiceId), event.invoiceId).toBe(true);
    // A sale is sent twice only when a process died between Dub's answer and the commit that
    // records it (at most one in-flight call per worker per kill), or after a logged failed
    // attempt; Dub's invoiceId absorbs both.
    const perInvoice = salesPerInvoice(r.dub);
    const resent = [...perInvoice.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(resent).toBeLessThanOrEqual(2 * CONCURRENCY + timedOut);
    expect(r.dub.sales.size).toBe(events.length);
    console.info(
      `[crash-load] sent ${events.length}, acknowledged before kill 1: ${ackedBeforeKill} (committed ${committedBeforeKill}), ` +
        `acknowledged in total: ${acked.size}, pending at kill 2: ${pendingAtKill}, delivered: ${outboxStates(r).delivered}, ` +
        `sales recorded by Dub: ${r.dub.sales.size}, successful /track/sale calls: ${[...perInvoice.values()].reduce((a, b) => a + b, 0)}, ` +
        `re-sends absorbed by invoiceId: ${resent} (rows with a logged failed attempt: ${timedOut})`,
    );
  });

  it('two bridge processes on one database file ingest and deliver, each row once', async () => {
    const r = await rig({ dub: { latencyMs: 10 } });
    const env = { ...loadEnv, LOG_LEVEL: 'debug' };
    const [a, b] = await Promise.all([r.start(env), r.start(env)]);
    const events = mixedEvents('two', 120);
    // Each process gets half, and every event is also redelivered to the other one.
    const [ackA, ackB, dupA, dupB] = await Promise.all([
      sendInBatches(events.slice(0, 60), (body) => a.postStripe(body), 8),
      sendInBatches(events.slice(60), (body) => b.postStripe(body), 8),
      sendInBatches(events.slice(60), (body) => a.postStripe(body), 8),
      sendInBatches(events.slice(0, 60), (body) => b.postStripe(body), 8),
    ]);
    expect(ackA.size + ackB.size).toBe(120);
    expect(dupA.size + dupB.size).toBe(120);
    await waitFor(() => outboxStates(r).delivered === 120, 60_000, 'every row delivered');

    expect(r.db.get('SELECT count(*) AS n FROM outbox').n).toBe(120);
    expect(salesPerInvoice(r.dub).size).toBe(120);
    // Every call to Dub is one claim of one process: never two at once for a row. A second
    // attempt happens only after a logged failure (a call slower than DUB_TIMEOUT_MS).
    const rows = attemptsAndCalls(r);
    for (const row of rows) expect(row.calls, row.invoice).toBe(row.attempts);
    const retried = retriedRows([a, b]);
    for (const row of rows.filter((x) => x.attempts > 1)) expect(retried.has(row.id), `row ${row.id}`).toBe(true);
    const deliveredBy = (bridge: typeof a) => bridge.logs.filter((l) => l.msg === 'delivered').length;
    // A row reads as delivered a moment before its process's log line reaches this test's pipe.
    await waitFor(() => deliveredBy(a) + deliveredBy(b) >= 120, 10_000, 'delivery log lines');
    expect(deliveredBy(a) + deliveredBy(b)).toBe(120);
    expect(deliveredBy(a)).toBeGreaterThan(0);
    expect(deliveredBy(b)).toBeGreaterThan(0);
    console.info(
      `[two-processes] 120 events (+120 redeliveries), delivered by A: ${deliveredBy(a)}, by B: ${deliveredBy(b)}, ` +
        `Dub calls: ${r.dub.calls('POST', '/track/sale').length}, retried after a failed attempt: ${retried.size}`,
    );
  });

  it('SIGTERM with Dub hanging exits within the grace period; the rows stay pending and go out after restart', async () => {
    const r = await rig();
    for (let i = 0; i < CONCURRENCY; i++) r.dub.fail('sale', { hang: true });
    // A long lease: only the release on shutdown lets the restart send them at once.
    const env = { DUB_TIMEOUT_MS: '30000', LEASE_MS: '120000', SHUTDOWN_GRACE_MS: '1000' };
    const bridge = await r.start(env);
    const events = Array.from({ length: CONCURRENCY }, (_, i) => checkoutEvent('term', i));
    for (const event of events) expect((await bridge.postStripe(event.body)).status).toBe(200);
    await waitFor(() => r.dub.calls('POST', '/track/sale').length === CONCURRENCY, 10_000, 'the calls to hang');

    const exiting = bridge.kill('SIGTERM', 1000 + 4000);
    await waitFor(() => bridge.logs.some((l) => l.msg === 'shutting down'), 5000, 'the shutdown to begin');
    // No new webhooks are taken while the in-flight calls get their grace period.
    await expect(bridge.postStripe(checkoutEvent('term', 99).body)).rejects.toThrow();
    expect(await exiting).toEqual({ code: 0, signal: null });
    expect(bridge.logs.find((l) => l.msg === 'dub-bridge stopped')?.unfinishedDeliveries).toBe(CONCURRENCY);
    expect(outboxStates(r)).toEqual({ pending: CONCURRENCY });
    expect(r.db.get('SELECT count(*) AS n FROM outbox WHERE lease_until IS NOT NULL').n).toBe(0);

    await r.start(env);
    await waitFor(() => outboxStates(r).delivered === CONCURRENCY, 15_000, 'delivery after restart');
    expect(r.dub.sales.size).toBe(CONCURRENCY);
  });

  it('after a SIGKILL, rows whose lease was taken are claimed again once LEASE_MS has passed', async () => {
    const r = await rig();
    r.dub.fail('sale', { hang: true });
    const env = { DUB_TIMEOUT_MS: '30000', LEASE_MS: '1500' };
    const bridge = await r.start(env);
    const event = checkoutEvent('lease', 1);
    expect((await bridge.postStripe(event.body)).status).toBe(200);
    await waitFor(() => r.dub.calls('POST', '/track/sale').length === 1, 10_000, 'the call to hang');
    await bridge.kill('SIGKILL');
    expect(r.db.get('SELECT lease_until IS NOT NULL AS leased, attempts FROM outbox')).toEqual({ leased: 1, attempts: 1 });

    await r.start(env);
    await waitFor(() => outboxStates(r).delivered === 1, 15_000, 'the expired lease to be re-claimed');
    expect(r.db.get('SELECT attempts FROM outbox').attempts).toBe(2);
    expect([...r.dub.sales.keys()]).toEqual([event.invoiceId]);
  });
});
