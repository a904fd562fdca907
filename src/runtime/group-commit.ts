export interface GroupCommitOptions {
  /** When the next group is committed; the next turn of the event loop by default. */
  schedule?: (flush: () => void) => void;
  /**
   * Makes what `commit` wrote durable (an fsync off the event loop). Callers' promises settle
   * only after it, so an ack still means "on disk".
   */
  durable?: () => Promise<void>;
}

/**
 * Group commit: write sets handed in during the same turn of the event loop (webhooks that
 * arrived together, delivery marks that finished together) are committed together on the next
 * turn, in one transaction, so they share one commit and one fsync instead of paying one each.
 * Every caller's promise settles only after the commit that holds its writes (and `durable`),
 * resolving with what `commit` returned for its own write set.
 *
 * If the shared transaction fails, each write set is retried in a transaction of its own: a bad
 * event fails alone and never takes the events that happened to arrive with it down too.
 *
 * `commit(batch)` must run the whole batch all-or-nothing (a better-sqlite3 transaction) and
 * return one result per write set, in order.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a commit that returns nothing (a plain transaction) is allowed.
export function createGroupCommit<T, R = void>(commit: (batch: T[]) => R[] | void, options: GroupCommitOptions = {}) {
  const schedule = options.schedule ?? setImmediate;
  type Entry = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let waiting: Entry[] = [];
  // While a group's fsync runs, the next group gathers instead of committing: its writes could
  // not be acknowledged before the next fsync anyway, and one transaction for all of them costs
  // far less than one each (each commit writes the touched index pages to the WAL again).
  let syncing = false;

  /** Commits the batch, or each entry alone if the batch fails: one outcome per entry. */
  function commitAll(batch: Entry[]): Array<{ ok: true; result: R } | { ok: false; error: unknown }> {
    try {
      const results = commit(batch.map((entry) => entry.item));
      return batch.map((_, i) => ({ ok: true, result: results?.[i] as R }));
    } catch (error) {
      if (batch.length === 1) return [{ ok: false, error }];
    }
    return batch.map((entry) => {
      try {
        return { ok: true, result: commit([entry.item])?.[0] as R };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  function flush() {
    const batch = waiting;
    waiting = [];
    const outcomes = commitAll(batch);
    const settle = (syncError?: unknown) =>
      batch.forEach((entry, i) => {
        const outcome = outcomes[i]!;
        if (!outcome.ok) entry.reject(outcome.error);
        else if (syncError !== undefined) entry.reject(syncError);
        else entry.resolve(outcome.result);
      });
    if (!options.durable || !outcomes.some((o) => o.ok)) return settle();
    syncing = true;
    const synced = (syncError?: unknown) => {
      syncing = false;
      settle(syncError);
      if (waiting.length) flush();
    };
    options.durable().then(
      () => synced(),
      (error: unknown) => synced(error ?? new Error('fsync failed')),
    );
  }

  return (item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0 && !syncing) schedule(flush);
      waiting.push({ item, resolve, reject });
    });
}
