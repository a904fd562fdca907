import { describe, expect, test } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';
import { startTestBridge } from '../../test/helpers/bridge.js';
import { stripeFixture } from '../../test/fixtures/stripe/index.js';

describe('SQLITE_SYNCHRONOUS', () => {
  test('defaults to FULL and refuses anything but FULL or NORMAL, naming the variable', () => {
    expect(parseConfig({}).SQLITE_SYNCHRONOUS).toBe('FULL');
    expect(() => parseConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(ConfigError);
    expect(() => parseConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS/);
  });

  test('with NORMAL the bridge records and acknowledges webhooks as usual', async () => {
    const bridge = await startTestBridge({ SQLITE_SYNCHRONOUS: 'NORMAL' });
    try {
      const event = stripeFixture('checkout-session-completed-payment');
      expect((await bridge.postStripe(event)).status).toBe(200);
      expect(bridge.query('SELECT event_key FROM inbox')).toEqual([{ event_key: event.id }]);
    } finally {
      await bridge.close();
    }
  });
});
