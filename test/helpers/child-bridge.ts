import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SHOPIFY_SECRET, STRIPE_SECRET, shopifyHeaders, stripeSignature, type ShopifyHeaders } from './signers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Small timings so faults, retries and leases play out in seconds. */
export const childDefaults: Record<string, string> = {
  // A developer's own .env must not leak into the bridge under test.
  DUB_BRIDGE_ENV_FILE: 'off',
  PORT: '0',
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  SHOPIFY_API_SECRET: SHOPIFY_SECRET,
  DELIVERY_BASE_BACKOFF_MS: '50',
  DELIVERY_MAX_BACKOFF_MS: '400',
  SWEEP_INTERVAL_MS: '100',
  LEASE_MS: '2000',
  DUB_TIMEOUT_MS: '800',
  DUB_RATE_LIMIT_PER_MINUTE: '60000',
  SHUTDOWN_GRACE_MS: '1000',
  DELIVERY_PAUSE_PROBE_MS: '300',
  LOG_LEVEL: 'info',
};

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildBridge {
  url: string;
  pid: number;
  /** JSON log lines written so far. */
  logs: Array<Record<string, unknown> & { msg: string; level: string }>;
  stderr: () => string;
  exited: Promise<ExitStatus>;
  postStripe(body: string | object): Promise<Response>;
  postShopify(body: string | object, headers: ShopifyHeaders): Promise<Response>;
  /** Sends a signal and waits (bounded) for the process to end. */
  kill(signal: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
}

/** A fresh directory for a test's SQLite file (readable by other users, for the uid test). */
export function tempDatabasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-child-'));
  chmodSync(dir, 0o755);
  return join(dir, 'bridge.sqlite');
}

/** Spawns `node --import tsx src/runtime/node.ts`, the same entry `npm start` runs after its build. */
export function spawnBridge(env: Record<string, string>, options: { uid?: number; gid?: number } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...childDefaults, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

function exitOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Runs the bridge until it exits by itself (startup errors); kills it after `timeoutMs`. */
export async function runUntilExit(env: Record<string, string>, options: { uid?: number; gid?: number; timeoutMs?: number } = {}) {
  const child = spawnBridge(env, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const status = await exitOf(child);
  clearTimeout(timer);
  return { ...status, stdout, stderr };
}

/** Starts the bridge as a child process and resolves once it listens. */
export async function startChildBridge(env: Record<string, string>): Promise<ChildBridge> {
  const child = spawnBridge(env);
  const logs: ChildBridge['logs'] = [];
  let stderr = '';
  let buffered = '';
  const exited = exitOf(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${stderr}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line);
        logs.push(entry);
        if (entry.msg === 'dub-bridge listening') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      }
    });
    void exited.then((status) => reject(new Error(`bridge exited (${status.code ?? status.signal}) before listening: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pid: child.pid!,
    logs,
    stderr: () => stderr,
    exited,
    async postStripe(body) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const signature = await stripeSignature(text);
      return fetch(`${url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: text });
    },
    async postShopify(body, headers) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return fetch(`${url}/webhooks/shopify`, { method: 'POST', headers: shopifyHeaders(text, headers), body: text });
    },
    async kill(signal, timeoutMs = 10_000) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
}

/** Reads the bridge's SQLite file as an operator would (a separate connection, WAL-aware). */
export function openDatabase(path: string) {
  const db = new Database(path, { fileMustExist: true });
  return {
    all: <T = any>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    get: <T = any>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T,
    run: (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params),
    close: () => db.close(),
  };
}

/** Polls until `check` returns a truthy value. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
