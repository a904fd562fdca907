import { and, asc, eq, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { claimRows } from '../db/claim.js';
import type { AnySQLiteDatabase } from '../db/drizzle-store.js';
import { outbox, type OutboxRow } from '../db/schema.js';
import type { Store } from '../db/store.js';

/** Which rows a Worker invocation delivers: the ones its queue messages name, or one event's. */
export type RowScope = { ids: number[] } | { inboxId: number };

/** `id IN (…)` with the ids as one JSON parameter: D1 refuses more than 100 bound parameters. */
const idsIn = (ids: number[]) => sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** Outbox statements only the Worker needs, on D1 (Node never scopes a claim). */
export function workerOutbox(db: AnySQLiteDatabase) {
  const scopeCondition = (scope: RowScope): SQL => ('ids' in scope ? idsIn(scope.ids) : eq(outbox.inboxId, scope.inboxId));

  return {
    /**
     * A `claimDue` limited to `scope`, for the dispatcher's `claim` option: due, unleased rows of
     * the scope, a customer's pending lead first, paused keys' rows left alone, leased in one
     * statement (so two consumers given the same id never both get the row).
     */
    claimScoped(scope: RowScope): Store['claimDue'] {
      return (now, limit, leaseMs, skipTenants = []) => claimRows(db, now, limit, leaseMs, skipTenants, scopeCondition(scope));
    },

    /** The rows of `scope` in any state (what became of each message's row). */
    async rows(scope: RowScope): Promise<OutboxRow[]> {
      return db.select().from(outbox).where(scopeCondition(scope)).orderBy(asc(outbox.id));
    },

    /**
     * The dead-letter queue's rows become dead letters (`replay` sends them again), unless they
     * were delivered meanwhile or a consumer holds them now. Returns how many.
     */
    async markDead(ids: number[], error: string, now: number): Promise<number> {
      const changed = await db
        .update(outbox)
        .set({ state: 'dead', lastError: error, leaseUntil: null, deliveredAt: now })
        .where(and(idsIn(ids), eq(outbox.state, 'pending'), or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now))))
        .returning({ id: outbox.id });
      return changed.length;
    },

    /** Rows some consumer holds right now, across the deployment (the console's "in flight"). */
    async leasedNow(now: number): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)` })
        .from(outbox)
        .where(and(eq(outbox.state, 'pending'), sql`${outbox.leaseUntil} > ${now}`));
      return Number(row?.n ?? 0);
    },
  };
}

export type WorkerOutbox = ReturnType<typeof workerOutbox>;
