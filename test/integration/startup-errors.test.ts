import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/runtime/paths.js';
import { openSqliteStore } from '../../src/runtime/sqlite-store.js';
import { runUntilExit, tempDatabasePath } from '../helpers/child-bridge.js';

/** Root ignores file modes, so the read-only case runs the bridge as `nobody` when the tests run as root. */
const asUnprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
// Root ignores file modes, so the read-only case runs the bridge as `nobody`; that needs a
// checkout `nobody` can read (a clone inside a mode-700 temp dir is not).
const unprivilegedCanRun =
  spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(process.cwd(), 'package.json'))})`], asUnprivileged).status === 0;

function expectOneLineExit(result: Awaited<ReturnType<typeof runUntilExit>>, needle: string) {
  expect(result.code).toBe(78);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('DATABASE_PATH');
  expect(lines[0]).toContain(needle);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('a database the bridge cannot use stops it with one clear line (exit 78, no stack)', { timeout: 60_000 }, () => {
  it('names a missing directory', async () => {
    const path = join(dirname(tempDatabasePath()), 'missing', 'bridge.sqlite');
    const result = await runUntilExit({ DATABASE_PATH: path });
    expectOneLineExit(result, `${dirname(path)} does not exist`);
  });

  it.skipIf(!unprivilegedCanRun)('names a read-only database file', async () => {
    const path = tempDatabasePath();
    openSqliteStore({ path, migrationsFolder: migrationsFolder(), createDirectory: false }).close();
    chmodSync(path, 0o444);
    const result = await runUntilExit({ DATABASE_PATH: path }, asUnprivileged);
    expectOneLineExit(result, 'readonly database');
  });

  it('names a file that is not a database', async () => {
    const path = tempDatabasePath();
    writeFileSync(path, 'this is not SQLite, it is a config file someone pointed DATABASE_PATH at'.repeat(20));
    const result = await runUntilExit({ DATABASE_PATH: path });
    expectOneLineExit(result, 'not a database');
  });
});
