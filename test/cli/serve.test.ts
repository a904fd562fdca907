import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { STRIPE_SECRET, stripeSignature } from '../helpers/signers.js';
import { runCli } from './helpers/run-cli.js';

/** `dub-bridge serve` as a child process: serves signed webhooks, delivers them, stops on SIGTERM. */
let dub: FakeDub;
const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-serve-'));
beforeAll(async () => {
  dub = await startFakeDub();
});
afterAll(async () => {
  await dub.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serve takes a signed webhook, delivers it to Dub, and exits 0 on SIGTERM', async () => {
  const env = {
    PATH: process.env.PATH,
    DUB_BRIDGE_ENV_FILE: 'off',
    DATABASE_PATH: join(dir, 'serve.sqlite'),
    PORT: '0',
    DUB_API_KEY: dub.apiKey,
    DUB_API_URL: dub.url,
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const port = await eventually(() => {
      const listening = stdout.split('\n').find((line) => line.includes('"dub-bridge listening"'));
      return listening ? (JSON.parse(listening) as { port: number }).port : undefined;
    }, 20_000);

    const body = JSON.stringify(stripeFixture('checkout-session-completed-payment'));
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(body) },
      body,
    });
    expect(response.status).toBe(200);
    await eventually(() => dub.calls('POST', '/track/sale').length === 1);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('dub-bridge stopped');
  } finally {
    child.kill('SIGKILL');
  }
  const status = JSON.parse((await runCli(['status', '--json'], { DATABASE_PATH: env.DATABASE_PATH })).stdout);
  expect(status).toMatchObject({ events: 1, commands: { delivered: 1, pending: 0 } });
});
