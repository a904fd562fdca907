import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedRows, tempStore } from '../../test/helpers/temp-store.js';
import type { Claim, Store } from './store.js';

let store: Store;
let dispose: () => void;
beforeEach(() => ({ store, dispose } = tempStore()));
afterEach(() => dispose());

const claimOf = (row: { id: number; attempts: number; leaseUntil: number | null }): Claim => ({
  id: row.id,
  attempts: row.attempts,
  leaseUntil: row.leaseUntil,
});

describe('claimDue and the claim token', () => {
  it('leases a row once; an expired lease can be taken again, and then only the new claim may mark it', async () => {
    await seedRows(store, 'evt_1', [{ idempotencyKey: 'sale:1' }]);
    const [first] = await store.claimDue(2000, 10, 1000);
    expect(first).toMatchObject({ attempts: 1, leaseUntil: 3000 });
    expect(await store.claimDue(2500, 10, 1000)).toEqual([]);

    const [second] = await store.claimDue(3000, 10, 1000);
    expect(second).toMatchObject({ id: first!.id, attempts: 2, leaseUntil: 4000 });
    expect(await store.markDelivered(claimOf(first!), 'delivered', '{}', 3100)).toBe(false);
    // A release puts attempts back to 1: the first claim still cannot mark (its lease is not the row's).
    expect(await store.release(claimOf(second!), 3200, 'paused')).toBe(true);
    expect(await store.markDelivered(claimOf(first!), 'delivered', '{}', 3300)).toBe(false);
    const [third] = await store.claimDue(3300, 10, 1000);
    expect(await store.markDelivered(claimOf(third!), 'delivered', '{}', 3400)).toBe(true);
    expect((await store.getOutbox(first!.id))?.state).toBe('delivered');
  });

  it("holds a customer's sale while that customer's lead is pending", async () => {
    await seedRows(store, 'evt_sale', [{ idempotencyKey: 'sale:c1', kind: 'sale', customerKey: 'c1' }]);
    await seedRows(store, 'evt_lead', [{ idempotencyKey: 'lead:c1', kind: 'lead', customerKey: 'c1' }]);
    await seedRows(store, 'evt_other', [{ idempotencyKey: 'sale:c2', kind: 'sale', customerKey: 'c2' }]);
    const claimed = await store.claimDue(2000, 10, 1000);
    expect(claimed.map((row) => row.idempotencyKey).sort()).toEqual(['lead:c1', 'sale:c2']);
    const lead = claimed.find((row) => row.kind === 'lead')!;
    // Still held while the lead is leased, then due once the lead is delivered.
    expect(await store.claimDue(2100, 10, 1000)).toEqual([]);
    await store.markDelivered(claimOf(lead), 'delivered', '{}', 2200);
    expect((await store.claimDue(2300, 10, 1000)).map((row) => row.idempotencyKey)).toEqual(['sale:c1']);
  });

  it("another tenant's lead for the same customer id does not hold the sale", async () => {
    await seedRows(store, 'evt_lead', [{ idempotencyKey: 'acme:lead:c1', kind: 'lead', customerKey: 'c1', tenant: 'acme' }]);
    await seedRows(store, 'evt_sale', [{ idempotencyKey: 'sale:c1', kind: 'sale', customerKey: 'c1' }]);
    expect((await store.claimDue(2000, 10, 1000)).map((row) => row.idempotencyKey).sort()).toEqual(['acme:lead:c1', 'sale:c1']);
  });

  it('leaves the rows of paused keys alone', async () => {
    await seedRows(store, 'evt_a', [{ idempotencyKey: 'a:1', tenant: 'acme' }]);
    await seedRows(store, 'evt_env', [{ idempotencyKey: 'env:1' }]);
    expect((await store.claimDue(2000, 10, 1000, [null])).map((row) => row.idempotencyKey)).toEqual(['a:1']);
    expect((await store.claimDue(2000, 10, 1000, ['acme'])).map((row) => row.idempotencyKey)).toEqual(['env:1']);
  });
});
