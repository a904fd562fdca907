import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import type { InlineConfig } from 'vitest/node';
import { SHOPIFY_SECRET, STRIPE_SECRET } from './test/helpers/signers.js';
import { LEMONSQUEEZY_SECRET } from './test/helpers/signers/lemonsqueezy.js';
import { PADDLE_SECRET } from './test/helpers/signers/paddle.js';
import { POLAR_SECRET } from './test/helpers/signers/polar.js';
import { REVENUECAT_AUTH } from './test/helpers/signers/revenuecat.js';

/**
 * Tests that run inside workerd (`npm run test:workers`): the Worker entry with a local D1 built
 * from migrations/, wrangler.toml's delivery queue and `DubKeyGate` Durable Objects (run locally
 * by miniflare), and a fake Dub on the Node side reached over real HTTP (see
 * test/workers/fake-dub-switchboard.ts).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Node-side fake Dub switchboard, set by test/workers/global-setup.ts. */
    fakeDubSwitchboard: string;
  }
}

// CI also writes a JSON report so .ci/run can print one closing line over all suites.
const reporters: InlineConfig['reporters'] = process.env.CI
  ? ['default', ['json', { outputFile: '.ci-results/workers.json' }]]
  : ['default'];

export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return {
    plugins: [
      // The stripe package (the tests' signer) ships source maps pointing at files it does not
      // include: Vite warned once per file, 218 lines of noise in every run.
      {
        name: 'stripe-without-source-maps',
        enforce: 'pre' as const,
        load(id: string) {
          const file = id.split('?')[0]!;
          if (!/\/node_modules\/stripe\/esm\/.+\.js$/.test(file)) return null;
          return { code: readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
        },
      },
      cloudflareTest(({ inject }) => ({
        main: './src/runtime/worker.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            FAKE_DUB_SWITCHBOARD: inject('fakeDubSwitchboard'),
            STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
            SHOPIFY_API_SECRET: SHOPIFY_SECRET,
            PADDLE_WEBHOOK_SECRET: PADDLE_SECRET,
            POLAR_WEBHOOK_SECRET: POLAR_SECRET,
            LEMONSQUEEZY_WEBHOOK_SECRET: LEMONSQUEEZY_SECRET,
            REVENUECAT_WEBHOOK_AUTH: REVENUECAT_AUTH,
            LOG_LEVEL: 'warn',
            // The Worker as wrangler.toml binds it has a key (so /healthz can say "ok"), but no
            // reachable Dub: tests point their env at their own fake Dub (test/workers/harness.ts).
            DUB_API_KEY: 'dub_test_pool_key_0123456789',
            DUB_API_URL: 'http://127.0.0.1:9',
          },
        },
      })),
    ],
    test: {
      include: ['test/workers/**/*.test.ts'],
      globalSetup: ['test/workers/global-setup.ts'],
      setupFiles: ['test/workers/apply-migrations.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters,
    },
  };
});
