import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';

/** TENANTS_JSON: the tenants document inline (Workers have no file system), validated like TENANTS_FILE. */
const north = { id: 'north', dubApiKey: 'dub_north_key', stripe: { accounts: ['acct_1North'], webhookSecret: 'whsec_north_test_secret_00000000000000' } };
const document = JSON.stringify({ tenants: [north] });
const base = { STRIPE_WEBHOOK_SECRET: 'whsec_env_test_secret_0000000000000000' };

const problemOf = (env: Record<string, string>, readFile?: (path: string) => string) => {
  try {
    parseConfig(env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return null;
};

describe('parseConfig with TENANTS_JSON', () => {
  it('reads the same document as TENANTS_FILE would hold', () => {
    const inline = parseConfig({ ...base, TENANTS_JSON: document });
    const fromFile = parseConfig({ ...base, TENANTS_FILE: '/etc/tenants.json' }, () => document);
    expect(inline.tenants).toEqual(fromFile.tenants);
    expect(inline.tenants?.tenants.map((t) => t.id)).toEqual(['north']);
  });

  it('names TENANTS_JSON and the bad field, with the same problems as the file', () => {
    const bad = JSON.stringify({ tenants: [{ ...north, stripe: { webhookSecret: 'sk_test_oops' } }] });
    expect(problemOf({ ...base, TENANTS_JSON: bad })).toBe(
      'invalid configuration: TENANTS_JSON: tenants.0.stripe.webhookSecret: each secret must start with whsec_',
    );
    expect(problemOf({ ...base, TENANTS_FILE: '/etc/tenants.json' }, () => bad)).toBe(
      'invalid configuration: TENANTS_FILE (/etc/tenants.json): tenants.0.stripe.webhookSecret: each secret must start with whsec_',
    );
  });

  it('reports broken JSON (by position where V8 gives one), never quoting the secrets in it', () => {
    const problem = problemOf({ ...base, TENANTS_JSON: '{"tenants": [{"dubApiKey": dub_test_secret_value}]}' });
    expect(problem).toMatch(/^invalid configuration: TENANTS_JSON: not valid JSON/);
    expect(problem).not.toContain('dub_test_secret_value');
    expect(problemOf({ ...base, TENANTS_JSON: '{\n  "tenants": [],\n}' })).toBe('invalid configuration: TENANTS_JSON: not valid JSON (line 3 column 1)');
  });

  it('refuses both at once rather than guess which one wins', () => {
    expect(problemOf({ ...base, TENANTS_JSON: document, TENANTS_FILE: '/etc/tenants.json' }, () => document)).toBe(
      'invalid configuration: TENANTS_JSON: set TENANTS_FILE or TENANTS_JSON, not both',
    );
  });

  it('tells a runtime without a file system (Workers) to use TENANTS_JSON', () => {
    const noFs = () => {
      throw Object.assign(new Error('no fs'), { code: 'ENOSYS' });
    };
    expect(problemOf({ ...base, TENANTS_FILE: '/etc/tenants.json' }, noFs)).toBe(
      'invalid configuration: TENANTS_FILE (/etc/tenants.json): this runtime has no file system: put the document itself in TENANTS_JSON instead',
    );
  });
});
