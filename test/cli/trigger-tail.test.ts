import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { SHOPIFY_SECRET, STRIPE_SECRET } from '../helpers/signers.js';
import { root, runCli } from './helpers/run-cli.js';

/**
 * `dub-bridge trigger` against a running bridge (real HTTP server and SQLite file) that delivers
 * to a fake Dub, and `dub-bridge tail` following the same file.
 */
let dub: FakeDub;
let bridge: TestBridge;
const env = () => ({
  DATABASE_PATH: bridge.dbPath,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  SHOPIFY_API_SECRET: SHOPIFY_SECRET,
  DUB_API_KEY: dub.apiKey,
  DUB_API_URL: dub.url,
});

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url });
});
afterAll(async () => {
  await bridge.close();
  await dub.close();
});

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('trigger', () => {
  test('stripe checkout.session.completed: signed, recorded and delivered with the amount, currency, click and customer given', async () => {
    const run = await runCli(
      [
        'trigger',
        'stripe',
        'checkout.session.completed',
        '--url',
        bridge.url,
        '--click-id',
        'clk_trigger_1',
        '--customer',
        'user_77',
        '--amount',
        '49.99',
        '--currency',
        'EUR',
        '--json',
      ],
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ url: `${bridge.url}/webhooks/stripe`, status: 200, answer: { received: true, duplicate: false } });
    expect(report.recorded.event).toMatchObject({ source: 'stripe', eventType: 'checkout.session.completed', state: 'mapped' });
    expect(report.recorded.commands).toEqual([
      expect.objectContaining({ kind: 'sale', state: 'delivered', summary: expect.stringContaining('49.99 eur'), outcome: 'delivered' }),
    ]);
    const sale = dub.calls('POST', '/track/sale').at(-1)!.body;
    expect(sale).toMatchObject({ amount: 4999, currency: 'eur', clickId: 'clk_trigger_1', customerExternalId: 'user_77', paymentProcessor: 'stripe' });
    expect(bridge.query('SELECT event_key FROM inbox WHERE id = ?', report.recorded.event.id)[0].event_key).toBe(report.eventKey);
  });

  test('shopify orders/paid in text: a new order every run, the sale shown as the bridge recorded and delivered it', async () => {
    const first = await runCli(['trigger', 'shopify', 'orders/paid', '--url', bridge.url, '--amount', '1000', '--currency', 'jpy'], env());
    const second = await runCli(['trigger', 'shopify', 'orders/paid', '--url', bridge.url, '--click-id', 'clk_shop_2'], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^sent shopify orders\/paid to http:\/\/127\.0\.0\.1:\d+\/webhooks\/shopify: 200 /m);
    // No click id and a customer Dub never saw: Dub records no sale, and the line says why.
    expect(first.stdout).toMatch(
      /#\d+ sale {2}1000 jpy · invoice gid:\/\/shopify\/Order\/\d+ .* -> {2}not attributed \(Dub knows no click or lead for this customer\)/,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/click clk_shop_2 {2}-> {2}delivered/);
    const shopifySales = dub.calls('POST', '/track/sale').filter((c) => c.body.paymentProcessor === 'shopify');
    expect(shopifySales).toHaveLength(2);
    expect(shopifySales[0]!.body.invoiceId).not.toBe(shopifySales[1]!.body.invoiceId);
    expect(shopifySales[0]!.body).toMatchObject({ amount: 1000, currency: 'jpy' });
  });

  test('refusals say what to fix: another secret (1), no secret (78), unknown provider or event (2), no bridge (1)', async () => {
    const otherSecret = await runCli(['trigger', 'stripe', 'checkout.session.completed', '--url', bridge.url], {
      ...env(),
      STRIPE_WEBHOOK_SECRET: 'whsec_another_test_secret_0000000001',
    });
    expect(otherSecret.code).toBe(1);
    expect(otherSecret.stderr).toContain('the bridge refused the signature');
    expect(otherSecret.stderr).toContain('STRIPE_WEBHOOK_SECRET');

    const noSecret = await runCli(['trigger', 'stripe', 'checkout.session.completed', '--url', bridge.url], { DATABASE_PATH: bridge.dbPath });
    expect(noSecret.code).toBe(78);
    expect(noSecret.stderr).toContain('STRIPE_WEBHOOK_SECRET: not set here');

    const [unknownProvider, unknownEvent] = await Promise.all([
      runCli(['trigger', 'square', 'payment.created', '--url', bridge.url], env()),
      runCli(['trigger', 'stripe', 'invoice.voided', '--url', bridge.url], env()),
    ]);
    expect(unknownProvider.code).toBe(2);
    expect(unknownProvider.stderr).toContain('trigger supports stripe, shopify, paddle, polar, lemonsqueezy, revenuecat; got square');
    expect(unknownEvent.code).toBe(2);
    expect(unknownEvent.stderr).toContain('stripe events trigger can send: checkout.session.completed');

    const closed = await closedPort();
    const down = await runCli(['trigger', 'stripe', 'checkout.session.completed', '--url', `http://127.0.0.1:${closed}`], env());
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`no bridge answers at http://127.0.0.1:${closed}`);
  });
});

describe('tail', () => {
  test('prints each new event, its command and the command delivered, one line each, and stops on Ctrl-C with 0', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/cli/index.ts'), 'tail', '--json', '--interval', '100'], {
      cwd: root,
      env: { PATH: process.env.PATH, DUB_BRIDGE_ENV_FILE: 'off', ...env() },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    try {
      // Rows already in the database are not listed.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(lines()).toEqual([]);
      const run = await runCli(
        ['trigger', 'stripe', 'checkout.session.completed', '--url', bridge.url, '--amount', '12.00', '--click-id', 'clk_tail_1', '--json'],
        env(),
      );
      const eventKey = JSON.parse(run.stdout).eventKey;
      await eventually(() => lines().some((l) => l.type === 'command' && l.state === 'delivered'), 15_000);
      // The event is listed when it is stored, and again when its state changes (recorded first,
      // mapped right after); its command when it appears, and again on each change after that.
      const events = lines().filter((l) => l.type === 'event');
      expect(events.every((e) => e.eventKey === eventKey && e.source === 'stripe' && e.eventType === 'checkout.session.completed')).toBe(true);
      expect(events.at(-1).state).toBe('mapped');
      const commands = lines().filter((l) => l.type === 'command');
      const [created, ...changes] = commands;
      expect(created).toMatchObject({ kind: 'sale', eventId: events[0].id, summary: expect.stringContaining('12.00 usd · invoice pi_trigger_') });
      const states = [created.state, ...changes.map((c) => c.state)];
      expect(states.at(-1)).toBe('delivered');
      expect(states.filter((state) => state === 'delivered')).toHaveLength(1);
      expect(changes.every((c) => c.id === created.id)).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
