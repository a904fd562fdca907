import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/workers/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI also writes a JSON report so .ci/run can print one closing line over all suites.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci-results/node.json' }]] : ['default'],
  },
});
