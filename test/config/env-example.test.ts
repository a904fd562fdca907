import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, test } from 'vitest';
import { configSchema, parseConfig } from '../../src/config.js';
import { providers } from '../../src/handlers/index.js';

/**
 * `.env.example` is what a new user copies first: it must parse as the bridge's config as it
 * stands (secrets empty, so every provider is simply not configured), name every variable the
 * bridge reads, and name nothing the bridge does not read.
 *
 * The variables are the shared schema's keys (src/config.ts `configSchema`) plus, per provider
 * in the registry (src/handlers/index.ts `providers`), its `secretVariable` and the keys of its
 * `settings` schema: a provider added to the registry without its lines here fails this test.
 */
const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const example = parseEnv(text) as Record<string, string>;
const shared = Object.keys(configSchema.shape);
const secretVariables = providers.map((p) => p.secretVariable);
const providerSettings = providers.flatMap((p) => Object.keys(p.settings?.shape ?? {}));
const known = [...shared, ...secretVariables, ...providerSettings];

describe('.env.example', () => {
  test('parses with the config schema as it is', () => {
    const config = parseConfig(example);
    expect(config.DUB_API_KEY).toBeUndefined();
    for (const provider of providers) expect(config.providers[provider.source]?.secrets, provider.source).toEqual([]);
  });

  test('names every variable the bridge reads (shared, provider secrets and provider settings)', () => {
    const missing = known.filter((name) => !(name in example));
    expect(missing).toEqual([]);
  });

  test('names nothing else (a renamed or removed variable is removed here too)', () => {
    expect(Object.keys(example).filter((name) => !known.includes(name))).toEqual([]);
  });

  test('leaves every secret empty, so an unconfigured provider answers 503 naming its variable', () => {
    const secrets = [...secretVariables, 'DUB_API_KEY', 'STRIPE_API_KEY', 'METRICS_TOKEN', 'CONSOLE_TOKEN'];
    expect(Object.fromEntries(secrets.map((name) => [name, example[name]]))).toEqual(Object.fromEntries(secrets.map((name) => [name, ''])));
  });

  test('every variable has a comment line above it', () => {
    const lines = text.split('\n');
    const uncommented = lines.flatMap((line, i) => (/^[A-Z][A-Z0-9_]*=/.test(line) && !lines[i - 1]?.startsWith('#') ? [line.split('=')[0]] : []));
    expect(uncommented).toEqual([]);
  });
});
