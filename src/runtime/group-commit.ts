/**
 * Group commit: write sets handed in during the same turn of the event loop (webhooks that
 * arrived together) are committed together on the next turn, in one transaction, so under
 * `synchronous = FULL` they share one fsync instead of paying one each. Every caller's promise
 * settles only after the commit that holds its writes, so an ack still means "on disk".
 *
 * If the shared transaction fails, each write set is retried in a transaction of its own: a bad
 * event fails alone and never takes the events that happened to arrive with it down too.
 *
 * `commit(batch)` must run the whole batch all-or-nothing (a better-sqlite3 transaction).
 */
export function createGroupCommit<T>(commit: (batch: T[]) => void, schedule: (flush: () => void) => void = setImmediate) {
  let waiting: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];

  function flush() {
    const batch = waiting;
    waiting = [];
    try {
      commit(batch.map((entry) => entry.item));
      for (const entry of batch) entry.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    for (const entry of batch) {
      try {
        commit([entry.item]);
        entry.resolve();
      } catch (error) {
        entry.reject(error);
      }
    }
  }

  return (item: T): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0) schedule(flush);
      waiting.push({ item, resolve, reject });
    });
}
