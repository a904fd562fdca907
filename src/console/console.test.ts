import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_REASON, DONE, SHOPIFY_ORDER_ID, seededStore } from '../../test/browser/seed-store.js';
import { parseConfig } from '../config.js';
import type { Store } from '../db/store.js';
import { opsQueries } from '../ops/queries.js';
import { replay, type ReplayOptions, type ReplaySelector } from '../ops/replay.js';
import { createConsole, type ConsoleDeps } from './index.js';
import { SESSION_MS } from './session.js';

const TOKEN = 'console-test-token-0123456789';
let app: Hono;
let store: Store;
let inbox: Awaited<ReturnType<typeof seededStore>>['inbox'];
let dispose: () => void;
let now = DONE + 60_000;
let replays: Array<[ReplaySelector, ReplayOptions]>;
let deps: ConsoleDeps;

beforeEach(async () => {
  const seeded = await seededStore();
  ({ store, inbox, dispose } = seeded);
  now = DONE + 60_000;
  replays = [];
  const config = parseConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_test_console_secret_000000000000' });
  deps = {
    store,
    queries: opsQueries(seeded.db),
    config: { CONSOLE_TOKEN: TOKEN },
    now: () => now,
    replay: (selector, options) => {
      replays.push([selector, options]);
      return replay(selector, options, { store, config, now: () => now });
    },
    dispatcherStatus: () => ({ paused: false, pausedReason: null, inFlight: 0 }),
  };
  app = new Hono().route('/console', createConsole(deps));
});
afterEach(() => dispose());

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return body;
};
const post = (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

/** Signs in; returns the cookie header and the page's CSRF token. */
async function signIn() {
  const response = await post('/console/login', { token: TOKEN });
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await app.request('/console', { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
  return { cookie, csrf, page };
}

describe('sign-in, session and CSRF', () => {
  it('sends a visitor without a session to the sign-in page, and refuses a wrong token', async () => {
    const response = await app.request('/console/dead');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/login');
    const wrong = await post('/console/login', { token: 'not-the-console-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('not the console token');
  });

  it('signs in with the token into an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS) that expires', async () => {
    const plain = await post('/console/login', { token: TOKEN });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('set-cookie')).toMatch(/^dub_console=\d+\.[0-9a-f]{32}\.[0-9a-f]{64}; Max-Age=28800; Path=\/console; HttpOnly; SameSite=Strict$/);
    const proxied = await post('/console/login', { token: TOKEN }, { 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toContain('; Secure');

    const { cookie } = await signIn();
    expect((await app.request('/console', { headers: { cookie } })).status).toBe(200);
    now += SESSION_MS + 1;
    expect((await app.request('/console', { headers: { cookie } })).status).toBe(303);
  });

  it('refuses a forged cookie, a POST without a session (401) and a POST without the CSRF token (403)', async () => {
    const { cookie, csrf } = await signIn();
    const forged = cookie.replace(/\.(\d+)\./, (_, n) => `.${n}.`).replace(/^dub_console=\d+/, `dub_console=${now + 10 * SESSION_MS}`);
    expect((await app.request('/console', { headers: { cookie: forged } })).status).toBe(303);

    const replayForm = { ids: '2', _csrf: csrf };
    expect((await post('/console/replay', replayForm)).status).toBe(401);
    expect((await post('/console/replay', { ids: '2' }, { cookie })).status).toBe(403);
    expect((await post('/console/replay', { ids: '2', _csrf: 'f'.repeat(64) }, { cookie })).status).toBe(403);
    expect(replays).toEqual([]);
    expect((await post('/console/replay', replayForm, { cookie })).status).toBe(200);
    expect(replays).toHaveLength(1);
  });

  it('answers with a strict content security policy and no caching', async () => {
    const { cookie } = await signIn();
    const response = await app.request('/console', { headers: { cookie } });
    expect(response.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self'; form-action 'self'/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('pages', () => {
  it('overview: running, paused or dry run; counts per provider and tenant, the 24-hour chart, and not_attributed in words', async () => {
    const { page } = await signIn();
    expect(page).toContain('Running.');
    expect(page).toContain('shopify · default key');
    expect(page).toMatch(/aria-label="All providers: 1 delivered, 2 failed in the last 24 hours; busiest hour \d\d:00 UTC"/);
    expect(page).toContain('it had no click or lead for this customer');
    deps.dispatcherStatus = () => ({ paused: true, pausedReason: '401 unauthorized: Invalid API key', inFlight: 0 });
    const { page: paused } = await signIn();
    expect(paused).toContain('Paused.</strong> Dub refused the API key (401 unauthorized: Invalid API key). Fix DUB_API_KEY');
    deps.deliveryMode = 'dry_run';
    const { page: dry } = await signIn();
    expect(dry).toContain('Dry run.');
  });

  it('search posts the term (never in the URL) and shows masked results linking to the trace', async () => {
    const { cookie, csrf } = await signIn();
    const byOrder = await (await post('/console/search', { term: SHOPIFY_ORDER_ID, _csrf: csrf }, { cookie })).text();
    expect(byOrder).toContain(`href="/console/events/${inbox.shopify}"`);
    expect(byOrder).not.toContain(`/console/events/${inbox.stripe}"`);
    const byEmail = await (await post('/console/search', { term: 'ADA@example.com', _csrf: csrf }, { cookie })).text();
    expect(byEmail).toContain(`href="/console/events/${inbox.stripe}"`);
    expect(byEmail.toLowerCase()).not.toContain('ada@example.com');
  });

  it('trace: masked fields, one revealed on an explicit POST, the ignore reason, and a 404 for an unknown event', async () => {
    const { cookie, csrf } = await signIn();
    const trace = await (await app.request(`/console/events/${inbox.stripe}`, { headers: { cookie } })).text();
    expect(trace).toContain('a***@example.com');
    expect(trace).not.toContain('ada@example.com');
    expect(trace).not.toContain('Ada Lovelace');
    const field = /name="field" value="(\d+:body\.customerEmail)"/.exec(trace)![1]!;
    const revealed = await (await post(`/console/events/${inbox.stripe}/reveal`, { field, _csrf: csrf }, { cookie })).text();
    expect(revealed).toContain('ada@example.com');
    expect(revealed).not.toContain('Ada Lovelace');
    const ignored = await (await app.request(`/console/events/${inbox.ignored}`, { headers: { cookie } })).text();
    expect(ignored).toContain('Ignored by the stripe mapping for checkout.session.completed: checkout session not paid yet and no Dub click id');
    expect((await app.request('/console/events/9999', { headers: { cookie } })).status).toBe(404);
  });

  it('dead letters grouped by reason; replaying all of a reason confirms what will be sent, then requeues', async () => {
    const { cookie, csrf } = await signIn();
    const dead = await (await app.request('/console/dead', { headers: { cookie } })).text();
    expect(dead).toContain(DEAD_REASON);
    expect(dead).toContain('Replay all 2 with this reason');
    const reason = /name="reason" value="([0-9a-f]{64})"/.exec(dead)![1]!;

    const confirm = await (await post('/console/replay/confirm', { scope: 'reason', reason, from: 'dead', _csrf: csrf }, { cookie })).text();
    expect(confirm).toContain('Replay 2 commands?');
    expect(confirm).toContain(`sale of 4900 usd (minor units), invoice gid://shopify/Order/${SHOPIFY_ORDER_ID}, customer shopify_9`);
    expect(replays).toEqual([]);
    const ids = /name="ids" value="([\d,]+)"/.exec(confirm)![1]!;

    const done = await (await post('/console/replay', { ids, from: 'dead', _csrf: csrf }, { cookie })).text();
    expect(done).toContain('2 of 2 commands are queued again');
    expect(replays[0]).toEqual([
      { by: 'ids', ids: ids.split(',').map(Number) },
      { remap: false, states: ['dead'] },
    ]);
    expect((await store.listOutbox({ states: ['pending'] })).length).toBe(2);
  });

  it('replays one selected dead letter with re-map, and says when nothing was selected', async () => {
    const { cookie, csrf } = await signIn();
    const none = await (await post('/console/replay/confirm', { scope: 'selected', from: 'dead', _csrf: csrf }, { cookie })).text();
    expect(none).toContain('Nothing to replay');
    const [letter] = await store.listOutbox({ states: ['dead'] });
    const confirm = await (
      await post('/console/replay/confirm', { scope: 'selected', ids: [String(letter!.id)], remap: '1', from: 'dead', _csrf: csrf }, { cookie })
    ).text();
    expect(confirm).toContain('Replay one command?');
    expect(confirm).toContain('rebuilt from its stored webhook with today&#39;s mappers');
    expect(confirm).toContain('name="remap" value="1"');
  });
});
