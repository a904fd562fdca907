import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Inside node_modules so the compiled files resolve packages (and migrations/) like the repo does. */
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'dub-bridge-bench');

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/**
 * Servers under test run as plain JavaScript, like `npm start` runs dist/: under the tsx loader a
 * Node process carries ~50 MB more RSS (the loader thread) and the soak would measure tsx. This
 * transpiles (no type check: `npm run typecheck` does that) src/, bench/servers/ and the test
 * signers into BUILD_DIR in a second or two.
 */
export function buildServers(): string {
  const sources = [...typescriptFiles(join(ROOT, 'src')), ...typescriptFiles(join(ROOT, 'bench', 'servers')), join(ROOT, 'test', 'helpers', 'signers.ts')];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: source,
    });
    const target = join(BUILD_DIR, relative(ROOT, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  // Node stops looking for the package scope at node_modules: mark the output as ES modules.
  writeFileSync(join(BUILD_DIR, 'package.json'), '{ "type": "module", "private": true }\n');
  return join(BUILD_DIR, 'bench', 'servers');
}
