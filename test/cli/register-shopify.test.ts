import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { complianceTopics, handledShopifyTopics } from '../../src/mappers/shopify/index.js';
import { startFakeShopify, type FakeShopify } from './helpers/fake-shopify.js';
import { runCli } from './helpers/run-cli.js';

/** `register shopify` / `unregister shopify` through @shopify/shopify-api against a local Admin GraphQL stand-in. */
let shop: FakeShopify;
const SHOP = 'dub-bridge-test.myshopify.com';
const PUBLIC_URL = 'https://bridge.example.com';
const CALLBACK = `${PUBLIC_URL}/webhooks/shopify`;
const args = (command: 'register' | 'unregister', ...extra: string[]) => [command, 'shopify', '--url', PUBLIC_URL, '--shop', SHOP, ...extra];
const env = () => ({ SHOPIFY_ADMIN_ACCESS_TOKEN: shop.accessToken, SHOPIFY_ADMIN_BASE: shop.url });
const mutations = () => shop.calls.filter((c) => c.operation !== 'list');
const asEnum = (topic: string) => topic.toUpperCase().replace('/', '_');

beforeAll(async () => {
  shop = await startFakeShopify();
});
afterAll(() => shop.close());
beforeEach(() => {
  shop.subscriptions.clear();
  shop.calls.length = 0;
});

describe('register shopify', () => {
  test('subscribes each handled topic once, explains the compliance topics, and a re-run changes nothing', async () => {
    const first = await runCli(args('register'), env());
    expect(first.code).toBe(0);
    expect(shop.calls.every((c) => c.path === '/admin/api/2025-07/graphql.json')).toBe(true);
    const creates = mutations();
    expect(creates.map((c) => c.operation)).toEqual(handledShopifyTopics.map(() => 'create'));
    expect(creates.map((c) => c.variables.topic).sort()).toEqual(handledShopifyTopics.map(asEnum).sort());
    expect(creates.every((c) => c.variables.webhookSubscription.callbackUrl === CALLBACK && c.variables.webhookSubscription.format === 'JSON')).toBe(true);
    expect(first.stdout).toContain('SHOPIFY_API_SECRET');
    expect(first.stdout).toContain(`compliance_topics = [${complianceTopics.map((t) => `"${t}"`).join(', ')}]`);
    expect(first.stdout).toContain(`uri = "${CALLBACK}"`);

    shop.calls.length = 0;
    const second = await runCli(args('register', '--json'), env());
    expect(second.code).toBe(0);
    expect(mutations()).toHaveLength(0);
    expect(shop.subscriptions.size).toBe(handledShopifyTopics.length);
    // More subscriptions than one page: the listing followed the cursor.
    expect(shop.calls.filter((c) => c.operation === 'list').length).toBeGreaterThan(1);
    const report = JSON.parse(second.stdout);
    expect(report.subscriptions.map((s: { action: string }) => s.action)).toEqual(handledShopifyTopics.map(() => 'unchanged'));
  });

  test('a topic going to another bridge URL is never repointed by itself: the run stops and changes nothing', async () => {
    const other = shop.seed('ORDERS_PAID', 'https://old-bridge.example.com/webhooks/shopify');
    const run = await runCli(args('register'), env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing changed');
    expect(run.stderr).toContain(`orders/paid`);
    expect(run.stderr).toContain('https://old-bridge.example.com/webhooks/shopify');
    expect(run.stderr).toContain('--move-from');
    expect(mutations()).toHaveLength(0);
    expect(shop.subscriptions.get(other.id)?.callbackUrl).toBe('https://old-bridge.example.com/webhooks/shopify');
  });

  test('--move-from <old url> repoints exactly that URL; unrelated subscriptions stay', async () => {
    const moved = shop.seed('ORDERS_PAID', 'https://old-bridge.example.com/webhooks/shopify');
    const unrelated = shop.seed('ORDERS_PAID', 'https://analytics.example.com/shopify/orders');
    const run = await runCli(args('register', '--move-from', 'https://old-bridge.example.com'), env());
    expect(run.code).toBe(0);
    const updates = mutations().filter((c) => c.operation === 'update');
    expect(updates).toEqual([expect.objectContaining({ variables: { id: moved.id, webhookSubscription: { callbackUrl: CALLBACK, format: 'JSON' } } })]);
    expect(
      mutations()
        .filter((c) => c.operation === 'create')
        .map((c) => c.variables.topic),
    ).not.toContain('ORDERS_PAID');
    expect(shop.subscriptions.get(unrelated.id)?.callbackUrl).toBe('https://analytics.example.com/shopify/orders');
    expect(run.stdout).toMatch(/updated\s+orders\/paid/);
  });

  test('the access token is read from standard input with --access-token-stdin, never from a flag', async () => {
    const flag = await runCli(args('register', '--access-token', shop.accessToken), { SHOPIFY_ADMIN_BASE: shop.url });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--access-token is not accepted');
    expect(flag.stderr).not.toContain(shop.accessToken);
    expect(shop.calls).toHaveLength(0);

    const piped = await runCli(args('register', '--access-token-stdin', '--json'), { SHOPIFY_ADMIN_BASE: shop.url }, { input: `${shop.accessToken}\n` });
    expect(piped.code).toBe(0);
    expect(shop.subscriptions.size).toBe(handledShopifyTopics.length);
  });

  test('a refused token fails (1), a missing token is a configuration error (78), a bad shop a usage error (2)', async () => {
    const refused = await runCli(args('register'), { ...env(), SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Shopify refused the access token for ${SHOP}`);

    const missing = await runCli(args('register'), { SHOPIFY_ADMIN_BASE: shop.url });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('SHOPIFY_ADMIN_ACCESS_TOKEN');

    const badShop = await runCli(['register', 'shopify', '--url', PUBLIC_URL, '--shop', 'not a shop'], env());
    expect(badShop.code).toBe(2);
    expect(badShop.stderr).toContain('my-store.myshopify.com');
    expect(shop.subscriptions.size).toBe(0);
  });
});

describe('unregister shopify', () => {
  test("removes the bridge's subscriptions and nothing else", async () => {
    await runCli(args('register'), env());
    const unrelated = shop.seed('ORDERS_PAID', 'https://analytics.example.com/shopify/orders');
    const run = await runCli(args('unregister'), env());
    expect(run.code).toBe(0);
    expect(mutations().filter((c) => c.operation === 'delete')).toHaveLength(handledShopifyTopics.length);
    expect([...shop.subscriptions.keys()]).toEqual([unrelated.id]);
    expect(run.stdout).toMatch(/deleted\s+orders\/paid/);
  });
});
