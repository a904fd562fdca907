import { describe, expect, test } from 'vitest';
import { createLogger, maskSecrets, redact, truncateForLog, type LogFormat } from './logger.js';

const capture = (level: 'debug' | 'info' = 'info', format: LogFormat = 'json') => {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger(
      level,
      (line) => lines.push(line),
      format,
      () => 0,
    ),
  };
};

describe('logger', () => {
  test('masks emails and prefixed secrets in any text, and leaves ordinary lines as they are', () => {
    const { lines, logger } = capture();
    logger.info(
      { error: 'jane.doe@example.com refused', key: 'sk_test_51Habc', detail: 'whsec_abc123 and dub_live_abcdefgh12 and shpss_0a1b' },
      'Bearer abc.def',
    );
    logger.info({ outboxId: 7, source: 'stripe' }, 'delivered');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      error: 'j***@example.com refused',
      key: 'sk_test_***',
      detail: 'whsec_*** and dub_*** and shpss_***',
      msg: 'Bearer ***',
    });
    expect(JSON.parse(lines[1]!)).toEqual({ level: 'info', time: '1970-01-01T00:00:00.000Z', outboxId: 7, source: 'stripe', msg: 'delivered' });
  });

  test('personal and secret fields are masked by their key, also nested', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        email: 'jane.doe@example.com',
        customer: { name: 'Jane Doe', customerEmail: 'jd@example.org', phone: '+1 555 0100' },
        headers: { authorization: 'Basic dXNlcjpwYXNz', 'stripe-signature': 't=1,v1=abc', 'x-shopify-hmac-sha256': 'aGVsbG8=' },
        webhookSecret: 'hex0123456789abcdef',
        eventName: 'Sign up',
      },
      'lead',
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({
      email: 'j***@example.com',
      customer: { name: 'J***', customerEmail: 'j***@example.org', phone: '+***' },
      headers: { authorization: '***', 'stripe-signature': '***', 'x-shopify-hmac-sha256': '***' },
      webhookSecret: '***',
      eventName: 'Sign up',
    });
  });

  test('a 200 KB hostile path is redacted and the written line stays small', () => {
    const { lines, logger } = capture();
    // The shape that made the old email regex quadratic: one '@', then a long run of local-part
    // characters it backtracked over from every position (15 KB took ~200 ms; 200 KB, minutes).
    const hostile = `/webhooks/stripe/@${'a'.repeat(100_000)}${'.'.repeat(50_000)}x@evil.example.com${'%+-'.repeat(20_000)}`;
    logger.warn({ path: hostile, error: `unknown tenant ${hostile}` }, `no route for POST ${hostile}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(8_000);
    const entry = JSON.parse(lines[0]!);
    // The long local part is an email's: masked to its first character.
    expect(entry.path.startsWith('/webhooks/stripe/@a***@evil.example.com%+-%+-')).toBe(true);
    expect(entry.path).toMatch(/more chars\]$/);
    expect(entry.msg.startsWith('no route for POST /webhooks/stripe/@a***@evil.example.com')).toBe(true);
    expect(lines[0]).not.toContain('aaaa');
  });

  test('redact handles many hostile shapes of 200 KB and still masks what follows them', () => {
    const tail = ' jane@example.com whsec_abc Bearer tok';
    for (const hostile of [
      '@'.repeat(200_000),
      'a@'.repeat(100_000),
      'bearer '.repeat(30_000),
      `bearer${' '.repeat(200_000)}"`,
      'dub_'.repeat(50_000),
      '_a'.repeat(100_000),
      `a@b${'.c'.repeat(100_000)}1`,
    ]) {
      const out = redact(hostile + tail);
      expect(out.endsWith(' j***@example.com whsec_*** Bearer ***')).toBe(true);
    }
  });

  test('maskSecrets hides configured values without a known prefix, in fields, messages and child loggers', () => {
    const { lines, logger } = capture('debug');
    const secret = 'a1b2c3d4e5f6"quoted"';
    const masked = maskSecrets(logger, [secret, 'short']);
    masked.warn({ detail: `key ${secret} refused`, word: 'short' }, `refused ${secret}`);
    masked.child({ tenant: secret }).debug({}, 'child');
    logger
      .child({ requestId: 'r1' })
      .masking([secret])
      .info({ cause: { deep: secret } }, 'nested');
    expect(lines.join('\n')).not.toContain('a1b2c3d4e5f6');
    expect(JSON.parse(lines[0]!)).toMatchObject({ detail: 'key *** refused', word: 'short', msg: 'refused ***' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ tenant: '***', msg: 'child' });
    expect(JSON.parse(lines[2]!)).toMatchObject({ requestId: 'r1', cause: { deep: '***' } });
  });

  test('entries below the level are not written', () => {
    const { lines, logger } = capture('info');
    maskSecrets(logger, ['configured-secret-value']).debug({ outboxId: 1 }, 'delivered');
    expect(lines).toEqual([]);
  });

  test('pretty format: one human-readable line per entry, values quoted only when needed', () => {
    const { lines, logger } = capture('info', 'pretty');
    logger.child({ requestId: 'r1' }).warn({ outboxId: 7, error: '503 "busy"\nretry', ok: true, email: 'ada@example.com' }, 'delivery failed\nforged line');
    expect(lines).toEqual([
      '1970-01-01T00:00:00.000Z WARN  delivery failed?forged line requestId=r1 outboxId=7 error="503 \\"busy\\"\\nretry" ok=true email=a***@example.com',
    ]);
  });
});

describe('truncateForLog', () => {
  test('keeps short text, cuts long text with a note, and never lets control characters through', () => {
    expect(truncateForLog('/webhooks/stripe/acme')).toBe('/webhooks/stripe/acme');
    expect(truncateForLog('x'.repeat(250))).toBe(`${'x'.repeat(200)}…[50 more chars]`);
    expect(truncateForLog('a\nb\u001b[31m\u2028', 10)).toBe('a?b?[31m?');
    // A surrogate pair is never split.
    expect(truncateForLog(`${'x'.repeat(199)}😀tail`)).toBe(`${'x'.repeat(199)}…[6 more chars]`);
  });
});
