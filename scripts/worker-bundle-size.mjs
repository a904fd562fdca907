#!/usr/bin/env node
// Builds the Worker as `wrangler deploy` would (dry run: nothing is uploaded), prints its raw and
// gzipped size and the packages that dominate it, and exits 1 past the budget (default 150 KiB
// gzipped; BUNDLE_BUDGET_KIB overrides).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budgetKiB = Number(process.env.BUNDLE_BUDGET_KIB ?? 150);
const out = mkdtempSync(join(tmpdir(), 'dub-bridge-bundle-'));
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

try {
  execFileSync('bash', [join(root, 'scripts/worker-env.sh'), 'wrangler', 'deploy', '--dry-run', '--outdir', out, '--metafile', join(out, 'meta.json')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = readFileSync(join(out, 'worker.js'));
  const gzipped = gzipSync(code).length;
  console.log(`worker.js: ${kib(code.length)} raw, ${kib(gzipped)} gzipped (budget ${budgetKiB} KiB gzipped)`);

  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
  const output = Object.values(meta.outputs).find((o) => o.entryPoint);
  const byPackage = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = match ? match[1] : 'project code (src/)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  console.log('largest parts (minified bytes in worker.js):');
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
    console.log(`  ${name.padEnd(22)} ${kib(bytes).padStart(10)}  ${((bytes / code.length) * 100).toFixed(0)}%`);
  }
  if (gzipped > budgetKiB * 1024) {
    console.error(`bundle:size: ${kib(gzipped)} gzipped is over the ${budgetKiB} KiB budget`);
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
