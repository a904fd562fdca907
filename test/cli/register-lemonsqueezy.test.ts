import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { handledLemonSqueezyEventTypes } from '../../src/mappers/lemonsqueezy/index.js';
import { type FakeLemonSqueezy, LEMONSQUEEZY_STORE, startFakeLemonSqueezy } from './helpers/fake-lemonsqueezy.js';
import { runCli } from './helpers/run-cli.js';

/** `register lemonsqueezy` / `unregister lemonsqueezy` against a local stand-in for Lemon Squeezy's JSON:API webhooks. */
let ls: FakeLemonSqueezy;
const PUBLIC_URL = 'https://bridge.example.com';
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/lemonsqueezy`;
const env = () => ({ LEMONSQUEEZY_API_KEY: ls.apiKey, LEMONSQUEEZY_API_BASE: ls.url });
const sorted = (list: readonly string[]) => [...list].sort();
const register = (...extra: string[]) => ['register', 'lemonsqueezy', '--url', PUBLIC_URL, '--store', LEMONSQUEEZY_STORE, ...extra];

beforeAll(async () => {
  ls = await startFakeLemonSqueezy();
});
afterAll(() => ls.close());
beforeEach(() => {
  ls.webhooks.clear();
  ls.reset();
});

describe('register lemonsqueezy', () => {
  test('creates one webhook with a generated 40-character secret, prints it once, and a re-run changes nothing', async () => {
    ls.add({ url: 'https://crm.example.com/ls', events: ['order_created'] });
    ls.add({ url: WEBHOOK_URL, events: ['order_created'], store: '99999' }); // another store's: not ours
    const first = await runCli(register(), env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const writes = ls.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      method: 'POST',
      path: '/v1/webhooks',
      body: { data: { type: 'webhooks', attributes: { url: WEBHOOK_URL }, relationships: { store: { data: { type: 'stores', id: LEMONSQUEEZY_STORE } } } } },
    });
    expect(writes[0]!.headers['content-type']).toBe('application/vnd.api+json');
    expect(sorted(writes[0]!.body.data.attributes.events)).toEqual(sorted(handledLemonSqueezyEventTypes));
    expect(ls.requests[0]!.query).toMatchObject({ 'filter[store_id]': LEMONSQUEEZY_STORE });

    const created = [...ls.webhooks.values()].find((w) => w.attributes.url === WEBHOOK_URL && String(w.attributes.store_id) === LEMONSQUEEZY_STORE)!;
    // 30 random bytes, base64url: exactly the 40 characters Lemon Squeezy allows at most.
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(first.stdout).toContain(`created Lemon Squeezy webhook ${created.id} (store ${LEMONSQUEEZY_STORE}, test mode)`);
    expect(first.stdout).toContain('generated here and sent to Lemon Squeezy, which never shows it');
    expect(first.stdout).toContain(`LEMONSQUEEZY_WEBHOOK_SECRET=${created.secret}`);

    const second = await runCli(register(), env());
    expect(second.code).toBe(0);
    expect(ls.writes()).toHaveLength(1);
    expect(second.stdout).toContain(`unchanged Lemon Squeezy webhook ${created.id}`);
    expect(second.stdout).not.toContain(created.secret);
    expect(second.stdout).toContain('Lemon Squeezy never shows a signing secret again');
  });

  test('a webhook at the URL with other events is updated in place; its secret is kept', async () => {
    const old = ls.add({ url: WEBHOOK_URL, events: ['order_created', 'subscription_created'], secret: 'kept-by-lemon-squeezy' });
    const run = await runCli(register('--json'), env());
    expect(run.code).toBe(0);
    const writes = ls.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: `/v1/webhooks/${old.id}`, body: { data: { type: 'webhooks', id: old.id } } });
    expect(writes[0]!.body.data.attributes).not.toHaveProperty('secret');
    expect(sorted(writes[0]!.body.data.attributes.events)).toEqual(sorted(handledLemonSqueezyEventTypes));
    expect(ls.webhooks.get(old.id)!.secret).toBe('kept-by-lemon-squeezy');
    expect(JSON.parse(run.stdout)).toMatchObject({
      provider: 'lemonsqueezy',
      action: 'updated',
      id: old.id,
      store: LEMONSQUEEZY_STORE,
      testMode: true,
      secret: null,
    });
  });

  test('--store is required (2); a key Lemon Squeezy refuses (401) names LEMONSQUEEZY_API_KEY (1); no key is 78', async () => {
    const noStore = await runCli(['register', 'lemonsqueezy', '--url', PUBLIC_URL], env());
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain("required option '--store <id>' not specified");

    const refused = await runCli(register(), { ...env(), LEMONSQUEEZY_API_KEY: 'wrong-key' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Lemon Squeezy refused the token in LEMONSQUEEZY_API_KEY (401 Unauthorized: Unauthenticated.)');

    const missing = await runCli(register(), { LEMONSQUEEZY_API_BASE: ls.url });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('LEMONSQUEEZY_API_KEY: set it');
    expect(ls.webhooks.size).toBe(0);
  });

  test("a store the key cannot see is Lemon Squeezy's own 404, said in one line", async () => {
    const run = await runCli(['register', 'lemonsqueezy', '--url', PUBLIC_URL, '--store', '#424242'], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Lemon Squeezy API answered POST /v1/webhooks with 404: Not Found: The related store was not found.');
  });
});

describe('unregister lemonsqueezy', () => {
  test("deletes the store's webhook at the URL and nothing else", async () => {
    await runCli(register(), env());
    const otherStore = ls.add({ url: WEBHOOK_URL, events: ['order_created'], store: '99999' });
    const run = await runCli(['unregister', 'lemonsqueezy', '--url', PUBLIC_URL, '--store', LEMONSQUEEZY_STORE], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deleted Lemon Squeezy webhook \d+ -> https:\/\/bridge\.example\.com\/webhooks\/lemonsqueezy$/m);
    expect([...ls.webhooks.keys()]).toEqual([otherStore.id]);
  });
});
