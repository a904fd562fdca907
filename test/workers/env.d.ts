import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      /** wrangler.toml's delivery queue producer and key gates. */
      DELIVERY_QUEUE: Queue<{ outboxId: number }>;
      KEY_GATE: DurableObjectNamespace;
      TEST_MIGRATIONS: D1Migration[];
      /** URL of the Node-side fake Dub switchboard (test/workers/fake-dub-switchboard.ts). */
      FAKE_DUB_SWITCHBOARD: string;
      STRIPE_WEBHOOK_SECRET: string;
      SHOPIFY_API_SECRET: string;
      PADDLE_WEBHOOK_SECRET: string;
      POLAR_WEBHOOK_SECRET: string;
      LEMONSQUEEZY_WEBHOOK_SECRET: string;
      REVENUECAT_WEBHOOK_AUTH: string;
      LOG_LEVEL: string;
    }
    interface GlobalProps {
      /** Types `exports.default` from cloudflare:workers (the Worker under test). */
      mainModule: typeof import('../../src/runtime/worker.js');
    }
  }
}
