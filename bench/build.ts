import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Inside node_modules so the compiled files resolve packages like the repo does. */
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'dub-bridge-bench');
export const REPO_ROOT = ROOT;

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/**
 * Servers under test run as plain JavaScript, like `npm start` runs dist/: under the tsx loader a
 * Node process carries ~50 MB more RSS (the loader thread) and the soak would measure tsx. This
 * transpiles (no type check: `npm run typecheck` does that) src/ (.ts and the console's .tsx),
 * bench/servers/ and the test signers into BUILD_DIR in a second or two.
 *
 * `tree` is where src/ and migrations/ come from: this checkout, or another one (`--tree`, e.g. an
 * export of an older commit) measured with this harness. The migrations are copied next to the
 * build, where `migrationsFolder()` finds them first, so the schema always matches the code.
 */
export function buildServers(tree = ROOT): string {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const fromTree = [...typescriptFiles(join(tree, 'src'))].map((source) => ({ source, target: relative(tree, source) }));
  const fromHarness = [...typescriptFiles(join(ROOT, 'bench', 'servers')), join(ROOT, 'test', 'helpers', 'signers.ts')].map((source) => ({
    source,
    target: relative(ROOT, source),
  }));
  cpSync(join(tree, 'migrations'), join(BUILD_DIR, 'migrations'), { recursive: true });
  for (const { source, target: path } of [...fromTree, ...fromHarness]) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      // The console's .tsx views use Hono's JSX, as in tsconfig.json.
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        jsx: ts.JsxEmit.ReactJSX,
        jsxImportSource: 'hono/jsx',
      },
      fileName: source,
    });
    const target = join(BUILD_DIR, path).replace(/\.tsx?$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  // Node stops looking for the package scope at node_modules: mark the output as ES modules.
  writeFileSync(join(BUILD_DIR, 'package.json'), '{ "type": "module", "private": true }\n');
  return join(BUILD_DIR, 'bench', 'servers');
}
