import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrationsFolder } from './paths.js';

export interface MigrationState {
  applied: string[];
  pending: string[];
}

/**
 * Which migrations of the journal a database has. drizzle's migrator applies every journal entry
 * newer than the last `created_at` in `__drizzle_migrations`, so the same rule tells what is pending.
 */
export function readMigrationState(path: string): MigrationState {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  const last = lastAppliedAt(path);
  const applied = journal.entries.filter((e) => last !== null && e.when <= last).map((e) => e.tag);
  const pending = journal.entries.filter((e) => last === null || e.when > last).map((e) => e.tag);
  return { applied, pending };
}

function lastAppliedAt(path: string): number | null {
  if (!existsSync(path)) return null;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
    const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!table) return null;
    const row = sqlite.prepare('SELECT max(created_at) AS last FROM __drizzle_migrations').get() as { last: number | null };
    return row.last === null ? null : Number(row.last);
  } finally {
    sqlite?.close();
  }
}
