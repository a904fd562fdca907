import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { runCli } from './helpers/run-cli.js';

/**
 * `replay --all-unmapped`: the events the mapper kept as `unmapped` are rebuilt with today's
 * mappers. Three are waiting: one an older build could not read (today's reads it: a sale), one
 * today's ignores, and one whose payload still does not parse (it stays, and the run says so).
 */
let dub: FakeDub;
let bridge: TestBridge;
const readable = stripeFixture('checkout-session-completed-payment');
readable.id = 'evt_cli_unmapped_readable';
const unhandled = {
  id: 'evt_cli_unmapped_unhandled',
  object: 'event',
  type: 'payment_intent.created',
  livemode: false,
  created: 1767225600,
  data: { object: { id: 'pi_cli_1' } },
};
const broken = stripeFixture('checkout-session-completed-payment');
broken.id = 'evt_cli_unmapped_broken';
broken.data.object.amount_total = 'ten dollars';
const stateOf = (eventKey: string) =>
  bridge.query<{ state: string; reason: string | null }>('SELECT state, reason FROM inbox WHERE event_key = ?', eventKey)[0];

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url });
  // Through the real path: signed, stored, and kept as unmapped because its payload does not parse.
  expect((await bridge.postStripe(broken)).status).toBe(200);
  await eventually(() => stateOf(broken.id)?.state === 'unmapped');
  // What an older build left behind: events its mapper could not read, kept with their payloads.
  const writer = new Database(bridge.dbPath);
  const insert = writer.prepare(
    "INSERT INTO inbox (source, event_key, event_type, account, received_at, payload, state, reason, receipt) VALUES ('stripe', ?, ?, NULL, ?, ?, 'unmapped', ?, ?)",
  );
  insert.run(
    readable.id,
    readable.type,
    Date.now() - 60_000,
    JSON.stringify(readable),
    'data.object.total_details: expected an object (older build)',
    'cli-test-1',
  );
  insert.run(unhandled.id, unhandled.type, Date.now() - 60_000, JSON.stringify(unhandled), 'older build: could not read the envelope', 'cli-test-2');
  writer.close();
});
afterAll(async () => {
  await bridge.close();
  await dub.close();
});

test('--all-unmapped lists the unmapped events with --dry-run, then rebuilds them: a sale, an ignored event, one still unmapped (exit 1)', async () => {
  const env = { DATABASE_PATH: bridge.dbPath, DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url };
  const preview = await runCli(['replay', '--all-unmapped', '--dry-run'], env);
  expect(preview.code).toBe(0);
  expect(preview.stdout).toContain("would rebuild 3 unmapped events with today's mappers");
  expect(preview.stdout).toMatch(/#\d+ stripe checkout\.session\.completed {2}evt_cli_unmapped_broken {2}\S/);
  expect(preview.stdout).toContain('evt_cli_unmapped_readable');
  expect(stateOf(readable.id)?.state).toBe('unmapped');

  const run = await runCli(['replay', '--all-unmapped', '--wait', '--json'], env);
  expect(run.code).toBe(1);
  const report = JSON.parse(run.stdout);
  expect(report).toMatchObject({ events: 3, mapped: 1, ignored: 1, stillUnmapped: 1, added: 1, finished: { states: { delivered: 1 }, timedOut: false } });
  expect(report.problems).toEqual([expect.stringMatching(/^event evt_cli_unmapped_broken: raw payload does not map .*; it stays unmapped$/)]);

  expect(stateOf(readable.id)).toEqual({ state: 'mapped', reason: null });
  expect(stateOf(unhandled.id)).toEqual({ state: 'ignored', reason: 'unhandled event type payment_intent.created' });
  expect(stateOf(broken.id)?.state).toBe('unmapped');
  const sale = dub.calls('POST', '/track/sale').at(-1)!.body;
  expect(sale).toMatchObject({ paymentProcessor: 'stripe', invoiceId: readable.data.object.payment_intent });
  expect(sale.metadata.stripeEventId).toBe(readable.id);

  // Again: only the one that still does not map is left, and nothing new is sent.
  const again = await runCli(['replay', '--all-unmapped'], env);
  expect(again.code).toBe(1);
  expect(again.stdout).toContain('rebuilt 1 unmapped event: 0 mapped (0 new commands), 0 ignored, 1 still unmapped');
  expect(dub.calls('POST', '/track/sale')).toHaveLength(1);
});

test('--all-unmapped is a selection of its own: with another one it is a usage error (2)', async () => {
  const run = await runCli(['replay', '--all-unmapped', '--all-dead'], { DATABASE_PATH: bridge.dbPath });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('exactly one of --id, --event, --from/--to, --all-dead, --all-dry-run or --all-unmapped');
});
