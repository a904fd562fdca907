import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../helpers/signers.js';
import { runCli } from './helpers/run-cli.js';

/**
 * `status`, `events`, `replay` and `doctor` run as child processes against the SQLite file of a
 * real bridge that ingested signed webhooks and delivered them to the fake Dub.
 */
let dub: FakeDub;
let bridge: TestBridge;
const checkout = stripeFixture('checkout-session-completed-payment');
const order = JSON.parse(readFileSync(new URL('../fixtures/shopify/orders-paid.json', import.meta.url), 'utf8'));
const SHOPIFY_EVENT_ID = 'd1f3c6a0-5b7e-4c1a-9f00-cli000000001';
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, {
    DATABASE_PATH: bridge.dbPath,
    DUB_API_KEY: dub.apiKey,
    DUB_API_URL: dub.url,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    ...env,
  });
const stateOf = (kind: string, eventKeyLike: string) =>
  bridge.query<{ id: number; state: string }>(
    'SELECT o.id, o.state FROM outbox o JOIN inbox i ON i.id = o.inbox_id WHERE o.kind = ? AND i.event_key LIKE ?',
    kind,
    eventKeyLike,
  )[0];

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url });
  expect((await bridge.postStripe(checkout)).status).toBe(200);
  await eventually(() => stateOf('sale', checkout.id)?.state === 'delivered');
  // Dub refuses the Shopify sale once (422): a dead letter with Dub's reason.
  dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: 'invoiceId belongs to another customer' } } });
  expect((await bridge.postShopify(order, { topic: 'orders/paid', eventId: SHOPIFY_EVENT_ID })).status).toBe(200);
  await eventually(() => stateOf('sale', `%${SHOPIFY_EVENT_ID}`)?.state === 'dead');
  const unhandled = {
    id: 'evt_cli_unhandled_1',
    object: 'event',
    type: 'payment_intent.created',
    livemode: false,
    created: 1767225600,
    data: { object: { id: 'pi_1' } },
  };
  expect((await bridge.postStripe(unhandled)).status).toBe(200);
});
afterAll(async () => {
  await bridge.close();
  await dub.close();
});

describe('status', () => {
  test("shows counts, the dead letter with Dub's reason, and that delivery runs", async () => {
    const run = await cli(['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/events\s+3/);
    expect(run.stdout).toMatch(/dead 1/);
    expect(run.stdout).toMatch(/delivery\s+running/);
    expect(run.stdout).toContain('422 unprocessable_entity: invoiceId belongs to another customer');
    expect(run.stdout).toContain(`shopify sale  event`);

    const json = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(json).toMatchObject({ events: 3, commands: { dead: 1, pending: 0 }, delivery: { status: 'running' }, oldestPendingAgeSeconds: null });
    expect(json.deadLetters).toEqual([
      expect.objectContaining({ source: 'shopify', kind: 'sale', eventType: 'orders/paid', lastError: expect.stringContaining('422') }),
    ]);
  });
});

describe('events', () => {
  test('list filters by source and by event or command state', async () => {
    const all = await cli(['events', 'list']);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n')).toHaveLength(3);
    expect(all.stdout).toContain('unhandled event type payment_intent.created');

    const dead = await cli(['events', 'list', '--state', 'dead', '--json']);
    expect(JSON.parse(dead.stdout).map((e: { eventType: string }) => e.eventType)).toEqual(['orders/paid']);
    const stripeOnly = JSON.parse((await cli(['events', 'list', '--source', 'stripe', '--limit', '5', '--json'])).stdout);
    expect(stripeOnly.map((e: { eventKey: string }) => e.eventKey)).toEqual(['evt_cli_unhandled_1', checkout.id]);
  });

  test('show finds an event by provider id and prints its commands with personal data masked', async () => {
    const run = await cli(['events', 'show', checkout.id]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('checkout.session.completed');
    expect(run.stdout).toMatch(/#\d+ sale\s+delivered\s+attempts 1/);
    expect(run.stdout).toContain('a***@example.com');
    expect(run.stdout).not.toContain('ada@example.com');
    expect(run.stdout).not.toContain('Lovelace');

    const shopify = JSON.parse((await cli(['events', 'show', SHOPIFY_EVENT_ID, '--payload', '--json'])).stdout);
    expect(shopify).toMatchObject({ source: 'shopify', type: 'orders/paid', state: 'mapped' });
    expect(shopify.commands).toEqual([expect.objectContaining({ kind: 'sale', state: 'dead', lastError: expect.stringContaining('422') })]);
    expect(JSON.stringify(shopify)).not.toContain('jane.doe@example.com');
    expect(shopify.payload.email).toBe('j***@example.com');

    const missing = await cli(['events', 'show', 'evt_never_seen']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no event evt_never_seen');
  });
});

describe('doctor', () => {
  test('ok with a reachable, migrated database and an accepted Dub key; dead letters only warn', async () => {
    const run = await cli(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok\s+config/m);
    expect(run.stdout).toMatch(/^warn\s+database: .* migrated .* 1 dead/m);
    expect(run.stdout).toMatch(/^ok\s+dub: .* accepted the API key/m);
    expect(run.stdout).toMatch(/^ok\s+stripe: STRIPE_WEBHOOK_SECRET set/m);
  });

  test('a key Dub refuses fails (exit 1) naming DUB_API_KEY; no key fails naming it too; DRY_RUN=1 is a clear dry-run warning', async () => {
    const refused = await cli(['doctor'], { DUB_API_KEY: 'dub_wrong_key_0000000' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^fail\s+dub: .* refused the API key \(401.*\); fix DUB_API_KEY/m);

    const noKey = await cli(['doctor'], { DUB_API_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toMatch(/^fail\s+dub: no key: DUB_API_KEY is not set, so commands are kept pending/m);

    const dryRun = await cli(['doctor'], { DUB_API_KEY: '', DRY_RUN: '1' });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^warn\s+dub: DRY RUN \(DRY_RUN=1, no DUB_API_KEY\): commands are recorded and logged, not sent/m);
  });

  test('every failure line names the variable to fix', async () => {
    const run = await cli(['doctor'], { DUB_API_KEY: 'dub_wrong_key_0000000', DUB_API_URL: 'http://127.0.0.1:9', DUB_TIMEOUT_MS: '500' });
    const failures = run.stdout.split('\n').filter((line) => line.startsWith('fail'));
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures) expect(line).toMatch(/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b/);
    expect(failures.join('\n')).toContain('DUB_API_URL');
  });
});

describe('replay', () => {
  test('needs exactly one selection (usage error); --dry-run lists without changing anything', async () => {
    const [none, two] = await Promise.all([cli(['replay']), cli(['replay', '--all-dead', '--id', '1'])]);
    expect(none.code).toBe(2);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('exactly one of --id, --event, --from/--to, --all-dead, --all-dry-run or --all-unmapped');
    const dry = await cli(['replay', '--all-dead', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would replay 1 command\n\s+#\d+ shopify sale\s+dead\s+422/);
    expect(stateOf('sale', `%${SHOPIFY_EVENT_ID}`)?.state).toBe('dead');
  });

  test('requeues a dead letter by id and waits until the running bridge delivered it', async () => {
    const { id } = stateOf('sale', `%${SHOPIFY_EVENT_ID}`)!;
    const salesBefore = dub.calls('POST', '/track/sale').length;
    const run = await cli(['replay', '--id', String(id), '--wait']);
    expect(run.stdout).toContain('matched 1 finished command; requeued 1; 0 left as they were');
    expect(run.stdout).toContain('finished: delivered 1');
    expect(run.code).toBe(0);
    expect(dub.calls('POST', '/track/sale')).toHaveLength(salesBefore + 1);
    expect(JSON.parse((await cli(['status', '--json'])).stdout).commands.dead).toBe(0);
  });

  test("--remap rebuilds an event's commands from its stored webhook; an unknown event fails", async () => {
    const salesBefore = dub.calls('POST', '/track/sale').length;
    const run = await cli(['replay', '--event', checkout.id, '--remap', '--wait', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      matched: 1,
      requeued: 1,
      remapped: 1,
      problems: [],
      finished: { states: { delivered: 1 }, timedOut: false },
    });
    expect(dub.calls('POST', '/track/sale')).toHaveLength(salesBefore + 1);
    expect(dub.calls('POST', '/track/sale').at(-1)!.body.invoiceId).toBe(dub.calls('POST', '/track/sale')[0]!.body.invoiceId);

    const missing = await cli(['replay', '--event', 'evt_never_seen']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('event evt_never_seen not found');
  });
});

describe('a paused delivery', () => {
  test('status and doctor say so when Dub refuses the key', async () => {
    dub.setAcceptedKey('dub_rotated_key_000000');
    const renewal = stripeFixture('checkout-session-completed-payment');
    renewal.id = 'evt_cli_paused_1';
    renewal.data.object.id = 'cs_cli_paused_1';
    renewal.data.object.payment_intent = 'pi_cli_paused_1';
    expect((await bridge.postStripe(renewal)).status).toBe(200);
    await eventually(() => bridge.query("SELECT 1 FROM outbox WHERE state = 'pending' AND last_error LIKE '401%'").length > 0);

    const status = await cli(['status']);
    expect(status.stdout).toMatch(/delivery\s+PAUSED: Dub refused the API key \(401/);
    const doctor = await cli(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^fail\s+database: .*delivery PAUSED: .*; fix DUB_API_KEY$/m);
  });
});
