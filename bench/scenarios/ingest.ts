import { startChild } from '../child.js';
import { bridgeEnv, countReceived, countRows, DUB_KEY, tempDatabase, type BenchContext } from '../context.js';
import { shopifyOrders, stripeCheckouts } from '../events.js';
import { runHttpScenario, type HttpResult } from './http.js';

/** 1. Hono on @hono/node-server, body read, 200: the HTTP ceiling of this machine. */
export const bare = (ctx: BenchContext) =>
  runHttpScenario(ctx, {
    name: 'bare',
    label: 'bare Hono 200',
    server: 'bare',
    path: '/webhooks/stripe',
    next: stripeCheckouts(`${ctx.runId}b`),
    notes: 'reads the body, answers 200',
  });

/** The same open loop as fixed-rate against bare Hono: the ack latency this machine gives any server. */
export const bareFixedRate = (ctx: BenchContext) =>
  runHttpScenario(ctx, {
    name: 'bare-rate',
    label: `bare Hono @${ctx.options.fixedRate}/s`,
    server: 'bare',
    path: '/webhooks/stripe',
    next: stripeCheckouts(`${ctx.runId}br`),
    rate: ctx.options.fixedRate,
    notes: 'reads the body, answers 200: the latency floor of this machine at this rate',
  });

/** 2. The bridge's own Stripe verifier (Web Crypto HMAC, JSON.parse), then 200. */
export const verifyOnly = (ctx: BenchContext) =>
  runHttpScenario(ctx, {
    name: 'verify',
    label: "verify-only, the bridge's verifier",
    server: 'verify-only',
    path: '/webhooks/stripe',
    next: stripeCheckouts(`${ctx.runId}v`),
    notes: "the bridge's verifier (src/handlers/stripe/verify.ts, Web Crypto) incl. JSON.parse, then 200",
  });

/** 2b. The cheapest correct endpoint: node:crypto HMAC in constant time and JSON.parse, then 200. */
export const verifyNode = (ctx: BenchContext) =>
  runHttpScenario(ctx, {
    name: 'verify-node',
    label: 'verify-only (node:crypto): the baseline',
    server: 'verify-node',
    path: '/webhooks/stripe',
    next: stripeCheckouts(`${ctx.runId}vn`),
    notes: 'Stripe-Signature checked with node:crypto (timingSafeEqual), JSON.parse, then 200',
  });

/** 3. The real bridge: verify, identify, one durable insert, ack; mapping right after on the same core. */
async function bridge(ctx: BenchContext, name: string, provider: 'stripe' | 'shopify', rate?: number, server = 'bridge'): Promise<HttpResult> {
  const db = tempDatabase();
  try {
    return await runHttpScenario(ctx, {
      name,
      label: server === 'bridge-held' ? 'ack path alone (mapping held back)' : rate ? `bridge @${rate}/s` : `bridge ${provider}`,
      server,
      env: bridgeEnv(ctx, db.path),
      path: `/webhooks/${provider}`,
      next: provider === 'stripe' ? stripeCheckouts(`${ctx.runId}${name}`) : shopifyOrders(`${ctx.runId}${name}`),
      ...(rate ? { rate } : {}),
      notes: `${provider === 'stripe' ? 'checkout.session.completed' : 'orders/paid'}, unique ids; ${server === 'bridge-held' ? 'stored and acked, never mapped' : 'stored, acked, then mapped and dispatched (dry run) on the same core'}`,
      recorded: () => countRows(db.path),
      // The held bridge never maps: nothing to wait for.
      ...(server === 'bridge' ? { backlog: () => countReceived(db.path) } : {}),
    });
  } finally {
    db.remove();
  }
}

export const bridgeStripe = (ctx: BenchContext) => bridge(ctx, 'bridge', 'stripe');
export const bridgeShopify = (ctx: BenchContext) => bridge(ctx, 'shopify', 'shopify');
export const bridgeFixedRate = (ctx: BenchContext) => bridge(ctx, 'fixed-rate', 'stripe', ctx.options.fixedRate);
/** The bridge's ack path with nothing after it (servers/bridge-held.ts): what mapping costs the bridge row above. */
export const ackOnly = (ctx: BenchContext) => bridge(ctx, 'ack-only', 'stripe', undefined, 'bridge-held');

/** 4. Verify, then `await` Dub (fake, 150 ms per call) before answering: what users write instead. */
const naiveHandler = (ctx: BenchContext, name: string, rate?: number) =>
  runHttpScenario(ctx, {
    name,
    label: rate ? `naive @${rate}/s` : 'naive (awaits Dub)',
    server: 'naive',
    path: '/webhooks/stripe',
    next: stripeCheckouts(`${ctx.runId}${name}`),
    ...(rate ? { rate } : {}),
    notes: `fake Dub answers in ${ctx.options.naiveDubDelayMs} ms, no rate limit`,
    helpers: async () => {
      const dub = await startChild('fake-dub', { FAKE_DUB_KEY: DUB_KEY, FAKE_DUB_DELAY_MS: String(ctx.options.naiveDubDelayMs) }, ctx.clientCpu);
      return { env: { DUB_API_URL: `http://127.0.0.1:${dub.port}`, DUB_API_KEY: DUB_KEY }, stop: dub.stop };
    },
  });

export const naive = (ctx: BenchContext) => naiveHandler(ctx, 'naive');
/** The naive handler at the fixed-rate run's arrival rate: ack latency next to the bridge's. */
export const naiveFixedRate = (ctx: BenchContext) => naiveHandler(ctx, 'naive-rate', ctx.options.fixedRate);
