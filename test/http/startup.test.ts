import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startTestBridge } from '../helpers/bridge.js';

/** Starting the real entry point with a bad environment: one clear line, no stack trace. */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/runtime/node.ts'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'dub-bridge-start-')), 'db.sqlite'), ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('configuration is validated at start', () => {
  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DUB_API_URL: 'not a url' }, 'DUB_API_URL'],
    [{ STRIPE_WEBHOOK_SECRET: 'sk_test_wrong_kind_of_secret' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ TEST_EVENTS: 'sometimes' }, 'TEST_EVENTS'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
  ])('%o stops the process with one line naming %s', (env, variable) => {
    const { status, stderr } = start(env);
    expect(status).toBe(78);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(variable);
  });

  test('a DATABASE_PATH in a missing directory is one clear line, not a crash', () => {
    const { status, stderr } = start({ DATABASE_PATH: '/nonexistent-dir-for-dub-bridge/db.sqlite' });
    expect(status).toBe(78);
    expect(stderr).toMatch(/^dub-bridge: DATABASE_PATH: directory .* does not exist/);
    expect(stderr.split('\n')).toHaveLength(1);
  });
});

test('GET /healthz answers 200 once migrations ran, with outbox counts', async () => {
  // A key is set (without one /healthz says no_api_key with 503: see the next test).
  const bridge = await startTestBridge({ DUB_API_KEY: 'dub_test_key_0123456789', DUB_API_URL: 'http://127.0.0.1:9' });
  try {
    const response = await fetch(`${bridge.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      database: 'ok',
      delivery: { status: 'running' },
      outbox: { pending: 0, delivered: 0, dead: 0 },
    });
    expect(bridge.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'outbox'`)).toHaveLength(1);
    expect(bridge.query('PRAGMA journal_mode')[0].journal_mode).toBe('wal');
  } finally {
    await bridge.close();
  }
});

test('GET /healthz answers 503 no_api_key without DUB_API_KEY, and 200 dry_run with DRY_RUN=1', async () => {
  const noKey = await startTestBridge();
  const dry = await startTestBridge({ DRY_RUN: '1' });
  try {
    const missing = await fetch(`${noKey.url}/healthz`);
    expect(missing.status).toBe(503);
    expect(JSON.stringify(await missing.json())).toContain('no_api_key');
    const dryRun = await fetch(`${dry.url}/healthz`);
    expect(dryRun.status).toBe(200);
    expect(JSON.stringify(await dryRun.json())).toContain('dry_run');
  } finally {
    await noKey.close();
    await dry.close();
  }
});
