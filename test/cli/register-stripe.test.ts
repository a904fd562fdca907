import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { handledStripeEventTypes } from '../../src/mappers/stripe/index.js';
import { startFakeStripe, type FakeStripe } from './helpers/fake-stripe.js';
import { runCli } from './helpers/run-cli.js';

/** `register stripe` / `unregister stripe` through the real stripe SDK against a local Stripe stand-in. */
let stripe: FakeStripe;
const PUBLIC_URL = 'https://bridge.example.com';
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/stripe`;
const env = () => ({ STRIPE_API_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url });

beforeAll(async () => {
  stripe = await startFakeStripe();
});
afterAll(() => stripe.close());
beforeEach(() => {
  stripe.endpoints.clear();
  stripe.requests.length = 0;
});

describe('register stripe', () => {
  test('creates one endpoint for exactly the handled event types, prints the secret once, and a re-run adds nothing', async () => {
    const first = await runCli(['register', 'stripe', '--url', PUBLIC_URL], env());
    expect(first.code).toBe(0);
    const creates = stripe.writes();
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ method: 'POST', path: '/v1/webhook_endpoints', form: { url: WEBHOOK_URL } });
    expect([...(creates[0]!.form.enabled_events as string[])].sort()).toEqual([...handledStripeEventTypes].sort());
    const [endpoint] = [...stripe.endpoints.values()];
    expect(first.stdout).toContain(`created Stripe webhook endpoint ${endpoint!.id}`);
    expect(first.stdout).toContain(`STRIPE_WEBHOOK_SECRET=whsec_fakesecret${endpoint!.id}`);

    const second = await runCli(['register', 'stripe', '--url', PUBLIC_URL], env());
    expect(second.code).toBe(0);
    expect(stripe.writes()).toHaveLength(1);
    expect(stripe.endpoints.size).toBe(1);
    expect(second.stdout).toContain(`unchanged Stripe webhook endpoint ${endpoint!.id}`);
    expect(second.stdout).toContain('Stripe returns the signing secret only when an endpoint is created');
    expect(second.stdout).not.toContain('whsec_');
  });

  test('an endpoint already at the URL with other events (or disabled) is updated, not duplicated', async () => {
    stripe.endpoints.set('we_old', {
      id: 'we_old',
      object: 'webhook_endpoint',
      url: WEBHOOK_URL,
      enabled_events: ['invoice.paid', 'payment_intent.created'],
      description: null,
      status: 'disabled',
      livemode: true,
      api_version: null,
      application: null,
      created: 1,
      metadata: {},
    });
    const run = await runCli(['register', 'stripe', '--url', `${PUBLIC_URL}/`, '--json'], env());
    expect(run.code).toBe(0);
    const writes = stripe.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'POST', path: '/v1/webhook_endpoints/we_old', form: { disabled: 'false' } });
    expect([...(writes[0]!.form.enabled_events as string[])].sort()).toEqual([...handledStripeEventTypes].sort());
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'updated', id: 'we_old', url: WEBHOOK_URL, livemode: true, secret: null });
  });

  test("--tenant registers the tenant's own endpoint and says where its secret goes", async () => {
    const run = await runCli(['register', 'stripe', '--url', PUBLIC_URL, '--tenant', 'north'], env());
    expect(run.code).toBe(0);
    expect(stripe.writes()[0]?.form.url).toBe(`${WEBHOOK_URL}/north`);
    expect(run.stdout).toContain('put it in TENANTS_FILE as stripe.webhookSecret of tenant "north"');
  });

  test('a key Stripe refuses is a failure (1); no key at all is a configuration error (78)', async () => {
    const refused = await runCli(['register', 'stripe', '--url', PUBLIC_URL], { ...env(), STRIPE_API_KEY: 'sk_test_wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Stripe refused the API key');
    expect(stripe.endpoints.size).toBe(0);

    const missing = await runCli(['register', 'stripe', '--url', PUBLIC_URL], { STRIPE_API_BASE: stripe.url });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('STRIPE_API_KEY');
  });
});

describe('keys never on the command line', () => {
  test('--api-key is refused (exit 2) without calling Stripe and says where the key goes; --api-key-stdin needs input', async () => {
    const flag = await runCli(['register', 'stripe', '--url', PUBLIC_URL, '--api-key', stripe.apiKey, '--stripe-api-base', stripe.url]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--api-key is not accepted');
    expect(flag.stderr).toContain('STRIPE_API_KEY');
    expect(flag.stderr).toContain('--api-key-stdin');
    expect(flag.stderr).not.toContain(stripe.apiKey);
    expect(stripe.requests).toHaveLength(0);

    const empty = await runCli(['register', 'stripe', '--url', PUBLIC_URL, '--api-key-stdin'], { STRIPE_API_BASE: stripe.url }, { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('standard input is empty');

    const help = await runCli(['register', 'stripe', '--help']);
    expect(help.stdout).toContain('--api-key-stdin');
    expect(help.stdout).not.toMatch(/--api-key </);
  });
});

describe('unregister stripe', () => {
  test('deletes the endpoint at the URL and leaves others alone; a second run has nothing to do', async () => {
    await runCli(['register', 'stripe', '--url', PUBLIC_URL], env());
    stripe.endpoints.set('we_other', {
      id: 'we_other',
      object: 'webhook_endpoint',
      url: 'https://other.example.com/hooks',
      enabled_events: ['*'],
      description: null,
      status: 'enabled',
      livemode: false,
      api_version: null,
      application: null,
      created: 1,
      metadata: {},
    });
    const run = await runCli(
      ['unregister', 'stripe', '--url', PUBLIC_URL, '--api-key-stdin', '--stripe-api-base', stripe.url],
      {},
      { input: `${stripe.apiKey}\n` },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/deleted Stripe webhook endpoint we_fake\d+/);
    expect([...stripe.endpoints.keys()]).toEqual(['we_other']);

    const again = await runCli(['unregister', 'stripe', '--url', PUBLIC_URL], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to remove');
    expect([...stripe.endpoints.keys()]).toEqual(['we_other']);
  });
});
