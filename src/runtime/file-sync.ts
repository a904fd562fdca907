import { fdatasync, openSync } from 'node:fs';

/**
 * fdatasync of one file on libuv's thread pool: the event loop never waits for the disk. The
 * file is opened on the first call (SQLite creates the WAL with the first write). Callers that
 * must not overlap syncs (group commit) keep one in flight themselves.
 */
export function createFileSync(path: string): () => Promise<void> {
  let fd: number | null = null;
  return () =>
    new Promise<void>((resolve, reject) => {
      fd ??= openSync(path, 'r+');
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
}
