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
    if (code === 'ENOSYS') return { ok: false, problem: 'this runtime has no file system: put the document itself in TENANTS_JSON instead' };
    return { ok: false, problem: `cannot read the file${code ? ` (${code})` : ''}` };
  }
  return parseTenantsFile(text, env, providers);
}

/** Where the tenants come from: TENANTS_FILE (a path, Node) or TENANTS_JSON (the document itself: a Workers secret or variable). */
export interface TenantsSetting {
  TENANTS_FILE?: string | undefined;
  TENANTS_JSON?: string | undefined;
}

/**
 * The tenants of TENANTS_FILE or TENANTS_JSON, validated with the same schema: undefined when
 * neither is set, or one line naming the variable and what is wrong. Both set is an error: which
 * one wins would be a guess.
 */
export function loadTenants(
  setting: TenantsSetting,
  env: EnvSecrets,
  providers: readonly ProviderDefinition[],
  readFile?: (path: string) => string,
): { ok: true; value: TenantsFile | undefined } | { ok: false; problem: string } {
  const { TENANTS_FILE: path, TENANTS_JSON: json } = setting;
  if (path && json) return { ok: false, problem: 'TENANTS_JSON: set TENANTS_FILE or TENANTS_JSON, not both' };
  if (json) {
    const parsed = parseTenantsFile(json, env, providers);
    return parsed.ok ? parsed : { ok: false, problem: `TENANTS_JSON: ${parsed.problem}` };
  }
  if (!path) return { ok: true, value: undefined };
  const loaded = loadTenantsFile(path, env, providers, readFile);
  return loaded.ok ? loaded : { ok: false, problem: `TENANTS_FILE (${path}): ${loaded.problem}` };
}
