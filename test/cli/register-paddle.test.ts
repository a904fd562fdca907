import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { handledPaddleEventTypes } from '../../src/mappers/paddle/index.js';
import { type FakePaddle, startFakePaddle } from './helpers/fake-paddle.js';
import { runCli } from './helpers/run-cli.js';

/** `register paddle` / `unregister paddle` against a local stand-in for Paddle's notification settings API. */
let paddle: FakePaddle;
const PUBLIC_URL = 'https://bridge.example.com';
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/paddle`;
const env = () => ({ PADDLE_API_KEY: paddle.apiKey, PADDLE_API_BASE: paddle.url });
const sorted = (list: readonly string[]) => [...list].sort();

beforeAll(async () => {
  paddle = await startFakePaddle();
});
afterAll(() => paddle.close());
beforeEach(() => {
  paddle.destinations.clear();
  paddle.reset();
});

describe('register paddle', () => {
  test('creates one URL destination for exactly the handled event types, prints its secret once, and a re-run changes nothing', async () => {
    // Another destination on the account (pages of 2 here) is left alone.
    paddle.add({ destination: 'https://crm.example.com/paddle', events: ['subscription.created'] });
    paddle.add({ destination: 'ops@example.com', type: 'email', events: ['transaction.paid'] });
    const first = await runCli(['register', 'paddle', '--url', PUBLIC_URL], env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const writes = paddle.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'POST', path: '/notification-settings', body: { type: 'url', destination: WEBHOOK_URL } });
    expect(writes[0]!.headers.authorization).toBe(`Bearer ${paddle.apiKey}`);
    expect(sorted(writes[0]!.body.subscribed_events)).toEqual(sorted(handledPaddleEventTypes));
    const created = [...paddle.destinations.values()].find((d) => d.destination === WEBHOOK_URL)!;
    expect(first.stdout).toContain(`created Paddle notification destination ${created.id}`);
    expect(first.stdout).toContain(`PADDLE_WEBHOOK_SECRET=${created.endpoint_secret_key}`);
    expect(first.stdout.split(created.endpoint_secret_key)).toHaveLength(3); // the value, and the assignment

    const second = await runCli(['register', 'paddle', '--url', `${PUBLIC_URL}/`], env());
    expect(second.code).toBe(0);
    expect(paddle.writes()).toHaveLength(1);
    expect(paddle.destinations.size).toBe(3);
    expect(second.stdout).toContain(`unchanged Paddle notification destination ${created.id}`);
    expect(second.stdout).not.toContain(created.endpoint_secret_key);
    expect(second.stdout).toContain('keep the one in PADDLE_WEBHOOK_SECRET');
    // A page had more: the CLI followed `meta.pagination.next`.
    expect(paddle.requests.filter((r) => r.method === 'GET' && r.query.after)).not.toHaveLength(0);
  });

  test('a destination already at the URL with other events, or deactivated, is updated with the complete list, not duplicated', async () => {
    const old = paddle.add({ destination: WEBHOOK_URL, events: ['transaction.paid', 'subscription.created'], active: false });
    const run = await runCli(['register', 'paddle', '--url', PUBLIC_URL, '--json'], env());
    expect(run.code).toBe(0);
    const writes = paddle.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: `/notification-settings/${old.id}`, body: { active: true } });
    expect(sorted(writes[0]!.body.subscribed_events)).toEqual(sorted(handledPaddleEventTypes));
    expect(paddle.destinations.size).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      provider: 'paddle',
      action: 'updated',
      id: old.id,
      url: WEBHOOK_URL,
      active: true,
      secret: null,
      secretVariable: 'PADDLE_WEBHOOK_SECRET',
    });
    expect(sorted(report.events)).toEqual(sorted(handledPaddleEventTypes));
  });

  test("--tenant registers the tenant's route and says where its secret goes", async () => {
    const run = await runCli(['register', 'paddle', '--url', PUBLIC_URL, '--tenant', 'north'], env());
    expect(run.code).toBe(0);
    expect(paddle.writes()[0]?.body.destination).toBe(`${WEBHOOK_URL}/north`);
    expect(run.stdout).toContain('put it in TENANTS_FILE as providers.paddle.secret of tenant "north"');
  });

  test('a key Paddle refuses is a failure (1) naming PADDLE_API_KEY; no key is a configuration error (78); a key flag is refused (2)', async () => {
    const refused = await runCli(['register', 'paddle', '--url', PUBLIC_URL], { ...env(), PADDLE_API_KEY: 'pdl_live_apikey_wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Paddle refused the token in PADDLE_API_KEY (403 invalid_token: Invalid or revoked API key.)');
    expect(refused.stderr).toContain('notification_setting.write');
    expect(paddle.destinations.size).toBe(0);

    const missing = await runCli(['register', 'paddle', '--url', PUBLIC_URL], { PADDLE_API_BASE: paddle.url });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('PADDLE_API_KEY: set it');

    const flag = await runCli(['register', 'paddle', '--url', PUBLIC_URL, '--api-key', paddle.apiKey], { PADDLE_API_BASE: paddle.url });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--api-key is not accepted');
    expect(flag.stderr).not.toContain(paddle.apiKey);
    expect(paddle.requests.filter((r) => r.headers.authorization === `Bearer ${paddle.apiKey}`)).toHaveLength(0);
  });
});

describe('unregister paddle', () => {
  test('deletes the destination at the URL (key from standard input) and leaves others; a second run has nothing to do', async () => {
    await runCli(['register', 'paddle', '--url', PUBLIC_URL], env());
    const other = paddle.add({ destination: 'https://crm.example.com/paddle', events: ['subscription.created'] });
    const run = await runCli(
      ['unregister', 'paddle', '--url', PUBLIC_URL, '--api-key-stdin'],
      { PADDLE_API_BASE: paddle.url },
      { input: `${paddle.apiKey}\n` },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deleted Paddle notification destination ntfset_\w+ -> https:\/\/bridge\.example\.com\/webhooks\/paddle$/m);
    expect([...paddle.destinations.keys()]).toEqual([other.id]);

    const again = await runCli(['unregister', 'paddle', '--url', PUBLIC_URL], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to remove');
  });
});
