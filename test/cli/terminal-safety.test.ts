import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startFakeDub, type FakeDub } from '../helpers/fake-dub.js';
import { root, runCli } from './helpers/run-cli.js';

/**
 * What the CLI prints from the database is text from outside (webhooks, Dub's answers): it must
 * not drive the operator's terminal. And `dub-bridge … | head` must end quietly.
 */
let dub: FakeDub;
let bridge: TestBridge;
const checkout = stripeFixture('checkout-session-completed-payment');
// Dub quotes what it was sent; an attacker-chosen customer name can carry terminal escapes.
const hostile = 'customer \x1b]0;owned\x07 named \x1b[2J\x1b[31mred\u202e\nok    forged line';

beforeAll(async () => {
  dub = await startFakeDub();
  bridge = await startTestBridge({ DUB_API_KEY: dub.apiKey, DUB_API_URL: dub.url });
  dub.fail('sale', { status: 422, body: { error: { code: 'unprocessable_entity', message: hostile } } });
  expect((await bridge.postStripe(checkout)).status).toBe(200);
  await eventually(() => bridge.query("SELECT 1 FROM outbox WHERE state = 'dead'").length > 0);
});
afterAll(async () => {
  await bridge.close();
  await dub.close();
});

describe('control characters from stored strings', () => {
  test('status, events show and replay --dry-run print them inert, on one line', async () => {
    const env = { DATABASE_PATH: bridge.dbPath };
    const runs = await Promise.all([runCli(['status'], env), runCli(['events', 'show', checkout.id], env), runCli(['replay', '--all-dead', '--dry-run'], env)]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('owned');
      // No escape, bell, bidi override or injected newline reaches the terminal.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
      expect(run.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
      expect(run.stdout).not.toMatch(/^ok {4}forged line/m);
      expect(run.stdout).toContain('\\u001b]0;owned\\u0007');
    }
  });

  test('--json keeps the stored text exactly (JSON escapes it)', async () => {
    const run = await runCli(['status', '--json'], { DATABASE_PATH: bridge.dbPath });
    expect(JSON.parse(run.stdout).deadLetters[0].lastError).toContain('\x1b]0;owned\x07');
  });
});

describe('a closed pipe', () => {
  test('`events show … | head` ends with 0 and no EPIPE stack when the reader has gone', async () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'src/cli/index.ts'), 'events', 'show', checkout.id, '--payload'], {
      cwd: root,
      env: { PATH: process.env.PATH, DUB_BRIDGE_ENV_FILE: 'off', DATABASE_PATH: bridge.dbPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command writes (as `head` does once it has its lines).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
