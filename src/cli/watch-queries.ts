import Database from 'better-sqlite3';

/**
 * Read-only SQL that `trigger` and `tail` poll while the bridge writes the same file (WAL mode:
 * readers never block the writer). Raw SQL over the few columns they show, so polling stays cheap.
 */
export interface WatchedEvent {
  id: number;
  source: string;
  eventKey: string;
  eventType: string;
  state: string;
  reason: string | null;
  receivedAt: number;
}

export interface WatchedCommand {
  id: number;
  inboxId: number;
  kind: string;
  state: string;
  attempts: number;
  lastError: string | null;
  response: string | null;
  command: string;
  nextAttemptAt: number;
  deliveredAt: number | null;
}

const EVENT_COLUMNS = 'id, source, event_key AS eventKey, event_type AS eventType, state, reason, received_at AS receivedAt';
const COMMAND_COLUMNS =
  'id, inbox_id AS inboxId, kind, state, attempts, last_error AS lastError, response, command, next_attempt_at AS nextAttemptAt, delivered_at AS deliveredAt';

export interface WatchReader {
  /** The newest event of `source` whose key contains `keyPart` (a trigger's own id). */
  eventByKey(source: string, keyPart: string): WatchedEvent | undefined;
  commandsOf(inboxId: number): WatchedCommand[];
  eventsAfter(id: number): WatchedEvent[];
  /** These events as they are now (to see `received` ones get mapped). */
  eventsByIds(ids: readonly number[]): WatchedEvent[];
  commandsAfter(id: number): WatchedCommand[];
  /**
   * Rows from id `floor` on that finished (delivered, dead, …) at or after `since`, and pending
   * ones with failed attempts. The floor keeps each poll to the recent end of the table.
   */
  changedCommands(floor: number, since: number): WatchedCommand[];
  /** The newest ids, and the oldest pending command (null when none). */
  marks(): { event: number; command: number; oldestPending: number | null };
  close(): void;
}

/** Opens the bridge's SQLite file read-only. */
export function openWatchReader(path: string): WatchReader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const eventByKey = db.prepare(`SELECT ${EVENT_COLUMNS} FROM inbox WHERE source = ? AND instr(event_key, ?) > 0 ORDER BY id DESC LIMIT 1`);
  const commandsOf = db.prepare(`SELECT ${COMMAND_COLUMNS} FROM outbox WHERE inbox_id = ? ORDER BY id`);
  const eventsAfter = db.prepare(`SELECT ${EVENT_COLUMNS} FROM inbox WHERE id > ? ORDER BY id LIMIT 500`);
  const commandsAfter = db.prepare(`SELECT ${COMMAND_COLUMNS} FROM outbox WHERE id > ? ORDER BY id LIMIT 500`);
  const changed = db.prepare(
    `SELECT ${COMMAND_COLUMNS} FROM outbox WHERE id >= ? AND ((state != 'pending' AND delivered_at >= ?) OR (state = 'pending' AND attempts > 0)) ORDER BY id LIMIT 1000`,
  );
  const marks = db.prepare(
    "SELECT (SELECT coalesce(max(id), 0) FROM inbox) AS event, (SELECT coalesce(max(id), 0) FROM outbox) AS command, (SELECT min(id) FROM outbox WHERE state = 'pending') AS oldestPending",
  );
  return {
    eventByKey: (source, keyPart) => eventByKey.get(source, keyPart) as WatchedEvent | undefined,
    commandsOf: (inboxId) => commandsOf.all(inboxId) as WatchedCommand[],
    eventsAfter: (id) => eventsAfter.all(id) as WatchedEvent[],
    eventsByIds: (ids) =>
      ids.length === 0 ? [] : (db.prepare(`SELECT ${EVENT_COLUMNS} FROM inbox WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as WatchedEvent[]),
    commandsAfter: (id) => commandsAfter.all(id) as WatchedCommand[],
    changedCommands: (floor, since) => changed.all(floor, since) as WatchedCommand[],
    marks: () => marks.get() as { event: number; command: number; oldestPending: number | null },
    close: () => db.close(),
  };
}
