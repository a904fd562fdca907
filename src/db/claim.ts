import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AnySQLiteDatabase } from './drizzle-store.js';
import { outbox, type OutboxRow } from './schema.js';

const lead = alias(outbox, 'lead');

/**
 * Leases up to `limit` due rows in one statement, so no two dispatchers get the same row: due and
 * unleased, a customer's pending lead before anything else of that customer (Dub attributes a sale
 * through the lead), rows of `skipTenants` (paused keys; null = DUB_API_KEY) left alone. `scope`
 * narrows it further (a Worker's queue messages or one event); the Store's `claimDue` has none.
 */
export function claimRows(
  db: AnySQLiteDatabase,
  now: number,
  limit: number,
  leaseMs: number,
  skipTenants: ReadonlyArray<string | null>,
  scope?: SQL,
): Promise<OutboxRow[]> {
  const leadPending = db
    .select({ one: sql`1` })
    .from(lead)
    .where(
      and(
        eq(lead.customerKey, outbox.customerKey),
        sql`${lead.tenant} IS ${outbox.tenant}`,
        eq(lead.kind, 'lead'),
        eq(lead.state, 'pending'),
        sql`${lead.id} <> ${outbox.id}`,
      ),
    );
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        scope,
        eq(outbox.state, 'pending'),
        lte(outbox.nextAttemptAt, now),
        or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
        or(eq(outbox.kind, 'lead'), isNull(outbox.customerKey), sql`NOT EXISTS ${leadPending}`),
        // The keys as one JSON parameter: D1 refuses more than 100 bound parameters per
        // statement, so a list of ~90 paused tenants made every claim fail there.
        skipTenants.length
          ? sql`coalesce(${outbox.tenant}, '') NOT IN (SELECT value FROM json_each(${JSON.stringify(skipTenants.map((t) => t ?? ''))}))`
          : undefined,
      ),
    )
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit);
  return db
    .update(outbox)
    .set({ leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}
