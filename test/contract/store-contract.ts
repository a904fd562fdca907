import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { adminContract } from './admin-contract.js';
import { complianceContract } from './compliance-contract.js';
import { deliveryContract } from './delivery-contract.js';
import type { ContractContext } from './fixtures.js';
import { ingestContract } from './ingest-contract.js';
import { readsContract } from './reads-contract.js';
import { refundContract } from './refund-contract.js';
import { retentionContract } from './retention-contract.js';

/** A fresh, migrated, empty store for one test, and how to throw it away. */
export type MakeStore = () => Promise<{ store: Store; dispose(): Promise<void> }>;

/**
 * The Store contract: every method's observable behaviour, stated once and run against each
 * driver (better-sqlite3 in test/contract/sqlite.test.ts, D1 inside workerd in
 * test/workers/store-contract.test.ts). A case that passes on one driver and fails on the other is
 * a driver bug. It uses only the Store interface (no SQL, no `node:` imports), so it runs in both.
 */
export function storeContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const ctx = {} as ContractContext;
    let dispose: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      const made = await makeStore();
      ctx.store = made.store;
      dispose = made.dispose;
    });
    afterEach(async () => {
      await dispose?.();
      dispose = undefined;
    });

    describe('ingest', () => ingestContract(ctx));
    describe('delivery', () => deliveryContract(ctx));
    describe('outbox admin', () => adminContract(ctx));
    describe('sales and refunds', () => refundContract(ctx));
    describe('compliance', () => complianceContract(ctx));
    describe('retention', () => retentionContract(ctx));
    describe('reads', () => readsContract(ctx));
  });
}
