import { closeSync, fdatasync, openSync } from 'node:fs';

/** fdatasync of an open file on libuv's thread pool: the event loop never waits for the disk. */
const syncOf = (fd: number) => () => new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Opens `path` now and returns its off-loop sync, so a file that cannot be opened stops the
 * start instead of failing every commit later. Callers that must not overlap syncs (group
 * commit) keep one in flight themselves.
 */
export function openFileSync(path: string): { sync: () => Promise<void>; close: () => void } {
  const fd = openSync(path, 'r+');
  return { sync: syncOf(fd), close: () => closeSync(fd) };
}

/** The same sync, with the file opened on the first call (for a file created later). */
export function createFileSync(path: string): () => Promise<void> {
  let sync: (() => Promise<void>) | null = null;
  return () => {
    try {
      sync ??= syncOf(openSync(path, 'r+'));
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return sync();
  };
}
