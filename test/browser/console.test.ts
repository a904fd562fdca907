import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually } from '../helpers/bridge.js';
import { bridgeWithFakeDub } from '../helpers/bridge-with-dub.js';
import { screenshot } from './screenshots.js';

/**
 * The operator console in Debian's chromium (driven by playwright-core; no browser is ever
 * downloaded), against the real Node bridge delivering to a fake Dub: sign in, find a sale by its
 * order id, trace it, replay a dead letter and see Dub receive it; requests without the session
 * cookie or the CSRF token are refused. Screenshots of each page land in test-results/console/.
 */
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'console-browser-test-token-42';
const DELIVERED_ORDER = 'pi_3QyPkQ2eZvKYlo2C1aBcDeFg';
const DEAD_ORDER = 'pi_3QyPkQ2eZvKYlo2C9dEaDlTr';

if (!existsSync(CHROMIUM)) {
  console.warn(`test/browser/console.test.ts skipped: ${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium)`);
}

/** A second paid checkout of the fixture's shape, with its own event, session and payment ids. */
function secondCheckout() {
  const event = stripeFixture('checkout-session-completed-payment');
  event.id = 'evt_1QyPkS2eZvKYlo2CdeadLtr';
  event.data.object.id = 'cs_test_console_dead_letter';
  event.data.object.payment_intent = DEAD_ORDER;
  return event;
}

describe.skipIf(!existsSync(CHROMIUM))('operator console in a browser', () => {
  const ctx = bridgeWithFakeDub({ CONSOLE_TOKEN: TOKEN });
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('sign in, find a sale by order id, trace it, replay a dead letter until Dub has it; refusals without cookie or CSRF', async () => {
    const { bridge, dub } = ctx;
    const mounted = await fetch(`${bridge.url}/console`, { redirect: 'manual' });
    expect(mounted.status, 'no console at /console: mount createConsole(deps) there when CONSOLE_TOKEN is set').toBe(303);
    const salesOf = (invoiceId: string) => dub.calls('POST', '/track/sale').filter((r) => r.body.invoiceId === invoiceId);
    expect((await bridge.postStripe(stripeFixture('checkout-session-completed-payment'))).status).toBe(200);
    await eventually(() => salesOf(DELIVERED_ORDER).some((r) => r.status === 200));
    dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: 'Invalid currency: xyz' } } });
    expect((await bridge.postStripe(secondCheckout())).status).toBe(200);
    await eventually(() => bridge.query(`SELECT 1 FROM outbox WHERE state = 'dead'`).length === 1);

    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${bridge.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await screenshot(page, 'sign-in');
    await page.getByLabel('Console token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /All providers: 1 delivered, 1 failed/ }).count()).toBe(1);
    await screenshot(page, 'overview');
    await page.setViewportSize({ width: 390, height: 844 }); // a phone
    await screenshot(page, 'overview-phone');
    await page.setViewportSize({ width: 1000, height: 800 });

    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel(/Order, invoice or payment id/).fill(DELIVERED_ORDER);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    expect(page.url()).toBe(`${bridge.url}/console/search`); // the order id went in the body, not the URL
    await screenshot(page, 'search');
    await page.getByRole('link', { name: /^Trace #/ }).click();
    await page.getByRole('heading', { name: /checkout\.session\.completed/ }).waitFor();
    const trace = await page.textContent('main');
    expect(trace).toContain('Dub accepted it');
    expect(trace).toContain('a***@example.com');
    expect(trace).not.toContain('ada@example.com');
    await screenshot(page, 'trace');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    expect(await page.textContent('main')).toContain('422 unprocessable_entity: Invalid currency: xyz');
    await screenshot(page, 'dead-letters');
    const deadId = bridge.query(`SELECT id FROM outbox WHERE state = 'dead'`)[0].id;
    await page.getByRole('button', { name: `Replay #${deadId}` }).click();
    await page.getByRole('heading', { name: 'Replay one command?' }).waitFor();
    expect(await page.textContent('main')).toContain(`sale of 10000 usd (minor units), invoice ${DEAD_ORDER}`);
    await screenshot(page, 'replay-confirm');
    expect(salesOf(DEAD_ORDER)).toHaveLength(1); // nothing sent before the confirmation

    // Refusals, made while signed in: no cookie (401), and the browser's cookie without a CSRF token (403).
    const anonymous = await fetch(`${bridge.url}/console/replay`, { method: 'POST', body: new URLSearchParams({ ids: String(deadId) }) });
    expect(anonymous.status).toBe(401);
    expect((await page.request.post(`${bridge.url}/console/replay`, { form: { ids: String(deadId) } })).status()).toBe(403);

    await page.getByRole('button', { name: 'Send 1 to Dub' }).click();
    await page.getByRole('heading', { name: 'Replay started' }).waitFor();
    await screenshot(page, 'replay-started');
    await eventually(() => salesOf(DEAD_ORDER).some((r) => r.status === 200), 10_000);
    await page.getByRole('link', { name: `Trace of #${deadId} (sale)` }).click();
    await expect.poll(async () => (await page.reload(), await page.textContent('main')), { timeout: 10_000 }).toContain('Dub accepted it');
    await screenshot(page, 'trace-after-replay');
  }, 90_000);
});
