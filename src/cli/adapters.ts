import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliAdapter } from './adapter.js';

/**
 * Finds providers' CLI adapters by convention: `src/handlers/<source>/cli.ts` (`cli.js` once
 * built). Nothing here imports the registry or an adapter until a command asks for one.
 */

const handlersDir = fileURLToPath(new URL('../handlers/', import.meta.url));
/** `.ts` when run from the sources (tsx, vitest), `.js` from dist. */
const moduleExt = extname(fileURLToPath(import.meta.url));

/**
 * The sources that have a CLI adapter, sorted: a directory listing, not an import, so building the
 * program stays quick. Commands check these against the registry before running one.
 */
export function adapterSources(): string[] {
  return readdirSync(handlersDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(handlersDir, entry.name, `cli${moduleExt}`)))
    .map((entry) => entry.name)
    .sort();
}

/** The adapter of one source (its `cli.ts` default export); an empty one when it has none. */
export async function loadAdapter(source: string): Promise<CliAdapter> {
  if (!adapterSources().includes(source)) return {};
  // A plain string, not a template in import(): bundlers (vitest's) would try to glob it.
  const specifier = `../handlers/${source}/cli.js`;
  const module = (await import(/* @vite-ignore */ specifier)) as { default: CliAdapter };
  return module.default;
}

/** The registered sources (registry order) with their adapters: for the commands that list them all. */
export async function loadRegisteredAdapters(): Promise<{ source: string; adapter: CliAdapter }[]> {
  const { providers } = await import('../handlers/index.js');
  return Promise.all(providers.map(async ({ source }) => ({ source, adapter: await loadAdapter(source) })));
}
