import { describe, expect, test } from 'vitest';
import { configHints, levenshtein } from './config-hints.js';

const known = [
  'PORT',
  'HOST',
  'DATABASE_PATH',
  'DUB_API_KEY',
  'DUB_API_URL',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'DELIVERY_MAX_ATTEMPTS',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_API_KEY',
  'SHOPIFY_API_SECRET',
  'PADDLE_WEBHOOK_SECRET',
  'LEMONSQUEEZY_WEBHOOK_SECRET',
  'REVENUECAT_WEBHOOK_AUTH',
  'APPLE_BUNDLE_ID',
  'APPLE_ROOT_CERTS',
  'SQLITE_SYNCHRONOUS',
];
const suggestions = (names: string[]) => Object.fromEntries(configHints(names, known).map((h) => [h.variable, h.suggestion]));

describe('configHints', () => {
  test.each([
    ['STRIPE_WEBHOOK_SECRETS', 'STRIPE_WEBHOOK_SECRET'],
    ['LOGLEVEL', 'LOG_LEVEL'],
    ['log_level', 'LOG_LEVEL'],
    ['DUB_APIKEY', 'DUB_API_KEY'],
    ['SHOPIFY_API_SECRETS', 'SHOPIFY_API_SECRET'],
    ['PADLE_WEBHOOK_SECRET', 'PADDLE_WEBHOOK_SECRET'],
    ['LEMON_SQUEEZY_WEBHOOK_SECRET', 'LEMONSQUEEZY_WEBHOOK_SECRET'],
    ['REVENUECAT_WEBHOOK_AUTHORIZATION', null],
    ['APPLE_ROOT_CERT', 'APPLE_ROOT_CERTS'],
    ['DELIVERY_MAX_ATTEMPT', 'DELIVERY_MAX_ATTEMPTS'],
    ['SQLITE_SYNCHRONOUSE', 'SQLITE_SYNCHRONOUS'],
  ])('%s -> %s', (variable, suggestion) => {
    expect(suggestions([variable])[variable] ?? null).toBe(suggestion);
  });

  test('the warning line names both the misspelling and the variable to use', () => {
    expect(configHints(['STRIPE_WEBHOOK_SECRETS'], known)).toEqual([
      {
        variable: 'STRIPE_WEBHOOK_SECRETS',
        suggestion: 'STRIPE_WEBHOOK_SECRET',
        message: 'STRIPE_WEBHOOK_SECRETS is not read by dub-bridge; did you mean STRIPE_WEBHOOK_SECRET?',
      },
    ]);
  });

  test("known names, other programs' variables and far-off names with our prefixes get no hint", () => {
    expect(
      configHints(
        [
          'PORT',
          'LOG_LEVEL',
          'PATH',
          'HOME',
          'HOSTNAME',
          'LOGNAME',
          'NODE_ENV',
          'DATABASE_URL',
          'STRIPE_PUBLISHABLE_KEY',
          'SHOPIFY_API_KEY',
          'SHOPIFY_ADMIN_ACCESS_TOKEN',
          'DUB_BRIDGE_ENV_FILE',
        ],
        known,
      ),
    ).toEqual([]);
  });

  test('the closest known name wins', () => {
    expect(suggestions(['DUB_API_UR'])).toEqual({ DUB_API_UR: 'DUB_API_URL' });
  });
});

test('levenshtein counts insertions, deletions and substitutions', () => {
  expect(levenshtein('', 'abc')).toBe(3);
  expect(levenshtein('kitten', 'sitting')).toBe(3);
  expect(levenshtein('LOG_LEVEL', 'LOG_LEVEL')).toBe(0);
});
