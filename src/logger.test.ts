import { describe, expect, test } from 'vitest';
import { createLogger, maskSecrets } from './logger.js';

const capture = (level: 'debug' | 'info' = 'info') => {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line), {}, () => 0) };
};

describe('logger', () => {
  test('masks emails and prefixed secrets, and leaves ordinary lines as they are', () => {
    const { lines, logger } = capture();
    logger.info({ email: 'jane.doe@example.com', key: 'sk_test_51Habc', secret: 'whsec_abc123' }, 'Bearer abc.def');
    logger.info({ outboxId: 7, source: 'stripe' }, 'delivered');
    expect(JSON.parse(lines[0]!)).toMatchObject({ email: 'j***@example.com', key: 'sk_test_***', secret: 'whsec_***', msg: 'Bearer ***' });
    expect(JSON.parse(lines[1]!)).toEqual({ level: 'info', time: '1970-01-01T00:00:00.000Z', outboxId: 7, source: 'stripe', msg: 'delivered' });
  });

  test('maskSecrets hides configured values without a known prefix, in fields, messages and child loggers', () => {
    const { lines, logger } = capture('debug');
    const secret = 'a1b2c3d4e5f6"quoted"';
    const masked = maskSecrets(logger, [secret, 'short']);
    masked.warn({ detail: `key ${secret} refused`, word: 'short' }, `refused ${secret}`);
    masked.child({ tenant: secret }).debug({}, 'child');
    expect(lines.join('\n')).not.toContain('a1b2c3d4e5f6');
    expect(JSON.parse(lines[0]!)).toMatchObject({ detail: 'key *** refused', word: 'short', msg: 'refused ***' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ tenant: '***', msg: 'child' });
  });

  test('entries below the level are not written', () => {
    const { lines, logger } = capture('info');
    maskSecrets(logger, ['configured-secret-value']).debug({ outboxId: 1 }, 'delivered');
    expect(lines).toEqual([]);
  });
});
