import { env } from 'cloudflare:workers';
import { expect, test } from 'vitest';
import { runRetention } from '../../src/db/scrub.js';
import { createD1Store } from '../../src/runtime/d1-store.js';
import { rows } from './harness.js';

/** Retention's batched statements on D1 (the hourly Cron run calls exactly this). */
const DAY = 86_400_000;

test('on D1, retention prunes old payloads and personal fields and deletes finished events, batch by batch', async () => {
  const store = createD1Store(env.DB);
  const now = Date.now();
  for (const [name, ageDays, state] of [
    ['old_a', 100, 'delivered'],
    ['old_b', 100, 'delivered'],
    ['old_dead', 100, 'dead'],
    ['month', 40, 'delivered'],
    ['new', 1, 'delivered'],
  ] as const) {
    const receivedAt = now - ageDays * DAY;
    const command = JSON.stringify({
      kind: 'lead',
      body: { clickId: 'cl_1', eventName: 'Sign up', customerExternalId: name, customerEmail: `${name}@example.com` },
    });
    await store.recordEvent({
      inbox: {
        source: 'stripe',
        eventKey: `evt_${name}`,
        eventType: 'test',
        account: null,
        receivedAt,
        payload: '{"email":"ada@example.com"}',
        state: 'mapped',
        reason: null,
      },
      outbox: [{ kind: 'lead', idempotencyKey: `lead:${name}`, customerKey: name, command, rank: 1, dueAt: receivedAt }],
      links: [],
    });
    await env.DB.prepare('UPDATE outbox SET state = ? WHERE idempotency_key = ?').bind(state, `lead:${name}`).run();
  }

  const options = { retentionDays: 30, rowRetentionDays: 90, now, batchSize: 1, maxBatches: 2 };
  // Two batches of one row per run: the first run stops early, later runs go on until done.
  const runs = [await runRetention(store, options)];
  expect(runs[0]).toMatchObject({ payloads: 2, commands: 2, deletedInbox: 2, complete: false });
  while (!runs.at(-1)!.complete && runs.length < 5) runs.push(await runRetention(store, options));
  expect(runs.at(-1)!.complete).toBe(true);
  expect(runs.reduce((sum, run) => sum + run.deletedOutbox, 0)).toBe(2);

  expect(
    await rows(`SELECT i.event_key AS event, i.payload IS NULL AS pruned, o.state, o.scrubbed_at IS NOT NULL AS scrubbed,
      json_type(o.command, '$.body.customerEmail') IS NULL AS noEmail FROM inbox i JOIN outbox o ON o.inbox_id = i.id ORDER BY i.id`),
  ).toEqual([
    { event: 'evt_old_dead', pruned: 1, state: 'dead', scrubbed: 1, noEmail: 1 },
    { event: 'evt_month', pruned: 1, state: 'delivered', scrubbed: 1, noEmail: 1 },
    { event: 'evt_new', pruned: 0, state: 'delivered', scrubbed: 0, noEmail: 0 },
  ]);
});
