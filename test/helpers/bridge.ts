import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startNodeBridge, type RunningBridge } from '../../src/runtime/node-server.js';
import { SHOPIFY_SECRET, STRIPE_SECRET, shopifyHeaders, stripeSignature, type ShopifyHeaders } from './signers.js';

export interface TestBridge {
  url: string;
  dbPath: string;
  logs: string[];
  bridge: RunningBridge;
  postStripe(payload: string | object, options?: { signature?: string; secret?: string; timestamp?: number }): Promise<Response>;
  postShopify(payload: string | object, headers: ShopifyHeaders & { hmac?: string }): Promise<Response>;
  /** Reads the SQLite file directly, as an operator would. */
  query<T = any>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

/**
 * Starts the real Node bridge (real HTTP server, real SQLite file in a temp dir) with the given
 * environment on top of test defaults.
 */
export async function startTestBridge(env: Record<string, string | undefined> = {}): Promise<TestBridge> {
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-test-'));
  const dbPath = join(dir, 'bridge.sqlite');
  const config = parseConfig({
    PORT: '0',
    DATABASE_PATH: dbPath,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    DELIVERY_BASE_BACKOFF_MS: '50',
    SWEEP_INTERVAL_MS: '100',
    DUB_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const bridge = await startNodeBridge(
    config,
    createLogger(config.LOG_LEVEL, (line) => logs.push(line)),
  );
  const url = `http://127.0.0.1:${bridge.port}`;
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  const testBridge: TestBridge = {
    url,
    dbPath,
    logs,
    bridge,
    async postStripe(payload, options = {}) {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
      const signature = options.signature ?? (await stripeSignature(body, options));
      return fetch(`${url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
    },
    async postShopify(payload, headers) {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const h = shopifyHeaders(body, headers);
      if (headers.hmac !== undefined) h['x-shopify-hmac-sha256'] = headers.hmac;
      return fetch(`${url}/webhooks/shopify`, { method: 'POST', headers: h, body });
    },
    query: (sql, ...params) => reader.prepare(sql).all(...params) as any[],
    async close() {
      running.delete(url);
      reader.close();
      await bridge.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.set(url, testBridge);
  return testBridge;
}

const running = new Map<string, TestBridge>();

/**
 * A webhook's ack and what the bridge decided for it after the ack (record first: the answer
 * only says the event is stored). Waits until the mapper took the event out of `received`, then
 * adds `outcome` (commands, ignored, unmapped, compliance), `reason`, `queued` (commands this
 * event added) and, for compliance requests, `action`, read from the bridge's SQLite file.
 */
export async function mappedAck(response: Response): Promise<any> {
  const body = (await response.json()) as { received?: boolean; duplicate?: boolean; inboxId?: number };
  const bridge = running.get(new URL(response.url).origin);
  if (!bridge || body.received !== true || body.duplicate || body.inboxId === undefined) return body;
  const id = body.inboxId;
  const row = await eventually(() => {
    const [inbox] = bridge.query<{ state: string; reason: string | null }>('SELECT state, reason FROM inbox WHERE id = ?', id);
    return inbox && inbox.state !== 'received' ? inbox : null;
  });
  const outcome = row.state === 'mapped' ? 'commands' : row.state;
  const queued = bridge.query<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE inbox_id = ?', id)[0]!.n;
  const action = bridge.query<{ action: string }>('SELECT action FROM compliance_log WHERE inbox_id = ? ORDER BY id LIMIT 1', id)[0]?.action;
  return { ...body, outcome, ...(row.reason ? { reason: row.reason } : {}), ...(action ? { action } : {}), queued };
}

/** Polls until `check` returns a truthy value (deliveries happen after the ack). */
/** The value `eventually` resolves with: whatever `check` returned once it was truthy. */
type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (last) throw last;
  throw new Error('condition not met in time');
}
