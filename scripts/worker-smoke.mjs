#!/usr/bin/env node
// Smoke check of the Worker under `wrangler dev` (local workerd, local D1, local Queues and Durable
// Objects, no network): applies migrations/ to a temp D1, serves the Worker on 127.0.0.1 with
// DUB_API_URL pointed at a local fake Dub, sends one signed Stripe checkout and waits until the
// fake Dub sees the sale; then a burst of signed checkouts, delivered through the delivery queue
// at no more than DUB_RATE_LIMIT_PER_MINUTE, against a fake Dub that answers 429 past that rate.
// Prints the measured rate against the limit. Exits non-zero with one clear line on failure;
// bounded to about two minutes.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startFakeDub } = await import('../test/helpers/fake-dub.ts');
const { STRIPE_SECRET, SHOPIFY_SECRET, stripeSignature } = await import('../test/helpers/signers.ts');

const DEADLINE_MS = 120_000;
// The burst: BURST checkouts at once, for a key limited to RATE a minute. The fake Dub counts in
// 2-second windows of RATE / 30 (the same rate, checked over a far shorter window than a minute).
const BURST = 40;
const RATE = 600;
const WINDOW_MS = 2_000;
const WINDOW_LIMIT = (RATE * WINDOW_MS) / 60_000;
const started = Date.now();
const envScript = join(root, 'scripts/worker-env.sh');
const work = mkdtempSync(join(tmpdir(), 'dub-bridge-worker-smoke-'));
const logPath = join(work, 'wrangler-dev.log');
let dev = null;
let dub = null;

const remaining = () => DEADLINE_MS - (Date.now() - started);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + Math.min(timeoutMs, remaining());
  while (Date.now() < deadline) {
    if (dev?.exitCode !== null && dev?.exitCode !== undefined) throw new Error(`wrangler dev exited (code ${dev.exitCode}) while waiting for ${what}`);
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Stops wrangler and its workerd children: they run in their own process group. */
async function stopDev() {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise((resolve) => dev.once('exit', resolve));
  try {
    process.kill(-dev.pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])) return;
  try {
    process.kill(-dev.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

async function main() {
  const persist = join(work, 'state');
  await promisify(execFile)('bash', [envScript, 'wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    timeout: 60_000,
  }).catch((error) => {
    throw new Error(`wrangler d1 migrations apply failed: ${error.stderr || error.message}`);
  });
  console.log('worker-smoke: migrations applied to a local D1');

  dub = await startFakeDub({ rateLimit: WINDOW_LIMIT, rateWindowMs: WINDOW_MS });
  const port = await freePort();
  const vars = {
    DUB_API_URL: dub.url,
    DUB_API_KEY: dub.apiKey,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    DUB_RATE_LIMIT_PER_MINUTE: String(RATE),
    CONSOLE_TOKEN,
  };
  const log = openSync(logPath, 'w');
  dev = spawn(
    'bash',
    [
      envScript,
      'wrangler',
      'dev',
      '--local',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      persist,
      '--show-interactive-dev-session=false',
      ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  const base = `http://127.0.0.1:${port}`;
  await until('GET /healthz to answer 200', async () => (await fetch(`${base}/healthz`)).status === 200, 60_000);
  console.log(`worker-smoke: wrangler dev serving on ${base}`);

  const ack = await postCheckout(base, 0);
  console.log(`worker-smoke: webhook acknowledged: ${ack}`);

  await until('the fake Dub to receive POST /track/sale', async () => dub.calls('POST', '/track/sale').length === 1, 30_000);
  const sale = dub.calls('POST', '/track/sale')[0].body;
  console.log(
    `worker-smoke: OK, Dub received the sale (invoiceId ${sale.invoiceId}, amount ${sale.amount} ${sale.currency}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  await burst(base);
  await consoleSmoke(base, sale.invoiceId);
}

const CONSOLE_TOKEN = 'worker-smoke-console-token-0001';

/** The console under wrangler dev: refused without a session, signed in with the token, finds the sale and opens its trace. */
async function consoleSmoke(base, invoiceId) {
  const refused = await fetch(`${base}/console/`, { redirect: 'manual' });
  if (refused.status < 300 || refused.status >= 400) throw new Error(`console without a session answered ${refused.status}, not a redirect to sign-in`);
  const signIn = await fetch(`${base}/console/login`, { method: 'POST', body: new URLSearchParams({ token: CONSOLE_TOKEN }), redirect: 'manual' });
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
  if (signIn.status !== 303 || !cookie) throw new Error(`console sign-in answered ${signIn.status} without a session cookie`);
  const overview = await fetch(`${base}/console/`, { headers: { cookie } });
  const page = await overview.text();
  if (overview.status !== 200 || !page.includes('stripe')) throw new Error(`console overview answered ${overview.status}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error('console overview carries no CSRF token');
  const search = await fetch(`${base}/console/search`, {
    method: 'POST',
    headers: { cookie },
    body: new URLSearchParams({ term: invoiceId, _csrf: csrf }),
  });
  const found = await search.text();
  const trace = /href="(\/console\/events\/\d+)"/.exec(found)?.[1];
  if (search.status !== 200 || !trace) throw new Error(`console search for ${invoiceId} answered ${search.status} without the event`);
  const traced = await fetch(`${base}${trace}`, { headers: { cookie } });
  if (traced.status !== 200 || !(await traced.text()).includes(invoiceId)) throw new Error(`console trace ${trace} answered ${traced.status} without the sale`);
  console.log(`worker-smoke: OK, the console signed in, found ${invoiceId} and opened its trace (${trace})`);
}

/** The paid checkout fixture as event `n` (its own event, session and payment ids), signed and posted. */
async function postCheckout(base, n) {
  const event = JSON.parse(readFileSync(join(root, 'test/fixtures/stripe/checkout-session-completed-payment.json'), 'utf8'));
  if (n > 0) {
    event.id = `${event.id}_${n}`;
    Object.assign(event.data.object, { id: `${event.data.object.id}_${n}`, payment_intent: `pi_test_burst_${n}` });
  }
  const payload = JSON.stringify(event);
  const response = await fetch(`${base}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(payload) },
    body: payload,
  });
  const ack = await response.text();
  if (response.status !== 200) throw new Error(`POST /webhooks/stripe answered ${response.status}: ${ack}`);
  return ack;
}

/** The most requests that arrived within any `windowMs`. */
function busiest(times, windowMs) {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** BURST signed webhooks at once: all through the queue, within the rate, no 429, each sale once. */
async function burst(base) {
  const before = dub.calls('POST', '/track/sale').length;
  const sent = Date.now();
  await Promise.all(Array.from({ length: BURST }, (_, i) => postCheckout(base, i + 1)));
  console.log(`worker-smoke: ${BURST} webhooks acknowledged in ${Date.now() - sent} ms; delivering through the queue`);
  await until(`the fake Dub to receive ${BURST} more sales`, async () => dub.calls('POST', '/track/sale').length >= before + BURST, 60_000);
  // A moment for anything extra (a repeat, a 429) to show up before counting.
  await sleep(1_500);

  const calls = dub.calls('POST', '/track/sale').slice(before);
  const accepted = calls.filter((c) => c.status === 200);
  const invoices = new Set(accepted.map((c) => c.body.invoiceId));
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  const spanMs = times.at(-1) - times[0];
  const perMinute = spanMs > 0 ? ((calls.length - 1) * 60_000) / spanMs : Infinity;
  const windowMost = busiest(times, WINDOW_MS);
  const batches = (readFileSync(logPath, 'utf8').match(/QUEUE dub-bridge-delivery /g) ?? []).length;
  console.log(
    `worker-smoke: burst: ${accepted.length} sales accepted, ${invoices.size} distinct invoices, ${dub.rejected429} answered 429; ` +
      `measured ${perMinute.toFixed(0)}/min against a limit of ${RATE}/min (${((perMinute / RATE) * 100).toFixed(0)} %), ` +
      `busiest ${WINDOW_MS / 1000}-s window ${windowMost}/${WINDOW_LIMIT}, over ${(spanMs / 1000).toFixed(1)} s` +
      (batches ? `, ${batches} queue batches` : ''),
  );
  if (dub.rejected429 > 0) throw new Error(`the fake Dub answered 429 ${dub.rejected429} times: the rate limit was exceeded`);
  if (calls.length !== BURST || invoices.size !== BURST)
    throw new Error(`expected ${BURST} sales, each once; Dub saw ${calls.length} calls for ${invoices.size} invoices`);
  // The fake Dub enforces the limit per fixed window (as Dub does per minute) and answered no 429;
  // the sliding-window peak is printed for information: arrival jitter on a loaded machine moves it.
  if (perMinute > RATE) throw new Error(`delivered faster than ${RATE}/min`);
  console.log('worker-smoke: OK, the burst went through the queue within the rate, each sale once');
}

const timer = setTimeout(() => {
  console.error('worker-smoke: FAILED: over the two-minute bound');
  void stopDev().finally(() => process.exit(1));
}, DEADLINE_MS + 5_000);

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  console.error(`worker-smoke: FAILED: ${error.message}`);
  try {
    console.error(`--- last lines of wrangler dev output (${logPath}) ---\n${readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n')}`);
  } catch {
    /* wrangler dev never started */
  }
} finally {
  clearTimeout(timer);
  await stopDev();
  await dub?.close();
  rmSync(work, { recursive: true, force: true });
}
