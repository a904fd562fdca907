/**
 * `npm run demo`: starts the bridge on an embedded SQLite file and a local stand-in for Dub, sends
 * signed Stripe and Shopify webhooks (one of them twice), and prints the Dub calls that resulted.
 * Needs no account, key or network.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startNodeBridge } from '../src/runtime/node-server.js';
import { startFakeDub } from '../test/helpers/fake-dub.js';
import { shopifyHeaders, SHOPIFY_SECRET, STRIPE_SECRET, stripeSignature } from '../test/helpers/signers.js';

const DATABASE_PATH = './data/demo.sqlite';
const fixture = (path: string) => readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url), 'utf8');

async function main() {
  mkdirSync('./data', { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DATABASE_PATH}${suffix}`, { force: true });
  const dub = await startFakeDub();
  const config = parseConfig({
    PORT: '0',
    DATABASE_PATH,
    DUB_API_KEY: dub.apiKey,
    DUB_API_URL: dub.url,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    PROVISIONAL_SALE_HOLD_MS: '0',
  });
  const logs: string[] = [];
  const bridge = await startNodeBridge(
    config,
    createLogger('info', (line) => logs.push(line)),
  );
  const url = `http://127.0.0.1:${bridge.port}`;
  console.log(`dub-bridge listening on ${url} (SQLite: ${DATABASE_PATH}); stand-in Dub on ${dub.url}\n`);

  const sendStripe = async (label: string, body: string) => {
    const response = await fetch(`${url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(body) },
      body,
    });
    console.log(`→ Stripe  ${label.padEnd(44)} ${response.status} ${await response.text()}`);
  };
  const sendShopify = async (label: string, topic: string, body: string, eventId: string) => {
    const response = await fetch(`${url}/webhooks/shopify`, {
      method: 'POST',
      headers: shopifyHeaders(body, { topic, shop: 'partner-goods.myshopify.com', eventId }),
      body,
    });
    console.log(`→ Shopify ${label.padEnd(44)} ${response.status} ${await response.text()}`);
  };

  const checkout = fixture('stripe/checkout-session-completed-payment.json');
  await sendStripe('checkout.session.completed ($108, $8 tax)', checkout);
  await sendStripe('the same event again (provider retry)', checkout);
  await sendStripe('checkout.session.completed (subscription)', fixture('stripe/checkout-session-completed-subscription.json'));
  await sendStripe('invoice.paid (first invoice, same sale)', fixture('stripe/invoice-paid-subscription-create.json'));
  await sendStripe('invoice.paid (renewal, only cus_… on it)', fixture('stripe/invoice-paid-renewal-legacy-api.json'));
  await sendShopify('orders/paid (USD 199.99, 19-digit ids)', 'orders/paid', fixture('shopify/orders-paid.json'), 'demo-1');
  await sendShopify('orders/paid (JPY 1000, guest)', 'orders/paid', fixture('shopify/orders-paid-jpy.json'), 'demo-2');
  await sendShopify('the same order again (same event id)', 'orders/paid', fixture('shopify/orders-paid-jpy.json'), 'demo-2');

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && dub.requests.length < 5) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));

  console.log(`\nDub received ${dub.requests.length} calls:`);
  for (const request of dub.requests) {
    const b = request.body ?? {};
    console.log(
      `  ${request.method} ${request.path}  ${b.customerExternalId ?? ''} amount=${b.amount} ${b.currency} invoiceId=${b.invoiceId}${b.clickId ? ` clickId=${b.clickId}` : ''}`,
    );
  }
  const health = await (await fetch(`${url}/healthz`)).json();
  console.log(`\n/healthz: ${JSON.stringify(health)}`);
  await bridge.shutdown();
  await dub.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
