import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, buildServers } from './build.js';

/**
 * Servers under test run in their own process (compiled JavaScript, see build.ts) so the load
 * generator (this process) does not share their event loop. With `cpu` set and taskset present,
 * the child is pinned to that core: on a 2-core machine the server gets one core and the load
 * generator the other.
 */
export interface ChildServer {
  port: number;
  pid: number;
  /** Sends a request over IPC and waits for the reply of the same type. */
  ask<T>(type: string): Promise<T>;
  stop(): Promise<void>;
}

const TASKSET = '/usr/bin/taskset';

let serversDir: string | undefined;
let profileFlags: string[] = [];
let rebuild = true;
let tree: string | undefined;

export const canPin = () => existsSync(TASKSET);

/** `--profile DIR`: every server writes a V8 CPU profile there; `--no-build`: reuse the last build; `--tree`: build from there. */
export function configureChildren(options: { profileDir: string | null; noBuild: boolean; tree: string | null }): void {
  if (options.profileDir) profileFlags = ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
  rebuild = !options.noBuild;
  tree = options.tree ?? undefined;
}

export async function startChild(script: string, env: Record<string, string>, cpu?: number): Promise<ChildServer> {
  const entry = join((serversDir ??= rebuild ? buildServers(tree) : join(BUILD_DIR, 'bench', 'servers')), `${script}.js`);
  const node = [process.execPath, ...profileFlags, entry];
  const [command, ...args] = cpu !== undefined && canPin() ? [TASKSET, '-c', String(cpu), ...node] : node;
  const child = spawn(command!, args, {
    env: { ...process.env, DUB_BRIDGE_ENV_FILE: 'off', ...env },
    // Logs go to /dev/null: the bridge still formats and writes every line, nobody reads them.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  return {
    port,
    pid: child.pid!,
    ask: <T>(type: string) => ask<T>(child, type),
    stop: () => stop(child),
  };
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const onMessage = (m: { type: string; value: T }) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m.value);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

/** Asks for a graceful stop; kills the child (by its own pid) if it is not gone in 15 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}
