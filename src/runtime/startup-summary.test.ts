import { describe, expect, test } from 'vitest';
import { dubMode, startupSummary, type SummaryConfig } from './startup-summary.js';

const providers = [
  { source: 'stripe', label: 'Stripe', secretVariable: 'STRIPE_WEBHOOK_SECRET' },
  { source: 'shopify', label: 'Shopify', secretVariable: 'SHOPIFY_API_SECRET' },
  { source: 'paddle', label: 'Paddle', secretVariable: 'PADDLE_WEBHOOK_SECRET' },
];
const config = (overrides: Partial<SummaryConfig> = {}): SummaryConfig => ({
  DUB_API_URL: 'https://api.dub.co',
  DATABASE_PATH: './data/dub-bridge.sqlite',
  providers: { stripe: { secrets: ['whsec_a'] }, shopify: { secrets: [] }, paddle: { secrets: [] } },
  ...overrides,
});

describe('startupSummary', () => {
  test('one line: each provider ready or the variable it needs, Dub mode, database and migration', () => {
    const summary = startupSummary({ config: config(), providers, migration: { latest: '0001_provider_registry', appliedNow: 2 } });
    expect(summary.message).toBe(
      'dub-bridge ready: stripe ready (1 secret) · shopify not configured (SHOPIFY_API_SECRET) · paddle not configured (PADDLE_WEBHOOK_SECRET)' +
        ' · Dub NO KEY (DUB_API_KEY is not set: commands are kept pending until it is; DRY_RUN=1 records them as a dry run)' +
        ' · database ./data/dub-bridge.sqlite (migrated to 0001_provider_registry, 2 migrations applied now)',
    );
    expect(summary.message).not.toContain('\n');
    expect(summary.fields).toEqual({
      providers: {
        stripe: { ready: true, secrets: 1, tenants: 0, variable: 'STRIPE_WEBHOOK_SECRET' },
        shopify: { ready: false, secrets: 0, tenants: 0, variable: 'SHOPIFY_API_SECRET' },
        paddle: { ready: false, secrets: 0, tenants: 0, variable: 'PADDLE_WEBHOOK_SECRET' },
      },
      dub: 'no_api_key',
      dubApiUrl: 'https://api.dub.co',
      database: './data/dub-bridge.sqlite',
      migration: '0001_provider_registry',
      migrationsApplied: 2,
    });
  });

  test('rotation and tenants count as ready; a live key and DRY_RUN are said plainly; the resolved path is shown', () => {
    const live = startupSummary({
      config: config({ DUB_API_KEY: 'dub_test_key', providers: { stripe: { secrets: ['whsec_a', 'whsec_b'] }, shopify: { secrets: [] } } }),
      providers,
      tenantSecrets: { shopify: 2 },
      migration: { latest: '0001_provider_registry', appliedNow: 0 },
      databasePath: '/data/dub-bridge.sqlite',
    });
    expect(live.message).toContain('stripe ready (2 secrets) · shopify ready (2 tenants) · paddle not configured (PADDLE_WEBHOOK_SECRET)');
    expect(live.message).toContain('· Dub live (https://api.dub.co) ·');
    expect(live.message).toMatch(/database \/data\/dub-bridge\.sqlite \(migrated to 0001_provider_registry\)$/);
    expect(live.message).not.toContain('dub_test_key');

    const dry = startupSummary({ config: config({ DRY_RUN: true }), providers, migration: { latest: null, appliedNow: 0 } });
    expect(dry.message).toContain('Dub DRY RUN (DRY_RUN=1, no DUB_API_KEY: commands are recorded and logged, not sent)');
    expect(dry.fields.dub).toBe('dry_run');
  });
});

test('dubMode: a key is live whatever DRY_RUN says; without one DRY_RUN decides', () => {
  expect(dubMode({ DUB_API_KEY: 'dub_x', DRY_RUN: true })).toBe('live');
  expect(dubMode({ DRY_RUN: true })).toBe('dry_run');
  expect(dubMode({})).toBe('no_api_key');
});
