import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerParent } from './ipc.js';

/**
 * A lean stand-in for Dub's track API for load runs (test/helpers/fake-dub.ts validates and
 * records every request, which is right for tests and too heavy for 100,000 calls). It checks the
 * key, enforces a fixed-window rate limit aligned to the clock like Dub's per-minute limit
 * (429 with Dub's millisecond-epoch Retry-After), optionally answers after a delay, and counts.
 */
const apiKey = process.env.FAKE_DUB_KEY ?? 'dub_bench_key_0123456789';
const delayMs = Number(process.env.FAKE_DUB_DELAY_MS ?? 0);
const perMinute = Number(process.env.FAKE_DUB_RATE_PER_MINUTE ?? 0);
const windowMs = Number(process.env.FAKE_DUB_WINDOW_MS ?? 60_000);
const perWindow = Math.floor((perMinute * windowMs) / 60_000);

const stats = { accepted: 0, rejected429: 0, unauthorized: 0, firstAt: 0, lastAt: 0 };
let windowStart = 0;
let windowCount = 0;

function rateLimited(now: number): number | null {
  if (!perMinute) return null;
  const start = now - (now % windowMs);
  if (start !== windowStart) {
    windowStart = start;
    windowCount = 0;
  }
  return ++windowCount > perWindow ? windowStart + windowMs : null;
}

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  const now = Date.now();
  if (req.headers.authorization !== `Bearer ${apiKey}`) {
    stats.unauthorized++;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"unauthorized","message":"Invalid API key."}}');
    return;
  }
  const reset = rateLimited(now);
  if (reset !== null) {
    stats.rejected429++;
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(reset), 'x-ratelimit-reset': String(reset) });
    res.end('{"error":{"code":"rate_limit_exceeded","message":"Too many requests."}}');
    return;
  }
  stats.accepted++;
  stats.firstAt ||= now;
  stats.lastAt = now;
  const sale = req.url === '/track/sale' ? JSON.parse(body) : null;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    sale
      ? JSON.stringify({
          eventName: sale.eventName,
          customer: { id: 'cus_fake', externalId: sale.customerExternalId },
          sale: { amount: sale.amount, currency: sale.currency, invoiceId: sale.invoiceId },
        })
      : '{"click":{"id":"clk_fake"},"customer":{"id":"cus_fake"}}',
  );
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (delayMs) setTimeout(() => answer(req, res, body), delayMs);
    else answer(req, res, body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  answerParent((server.address() as AddressInfo).port, {
    stats: () => stats,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  });
});
