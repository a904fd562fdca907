import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, test } from 'vitest';
import worker from '../../src/runtime/worker.js';

/** Secrets and vars come from the Worker's env and go through the same zod schema as on Node. */
test('a malformed secret answers 500 naming the variable, and nothing is stored', async () => {
  const target = { ...env, STRIPE_WEBHOOK_SECRET: 'sk_test_not_a_webhook_secret_0123456789' };
  const request = new Request('https://dub-bridge.example.workers.dev/webhooks/stripe', { method: 'POST', body: '{}' });
  const response = await worker.fetch(request, target, createExecutionContext());
  expect(response.status).toBe(500);
  expect(await response.json()).toEqual({
    error: { code: 'internal_error', message: 'invalid configuration: STRIPE_WEBHOOK_SECRET: each secret must start with whsec_' },
  });
  expect((await env.DB.prepare('SELECT count(*) AS n FROM inbox').first())?.n).toBe(0);
});
