import type { ProviderDefinition } from '../handlers/provider.js';
import { parseTenantsFile, type EnvSecrets, type TenantsFile } from './file.js';

/**
 * Reads a UTF-8 file on Node. `node:fs` is looked up when called rather than imported, so the
 * Workers bundle (no file system, no nodejs_compat) never pulls it in.
 */
function readTextFile(path: string): string {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw Object.assign(new Error('this runtime has no file system'), { code: 'ENOSYS' });
  return fs.readFileSync(path, 'utf8');
}

/** Reads and validates the tenants file: the tenants, or one line saying what is wrong. */
export function loadTenantsFile(
  path: string,
  env: EnvSecrets,
  providers: readonly ProviderDefinition[],
  readFile: (path: string) => string = readTextFile,
): { ok: true; value: TenantsFile } | { ok: false; problem: string } {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOSYS') return { ok: false, problem: 'this runtime has no file system; TENANTS_FILE works on the Node runtime' };
    return { ok: false, problem: `cannot read the file${code ? ` (${code})` : ''}` };
  }
  return parseTenantsFile(text, env, providers);
}
