import { describe, expect, it } from 'vitest';
import { replay } from '../../src/ops/replay.js';
import { waitFor } from '../helpers/child-bridge.js';
import { outboxStates, rig, rigConfig, salesPerInvoice, type OutboxView } from './setup.js';
import { checkoutEvent } from './stripe-events.js';

/** Posts one checkout and waits until its sale row is no longer pending. */
async function deliverOne(r: Awaited<ReturnType<typeof rig>>, bridge: Awaited<ReturnType<Awaited<ReturnType<typeof rig>>['start']>>, run: string) {
  const event = checkoutEvent(run, 1);
  expect((await bridge.postStripe(event.body)).status).toBe(200);
  const row = await waitFor(() => r.db.get<OutboxView | undefined>(`SELECT * FROM outbox WHERE state <> 'pending'`), 15_000, 'the sale to leave pending');
  return { event, row };
}

describe('Dub failures are retried (child process against a fault-injecting fake Dub)', { timeout: 60_000 }, () => {
  it('retries 500 and 503 until Dub accepts, then records one sale', async () => {
    const r = await rig();
    r.dub.fail('sale', { status: 500 }, { status: 503 });
    const bridge = await r.start();
    const { event, row } = await deliverOne(r, bridge, 'r5xx');
    expect(row).toMatchObject({ state: 'delivered', attempts: 3, last_error: null });
    expect(r.dub.calls('POST', '/track/sale').map((c) => c.status)).toEqual([500, 503, 200]);
    expect([...r.dub.sales.keys()]).toEqual([event.invoiceId]);
  });

  it('retries a reset connection', async () => {
    const r = await rig();
    r.dub.fail('sale', { reset: true });
    const bridge = await r.start();
    const { row } = await deliverOne(r, bridge, 'reset');
    expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(bridge.logs.some((l) => l.msg === 'delivery failed, will retry')).toBe(true);
  });

  it('gives up on a call that hangs past DUB_TIMEOUT_MS and retries it', async () => {
    const r = await rig();
    r.dub.fail('sale', { hang: true });
    const bridge = await r.start({ DUB_TIMEOUT_MS: '300' });
    const { row } = await deliverOne(r, bridge, 'hang');
    expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
    const retried = bridge.logs.find((l) => l.msg === 'delivery failed, will retry');
    expect(retried?.error).toBe('Dub did not answer within 300 ms');
  });

  it('a slow answer that arrives after the timeout is sent again, and Dub keeps one sale per invoiceId', async () => {
    const r = await rig();
    r.dub.fail('sale', { delayMs: 1200 });
    const bridge = await r.start({ DUB_TIMEOUT_MS: '300' });
    const { event, row } = await deliverOne(r, bridge, 'slow');
    await waitFor(() => r.dub.calls('POST', '/track/sale').every((c) => c.status), 5000, 'the slow call to finish');
    expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(salesPerInvoice(r.dub).get(event.invoiceId)).toBe(2);
    expect(r.dub.sales.size).toBe(1);
  });

  it.each([
    ['a millisecond epoch (Dub)', (at: number) => String(at)],
    ['seconds', (at: number) => String(Math.ceil((at - Date.now()) / 1000))],
    ['an HTTP date', (at: number) => new Date(Math.ceil(at / 1000) * 1000).toUTCString()],
  ])('waits as long as a 429 Retry-After given as %s asks, without using up an attempt', async (_name, header) => {
    const r = await rig();
    const bridge = await r.start();
    const resetAt = Date.now() + 1500;
    r.dub.fail('sale', { status: 429, headers: { 'retry-after': header(resetAt) } });
    const { row } = await deliverOne(r, bridge, 'r429');
    const [limited, accepted] = r.dub.calls('POST', '/track/sale');
    expect(limited!.status).toBe(429);
    // Seconds round to whole seconds: the retry is no earlier than the time Dub named (1 s slack for that).
    expect(accepted!.at).toBeGreaterThanOrEqual(resetAt - 1000);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(400);
    expect(row).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('drains a backlog through Dub 429s with none lost or dead-lettered', async () => {
    const r = await rig({ dub: { rateLimit: 5, rateWindowMs: 1000 } });
    const bridge = await r.start({ DUB_RATE_LIMIT_PER_MINUTE: '1200' });
    for (let i = 0; i < 20; i++) expect((await bridge.postStripe(checkoutEvent('burst', i).body)).status).toBe(200);
    await waitFor(() => r.dub.sales.size === 20, 25_000, '20 sales');
    expect(r.dub.rejected429).toBeGreaterThan(0);
    await waitFor(() => outboxStates(r).delivered === 20, 5000, 'all rows marked');
    expect(outboxStates(r)).toEqual({ delivered: 20 });
  });

  it("DUB_RATE_LIMIT_PER_MINUTE below Dub's limit spaces calls so Dub never answers 429", async () => {
    const r = await rig({ dub: { rateLimit: 5, rateWindowMs: 1000 } });
    const bridge = await r.start({ DUB_RATE_LIMIT_PER_MINUTE: '180' });
    for (let i = 0; i < 12; i++) expect((await bridge.postStripe(checkoutEvent('paced', i).body)).status).toBe(200);
    await waitFor(() => outboxStates(r).delivered === 12, 25_000, '12 deliveries');
    expect(r.dub.rejected429).toBe(0);
  });
});

describe('401/403 pause delivery instead of dead-lettering', { timeout: 60_000 }, () => {
  it('keeps rows pending, says so in logs, /healthz and metrics, and resumes once Dub accepts the key', async () => {
    const r = await rig();
    r.dub.setAcceptedKey('dub_rotated_key_0123456789');
    const bridge = await r.start();
    for (let i = 0; i < 5; i++) expect((await bridge.postStripe(checkoutEvent('pause', i).body)).status).toBe(200);

    const health = await waitFor(
      async () => {
        const body = await (await fetch(`${bridge.url}/healthz`)).json();
        return body.delivery.status === 'paused' ? body : null;
      },
      10_000,
      'a paused /healthz',
    );
    expect(health.delivery.reason).toContain('401');
    expect(await (await fetch(`${bridge.url}/metrics`)).text()).toMatch(/^dub_bridge_delivery_paused 1$/m);
    expect(bridge.logs.filter((l) => l.level === 'error' && String(l.msg).includes('PAUSED'))).toHaveLength(1);
    // A few probes later, still nothing dead and nothing delivered.
    await waitFor(() => r.dub.calls('POST', '/track/sale').length >= 3, 10_000, 'probes');
    expect(outboxStates(r)).toEqual({ pending: 5 });
    expect(r.db.get('SELECT max(attempts) AS n FROM outbox').n).toBeLessThanOrEqual(1);

    r.dub.setAcceptedKey(r.dub.apiKey);
    await waitFor(() => outboxStates(r).delivered === 5, 10_000, 'delivery to resume');
    const after = await (await fetch(`${bridge.url}/healthz`)).json();
    expect(after.delivery).toEqual({ status: 'running' });
    expect(await (await fetch(`${bridge.url}/metrics`)).text()).toMatch(/^dub_bridge_delivery_paused 0$/m);
    expect(bridge.logs.some((l) => l.msg === 'Dub accepted the API key again: delivery resumed')).toBe(true);
    expect(r.dub.sales.size).toBe(5);
  });
});

describe('dead letters', { timeout: 60_000 }, () => {
  it("a 422 is dead-lettered with Dub's error, listed for `status`, and delivered by replay after the fix", async () => {
    const r = await rig();
    r.dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: 'Customer is on a plan without sales tracking' } } });
    const bridge = await r.start();
    const { event, row } = await deliverOne(r, bridge, 'dead');
    expect(row.state).toBe('dead');
    expect(row.last_error).toBe('422 unprocessable_entity: Customer is on a plan without sales tracking');
    expect(r.dub.calls('POST', '/track/sale')).toHaveLength(1);

    const store = r.store();
    const [dead] = await store.listDeadLetters(10);
    expect(dead).toMatchObject({ id: row.id, eventKey: event.id, kind: 'sale', lastError: row.last_error, attempts: 1 });

    // The cause is fixed on Dub's side (the fake no longer refuses): replay by outbox id.
    const report = await replay({ by: 'ids', ids: [row.id] }, {}, { store, config: rigConfig(r), now: Date.now });
    expect(report).toMatchObject({ matched: 1, requeued: 1, problems: [] });
    await waitFor(() => outboxStates(r).delivered === 1, 10_000, 'the replayed row');
    expect([...r.dub.sales.keys()]).toEqual([event.invoiceId]);
    expect(await store.listDeadLetters(10)).toEqual([]);
  });

  it('replay with remap rebuilds a command an older mapper got wrong from the stored raw event', async () => {
    const r = await rig();
    r.dub.fail('sale', { status: 422 });
    const bridge = await r.start();
    const { event, row } = await deliverOne(r, bridge, 'remap');
    // What an older, buggy mapper would have stored: an upper-case currency Dub refuses.
    r.db.run(`UPDATE outbox SET command = json_set(command, '$.body.currency', 'USD') WHERE id = ?`, row.id);
    const store = r.store();
    const deps = { store, config: rigConfig(r), now: Date.now };

    expect(await replay({ by: 'event', event: event.id }, {}, deps)).toMatchObject({ requeued: 1, remapped: 0 });
    await waitFor(() => outboxStates(r).dead === 1, 10_000, 'the stored command to fail again');
    expect(r.db.get<OutboxView>('SELECT * FROM outbox WHERE id = ?', row.id).last_error).toContain('stored command is invalid');

    expect(await replay({ by: 'event', event: event.id }, { remap: true }, deps)).toMatchObject({ requeued: 1, remapped: 1, added: 0 });
    await waitFor(() => outboxStates(r).delivered === 1, 10_000, 'the rebuilt command');
    const sent = r.dub.calls('POST', '/track/sale').at(-1)!;
    expect(sent.body).toMatchObject({ invoiceId: event.invoiceId, currency: 'usd', amount: 10000 });
    expect(r.db.get('SELECT count(*) AS n FROM outbox').n).toBe(1);
  });
});
