import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/** Help, exit codes and `migrate`, as a script calling `dub-bridge` sees them. */
const dir = mkdtempSync(join(tmpdir(), 'dub-bridge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands = [
  [],
  ['serve'],
  ['migrate'],
  ['register'],
  ['register', 'stripe'],
  ['register', 'shopify'],
  ['unregister'],
  ['unregister', 'stripe'],
  ['unregister', 'shopify'],
  ['status'],
  ['events'],
  ['events', 'list'],
  ['events', 'show'],
  ['replay'],
  ['doctor'],
  ['trigger'],
  ['tail'],
];

describe('--help', () => {
  test('every command answers --help with its usage and exit 0', async () => {
    const runs = await Promise.all(commands.map((command) => runCli([...command, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code, commands[i]!.join(' ')).toBe(0);
      expect(run.stdout).toContain(`Usage: dub-bridge ${commands[i]!.join(' ')}`.trimEnd());
    });
    expect(runs[0]!.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage error, 78 configuration error.');
  });
});

describe('exit codes', () => {
  test('usage errors exit 2 with a message on stderr', async () => {
    const [none, unknown, badOption, badValue] = await Promise.all([
      runCli([]),
      runCli(['frobnicate']),
      runCli(['status', '--colour']),
      runCli(['replay', '--from', 'yesterday']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: dub-bridge');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--colour'");
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('expected an ISO 8601 date');
  });

  test('configuration errors exit 78 naming the variable', async () => {
    const [badUrl, missingDb] = await Promise.all([
      runCli(['status'], { DATABASE_PATH: join(dir, 'x.sqlite'), DUB_API_URL: 'not a url' }),
      runCli(['status'], { DATABASE_PATH: join(dir, 'missing.sqlite') }),
    ]);
    expect(badUrl.code).toBe(78);
    expect(badUrl.stderr).toContain('DUB_API_URL');
    expect(missingDb.code).toBe(78);
    expect(missingDb.stderr).toContain('DATABASE_PATH: no database at');
  });
});

describe('migrate', () => {
  test('creates and migrates a new file, then reports it up to date', async () => {
    const path = join(dir, 'fresh.sqlite');
    const first = await runCli(['migrate', '--database', path]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`created ${path}`);
    expect(first.stdout).toMatch(/applied \d+ migrations? to .*: 0000_init/);

    const second = await runCli(['migrate'], { DATABASE_PATH: path });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${path} is up to date`);

    const status = await runCli(['status', '--json'], { DATABASE_PATH: path });
    expect(JSON.parse(status.stdout)).toMatchObject({ events: 0, commands: { pending: 0, dead: 0 } });
  });

  test('a file that is not a database is a configuration error', async () => {
    const path = join(dir, 'not-a-db.sqlite');
    writeFileSync(path, 'this is not SQLite');
    const run = await runCli(['migrate', '--database', path]);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('DATABASE_PATH');
  });
});
