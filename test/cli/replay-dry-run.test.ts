import { afterAll, beforeAll, expect, test } from 'vitest';
import { stripeFixture } from '../fixtures/stripe/index.js';
import { eventually, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Commands recorded in dry run (DRY_RUN=1, no key) stay replayable: `--all-dry-run` takes them
 * all and `--from/--to` takes them with the dead letters, as the start-up hint tells the operator.
 */
let bridge: TestBridge;
const checkout = stripeFixture('checkout-session-completed-payment');

beforeAll(async () => {
  bridge = await startTestBridge({ DRY_RUN: '1' });
  expect((await bridge.postStripe(checkout)).status).toBe(200);
  await eventually(() => bridge.query("SELECT 1 FROM outbox WHERE state = 'dry_run'").length === 1);
});
afterAll(() => bridge.close());

test('--all-dry-run and a --from/--to range select dry-run commands; replaying requeues them', async () => {
  const env = { DATABASE_PATH: bridge.dbPath };
  const [all, range, dead] = await Promise.all([
    runCli(['replay', '--all-dry-run', '--dry-run'], env),
    runCli(['replay', '--from', '2000-01-01', '--dry-run'], env),
    runCli(['replay', '--all-dead', '--dry-run'], env),
  ]);
  expect(all.stdout).toMatch(/would replay 1 command\n\s+#\d+ stripe sale\s+dry_run/);
  expect(range.stdout).toMatch(/would replay 1 command\n\s+#\d+ stripe sale\s+dry_run/);
  expect(dead.stdout).toContain('would replay 0 commands');

  const run = await runCli(['replay', '--all-dry-run', '--json'], env);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ matched: 1, requeued: 1, problems: [] });
});
