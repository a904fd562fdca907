import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';
import { providerNamed } from '../handlers/index.js';
import { parseTenantsFile, tenantProvider, type Tenant } from './file.js';

const bothEnv = { stripe: true, shopify: true };
const north = { id: 'north', dubApiKey: 'dub_north_key', shopify: { shops: ['North-Goods.myshopify.com'] } };
const parse = (value: unknown, env = bothEnv) => parseTenantsFile(JSON.stringify(value), env);

describe('parseTenantsFile', () => {
  it('accepts a minimal file, lowercases shop domains and turns single secrets into lists', () => {
    const result = parse({ tenants: [{ ...north, stripe: { webhookSecret: 'whsec_north_test_secret_1111111111111' } }] });
    expect(result).toEqual({
      ok: true,
      value: {
        tenants: [
          {
            id: 'north',
            dubApiKey: 'dub_north_key',
            shopify: { shops: ['north-goods.myshopify.com'] },
            stripe: { accounts: [], webhookSecret: ['whsec_north_test_secret_1111111111111'] },
          },
        ],
      },
    });
  });

  it.each([
    [{ tenants: [] }, 'tenants: Too small: expected array to have >=1 items'],
    [{ tenants: [{ ...north, id: 'North Shop' }] }, 'tenants.0.id: use 1-63 lowercase letters, digits, - or _ (it is part of a URL)'],
    [{ tenants: [{ ...north, stripe: { webhookSecret: 'sk_test_oops' } }] }, 'tenants.0.stripe.webhookSecret: each secret must start with whsec_'],
    [{ tenants: [{ ...north, stripe: {} }] }, 'tenants.0.stripe: needs accounts or webhookSecret'],
    [{ tenants: [{ ...north, testEvents: 'sometimes' }] }, 'tenants.0.testEvents: Invalid option: expected one of "forward"|"skip"|"tag"'],
    [{ tenants: [{ ...north, dubApiKeys: 'x' }] }, 'tenants.0: Unrecognized key: "dubApiKeys"'],
    [{ tenants: [north, { ...north, id: 'south' }] }, 'tenants.1.shopify.shops.0: north-goods.myshopify.com is already used by tenant north'],
    [
      {
        tenants: [
          { ...north, stripe: { accounts: ['acct_1A'] } },
          { id: 'south', dubApiKey: 'k', stripe: { accounts: ['acct_1A'] } },
        ],
      },
      'tenants.1.stripe.accounts.0: acct_1A is already used by tenant north',
    ],
  ])('names the bad field: %j', (file, problem) => {
    expect(parse(file)).toEqual({ ok: false, problem });
  });

  it('needs a tenant secret where the env has none', () => {
    expect(parse({ tenants: [north] }, { stripe: true, shopify: false })).toEqual({
      ok: false,
      problem: 'tenants.0.shopify.apiSecret: required when SHOPIFY_API_SECRET is not set',
    });
  });

  it('reports a JSON error without quoting the file, which holds secrets', () => {
    expect(parseTenantsFile('{\n  "tenants": [{ "dubApiKey": dub_secret_value }]\n}', bothEnv)).toEqual({ ok: false, problem: 'not valid JSON' });
    // Where V8 gives a position, it is turned into a line and column.
    expect(parseTenantsFile('{\n  "tenants": [],\n}', bothEnv)).toEqual({ ok: false, problem: 'not valid JSON (line 3 column 1)' });
  });
});

describe('parseConfig with TENANTS_FILE', () => {
  const files: Record<string, string> = {
    '/etc/dub-bridge/tenants.json': JSON.stringify({ tenants: [{ ...north, shopify: { shops: ['a.myshopify.com'], apiSecret: '' } }] }),
  };
  const readFile = (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return files[path]!;
  };

  it('stops with one line naming the variable, the file and the field', () => {
    expect(() => parseConfig({ TENANTS_FILE: '/etc/dub-bridge/tenants.json' }, readFile)).toThrow(
      new ConfigError(
        'invalid configuration: TENANTS_FILE (/etc/dub-bridge/tenants.json): tenants.0.shopify.apiSecret: too short for a Shopify client secret or notification key (32 characters or more)',
      ),
    );
  });

  it('stops with one line when the file cannot be read', () => {
    expect(() => parseConfig({ TENANTS_FILE: './nope.json' }, readFile)).toThrow(
      'invalid configuration: TENANTS_FILE (./nope.json): cannot read the file (ENOENT)',
    );
  });

  it('without TENANTS_FILE the config has no tenants and reads no file', () => {
    expect(
      parseConfig({}, () => {
        throw new Error('must not read');
      }).tenants,
    ).toBeUndefined();
  });
});

describe('the generic providers block', () => {
  it('gives any provider a tenant secret and accounts, read like the older per-provider blocks', () => {
    const secret = 'pdl_ntfset_01hztenantnorth0000000000_northsecretnotlive0000000000000000';
    const result = parseTenantsFile(JSON.stringify({ tenants: [{ id: 'north', dubApiKey: 'dub_north_key', providers: { paddle: { secret } } }] }), {});
    expect(result.ok).toBe(true);
    const tenant = (result as { ok: true; value: { tenants: Tenant[] } }).value.tenants[0]!;
    expect(tenantProvider(tenant, providerNamed('paddle')!)).toEqual({ secrets: [secret], accounts: [] });
    expect(tenantProvider(tenant, providerNamed('stripe')!)).toBeNull();
  });

  it('refuses a secret the provider would refuse in its env variable', () => {
    const result = parseTenantsFile(JSON.stringify({ tenants: [{ id: 'north', dubApiKey: 'k', providers: { paddle: { secret: 'short' } } }] }), {});
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('tenants.0.providers.paddle.secret') });
  });
});
