import { env } from 'cloudflare:workers';
import { createD1Store } from '../../src/runtime/d1-store.js';
import { storeContract } from '../contract/store-contract.js';

/**
 * The Store contract on D1 inside workerd. apply-migrations.ts (a setup file) resets D1 and applies
 * migrations/ before every test, so each test starts from an empty, migrated database.
 */
storeContract('D1 (workerd)', async () => ({ store: createD1Store(env.DB), dispose: async () => {} }));
