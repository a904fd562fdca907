import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { LEMONSQUEEZY_SECRET } from '../helpers/signers/lemonsqueezy.js';
import { PADDLE_SECRET } from '../helpers/signers/paddle.js';
import { POLAR_SECRET } from '../helpers/signers/polar.js';
import { REVENUECAT_AUTH } from '../helpers/signers/revenuecat.js';
import { triggerProviders } from '../../src/cli/trigger/index.js';
import { runCli } from './helpers/run-cli.js';

/**
 * `dub-bridge trigger` for Paddle, Polar, Lemon Squeezy and RevenueCat against a running bridge
 * (real HTTP server and SQLite file) configured with the same secrets, delivering to a fake Dub:
 * the bridge verifies each signature its own way, acknowledges with `{received, duplicate,
 * inboxId}`, maps after the ack, and the trigger's report reads what it recorded.
 */
let dub: FakeDub;
let bridge: TestBridge;
const secrets = {
  PADDLE_WEBHOOK_SECRET: PADDLE_SECRET,
  POLAR_WEBHOOK_SECRET: POLAR_SECRET,
  LEMONSQUEEZY_WEBHOOK_SECRET: LEMONSQUEEZY_SECRET,
  REVENUECAT_WEBHOOK_AUTH: REVENUECAT_AUTH,
};
const env = () => ({ DATABASE_PATH: bridge.dbPath, DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, ...secrets });
const saleOf = (processor: string) =>
  dub
    .calls('POST', '/track/sale')
    .filter((c) => c.body.paymentProcessor === processor)
    .at(-1)?.body;

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url, ...secrets });
});
afterAll(async () => {
  await bridge.close();
  await dub.close();
});

/** Runs a trigger with --json and checks what every provider's report has in common. */
async function triggered(args: string[], source: string, eventType: string) {
  const run = await runCli(['trigger', ...args, '--url', bridge.url, '--json'], env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report).toMatchObject({
    url: `${bridge.url}/webhooks/${source}`,
    status: 200,
    answer: { received: true, duplicate: false, inboxId: expect.any(Number) },
  });
  expect(report.recorded.event).toMatchObject({ id: report.answer.inboxId, source, eventType, state: 'mapped' });
  expect(report.recorded.commands).toEqual([expect.objectContaining({ kind: 'sale', state: 'delivered', outcome: 'delivered' })]);
  return report;
}

describe('trigger', () => {
  test('paddle transaction.completed: Paddle-Signature over ts:body, custom_data carries click and customer, amount and currency given', async () => {
    const report = await triggered(
      ['paddle', 'transaction.completed', '--click-id', 'clk_trigger_paddle', '--customer', 'user_paddle_1', '--amount', '49.99', '--currency', 'EUR'],
      'paddle',
      'transaction.completed',
    );
    expect(report.eventKey).toMatch(/^evt_01trigger0[0-9a-f]{16}$/);
    expect(report.recorded.commands[0].summary).toContain('49.99 eur');
    expect(saleOf('paddle')).toMatchObject({
      amount: 4999,
      currency: 'eur',
      clickId: 'clk_trigger_paddle',
      customerExternalId: 'user_paddle_1',
      eventName: 'Purchase',
      invoiceId: expect.stringMatching(/^txn_01trigger0/),
    });
  });

  test("polar order.paid (the default event): Standard Webhooks signature, the customer as Polar's external id", async () => {
    const report = await triggered(['polar', '--click-id', 'clk_trigger_polar', '--customer', 'user_polar_1'], 'polar', 'order.paid');
    // Polar's body has no id: the inbox key is the webhook-id header the trigger sent.
    expect(report.eventKey).toMatch(/^[0-9a-f-]{36}$/);
    const sale = saleOf('polar');
    expect(sale).toMatchObject({ amount: 4900, currency: 'usd', clickId: 'clk_trigger_polar', customerExternalId: 'user_polar_1', eventName: 'Purchase' });
    expect(sale.invoiceId).not.toBe('00000000-0000-4000-8000-0000000000d1'); // a new order each run
  });

  test('lemonsqueezy order_created: X-Signature over the body, a zero-decimal amount, the test-mode order forwarded', async () => {
    const report = await triggered(
      ['lemonsqueezy', 'order_created', '--click-id', 'clk_trigger_ls', '--amount', '1000', '--currency', 'jpy'],
      'lemonsqueezy',
      'order_created',
    );
    expect(report.eventKey).toMatch(/^order_created:[0-9a-f]{64}$/);
    expect(saleOf('lemonsqueezy')).toMatchObject({
      amount: 1000,
      currency: 'jpy',
      clickId: 'clk_trigger_ls',
      customerExternalId: 'trigger_customer_1',
      invoiceId: expect.stringMatching(/^ls_order_\d+$/),
    });
  });

  test('revenuecat INITIAL_PURCHASE: the Authorization value, subscriber attributes, a price in major units', async () => {
    const report = await triggered(
      ['revenuecat', 'INITIAL_PURCHASE', '--click-id', 'clk_trigger_rc', '--customer', 'user_rc_1', '--amount', '12.49'],
      'revenuecat',
      'INITIAL_PURCHASE',
    );
    expect(report.eventKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(saleOf('revenuecat')).toMatchObject({
      amount: 1249,
      currency: 'usd',
      clickId: 'clk_trigger_rc',
      customerExternalId: 'user_rc_1',
      eventName: 'Subscription creation',
      invoiceId: expect.stringMatching(/^2000\d{12}$/),
    });
  });

  test("a secret other than the bridge's is refused (1) and the message names the variable", async () => {
    const run = await runCli(['trigger', 'polar', '--url', bridge.url], { ...env(), POLAR_WEBHOOK_SECRET: 'whsec_TestOnlyDubBridgePolarOtherSecret000000002' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the bridge refused the signature');
    expect(run.stderr).toContain('POLAR_WEBHOOK_SECRET');

    const noSecret = await runCli(['trigger', 'lemonsqueezy', '--url', bridge.url], { DATABASE_PATH: bridge.dbPath });
    expect(noSecret.code).toBe(78);
    expect(noSecret.stderr).toContain('LEMONSQUEEZY_WEBHOOK_SECRET: not set here');
  });

  test('apple cannot be simulated: it says why and what to do instead, and sends nothing', async () => {
    const before = bridge.query<{ n: number }>('SELECT count(*) AS n FROM inbox')[0]!.n;
    const run = await runCli(['trigger', 'apple', '--url', bridge.url], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("cannot be simulated: each is a JWS signed with Apple's private key");
    expect(run.stderr).toContain('Request a Test Notification');
    const withTestRoot = await runCli(['trigger', 'apple', '--url', bridge.url], { ...env(), APPLE_ROOT_CERTS: '/etc/dub-bridge/test-root.pem' });
    expect(withTestRoot.code).toBe(1);
    expect(withTestRoot.stderr).toContain('APPLE_ROOT_CERTS is set (/etc/dub-bridge/test-root.pem)');
    expect(bridge.query<{ n: number }>('SELECT count(*) AS n FROM inbox')[0]!.n).toBe(before);
  });

  test('--help names the event of every provider trigger can send', async () => {
    const help = await runCli(['trigger', '--help']);
    const events = triggerProviders.flatMap((p) => Object.keys(p.events).map((event) => `${p.source} ${event}`));
    expect(events).toHaveLength(6);
    for (const event of events) expect(help.stdout).toContain(event);
  });
});
