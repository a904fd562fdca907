import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually } from '../helpers/bridge.js';
import { STRIPE_SECRET, stripeSignature } from '../helpers/signers.js';
import { root, runCli } from './helpers/run-cli.js';

/**
 * `.env` in the working directory is loaded by `npm start` and by the CLI; a variable already in
 * the environment wins; `doctor` on a fresh copy of .env.example lists what to fill in next.
 */
const dirs: string[] = [];
const project = (dotenv: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-envfile-'));
  dirs.push(dir);
  writeFileSync(join(dir, '.env'), dotenv);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
/** The CLI with the default .env lookup (run-cli turns it off unless told). */
const withEnvFile = { DUB_BRIDGE_ENV_FILE: undefined };

describe('the CLI', () => {
  test('doctor reads ./.env, says so, lets the environment win and warns about a misspelt variable', async () => {
    const cwd = project(`STRIPE_WEBHOOK_SECRET=${STRIPE_SECRET}\nDRY_RUN=1\nPORT=1234\nLOGLEVEL=debug\nDATABASE_PATH=./bridge.sqlite\n`);
    const run = await runCli(['doctor'], { ...withEnvFile, PORT: '9999' }, { cwd });
    expect(run.stdout).toContain(
      `ok    config: environment is valid; loaded ${join(cwd, '.env')}: 4 variables set; kept the environment's own PORT (the environment wins over the file)`,
    );
    expect(run.stdout).toMatch(/^warn\s+config: LOGLEVEL is not read by dub-bridge; did you mean LOG_LEVEL\?$/m);
    expect(run.stdout).toMatch(/^ok\s+stripe: STRIPE_WEBHOOK_SECRET set \(1 secret\)$/m);
    expect(run.stdout).toMatch(/^warn\s+dub: DRY RUN \(DRY_RUN=1, no DUB_API_KEY\)/m);
    expect(run.stdout).toMatch(/^warn\s+database: .*bridge\.sqlite does not exist yet; npm start \(or "dub-bridge migrate"\) creates it$/m);
    expect(run.stdout).toMatch(
      /^info\s+not configured \(their routes answer 503 until set\): shopify \(SHOPIFY_API_SECRET\), paddle \(PADDLE_WEBHOOK_SECRET\)/m,
    );
    expect(run.code).toBe(0);
  });

  test('on a fresh copy of .env.example, doctor lists what to fill in next, each failure naming its variable', async () => {
    const cwd = project('');
    copyFileSync(join(root, '.env.example'), join(cwd, '.env'));
    const run = await runCli(['doctor'], withEnvFile, { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok\s+config: environment is valid; loaded /m);
    expect(run.stdout).toMatch(/^fail\s+dub: no key: DUB_API_KEY is not set/m);
    expect(run.stdout).toMatch(
      /^fail\s+secrets: no payment processor is configured, so every webhook is refused; set the variable of yours: STRIPE_WEBHOOK_SECRET \(stripe\), SHOPIFY_API_SECRET \(shopify\)/m,
    );
  });

  test('DUB_BRIDGE_ENV_FILE=off skips the file; a missing named file is a configuration error', async () => {
    const cwd = project(`STRIPE_WEBHOOK_SECRET=${STRIPE_SECRET}\n`);
    const off = await runCli(['doctor'], { DUB_BRIDGE_ENV_FILE: 'off' }, { cwd });
    expect(off.stdout).toMatch(/^ok\s+config: environment is valid$/m);
    expect(off.stdout).toMatch(/^fail\s+secrets: no payment processor is configured/m);
    const missing = await runCli(['status'], { DUB_BRIDGE_ENV_FILE: 'prod.env' }, { cwd });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain(`DUB_BRIDGE_ENV_FILE: no file at ${join(cwd, 'prod.env')}`);
  });
});

describe('npm start (src/runtime/node.ts)', () => {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const start = (cwd: string, env: Record<string, string>) =>
    spawn(process.execPath, ['--import', tsx, join(root, 'src/runtime/node.ts')], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  test('takes its secret from ./.env, keeps variables the environment sets, logs both, and warns about a misspelt variable', async () => {
    const cwd = project(
      `PORT=0\nSTRIPE_WEBHOOK_SECRET=${STRIPE_SECRET}\nDATABASE_PATH=./bridge.sqlite\nTEST_EVENTS=skip\nDRY_RUN=1\nSHOPIFY_API_SECRETS=shpss_typo\n`,
    );
    const child = start(cwd, { TEST_EVENTS: 'forward' });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const logs = () =>
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line));
      const listening = await eventually(() => logs().find((l) => l.msg === 'dub-bridge listening'), 20_000);
      const loaded = await eventually(() => logs().find((l) => typeof l.envFile === 'string'));
      expect(loaded).toMatchObject({ level: 'info', envFile: join(cwd, '.env'), keptFromEnvironment: ['TEST_EVENTS'] });
      expect([...loaded.set].sort()).toEqual(['DATABASE_PATH', 'DRY_RUN', 'PORT', 'SHOPIFY_API_SECRETS', 'STRIPE_WEBHOOK_SECRET']);
      const hint = await eventually(() => logs().find((l) => l.variable === 'SHOPIFY_API_SECRETS'));
      expect(hint).toMatchObject({
        level: 'warn',
        suggestion: 'SHOPIFY_API_SECRET',
        msg: 'SHOPIFY_API_SECRETS is not read by dub-bridge; did you mean SHOPIFY_API_SECRET?',
      });
      expect(loaded.msg).toContain("kept the environment's own TEST_EVENTS (the environment wins over the file)");
      expect(JSON.stringify(logs())).not.toContain(STRIPE_SECRET);

      // A test-mode event: TEST_EVENTS=forward from the environment beats skip from the file.
      const event = stripeFixture('checkout-session-completed-payment');
      event.livemode = false;
      const body = JSON.stringify(event);
      const response = await fetch(`http://127.0.0.1:${listening.port}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': await stripeSignature(body) },
        body,
      });
      expect(response.status).toBe(200);
      const db = new Database(join(cwd, 'bridge.sqlite'), { readonly: true });
      try {
        // Mapped to a sale, not skipped as a test event.
        expect(db.prepare('SELECT state FROM inbox').all()).toEqual([{ state: 'mapped' }]);
        expect(db.prepare('SELECT kind FROM outbox').all()).toEqual([{ kind: 'sale' }]);
      } finally {
        db.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  test('a bad value in .env stops the start (78) naming the variable and the file', async () => {
    const cwd = project('PORT=eighty\n');
    const child = start(cwd, {});
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(78);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain(`(values from the environment and ${join(cwd, '.env')})`);
  });
});
