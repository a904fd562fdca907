import { fdatasync, openSync } from 'node:fs';

/**
 * fdatasync of one file on libuv's thread pool, shared by everyone who asks while it runs: a
 * caller whose writes went in after a sync started waits for the next one, which starts as soon
 * as the running one ends. The event loop never waits for the disk. The file is opened on the
 * first call (SQLite creates the WAL with the first write).
 */
export function createFileSync(path: string): () => Promise<void> {
  let fd: number | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const sync = new Promise<void>((resolve, reject) => {
      fd ??= openSync(path, 'r+');
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    }).finally(() => {
      if (running === sync) running = null;
    });
    running = sync;
    return sync;
  };

  return () => {
    if (!running) return start();
    const ignore = () => undefined;
    next ??= running.then(ignore, ignore).then(() => {
      next = null;
      return start();
    });
    return next;
  };
}
