import { afterEach, beforeEach } from 'vitest';
import { startTestBridge, type TestBridge } from './bridge.js';
import { startFakeDub, type FakeDub } from './fake-dub.js';

/**
 * Before each test: a fresh fake Dub and a bridge (real HTTP, real SQLite file) delivering to it;
 * after each test both are stopped. Read `ctx.bridge` and `ctx.dub` inside the tests.
 */
export function bridgeWithFakeDub(env: Record<string, string> = {}) {
  const ctx = {} as { dub: FakeDub; bridge: TestBridge };
  beforeEach(async () => {
    ctx.dub = await startFakeDub();
    ctx.bridge = await startTestBridge({ DUB_API_KEY: ctx.dub.apiKey, DUB_API_URL: ctx.dub.url, ...env });
  });
  afterEach(async () => {
    await ctx.bridge.close();
    await ctx.dub.close();
  });
  return ctx;
}
