import { describe, expect, it } from 'vitest';
import { PADDLE_SECRET } from '../../../test/helpers/signers/paddle.js';
import paddle, { identifyPaddle } from './index.js';

describe('Paddle provider definition', () => {
  it('names its route, variable and processor as the contract says', () => {
    expect(paddle).toMatchObject({ source: 'paddle', label: 'Paddle', secretVariable: 'PADDLE_WEBHOOK_SECRET' });
    expect([...paddle.handledEventTypes].sort()).toStrictEqual([
      'adjustment.created',
      'adjustment.updated',
      'customer.created',
      'customer.updated',
      'transaction.completed',
    ]);
  });

  it.each([
    [PADDLE_SECRET, true],
    ['pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI', true],
    ['ntfset_01gkpjp8bkm3tm53kdgkx6sms7_sandbox', true],
    ['pdl_ntfset_01gkpjp8bkm3', false],
    ['', false],
  ])('secret %j accepted: %s', (secret, accepted) => {
    const result = paddle.secret.safeParse(secret);
    expect(result.success).toBe(accepted);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/endpoint secret key \(pdl_ntfset_<26 chars>_<32 chars>/);
  });
});

describe('identifyPaddle', () => {
  it('the inbox key is event_id, the type event_type, no account', () => {
    const json = { event_id: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1', event_type: 'transaction.completed', data: {} };
    expect(identifyPaddle({ json, secret: PADDLE_SECRET })).toStrictEqual({
      ok: true,
      value: { eventKey: 'evt_01h8e1jxjnw9ra6zarhnz1a7y1', eventType: 'transaction.completed', account: null },
    });
  });

  it('a redelivery (same event_id, new notification_id) gets the same key', () => {
    const first = identifyPaddle({ json: { event_id: 'evt_1', event_type: 'x', notification_id: 'ntf_1' }, secret: PADDLE_SECRET });
    const retry = identifyPaddle({ json: { event_id: 'evt_1', event_type: 'x', notification_id: 'ntf_2' }, secret: PADDLE_SECRET });
    expect(first).toStrictEqual(retry);
  });

  it.each([
    [{ event_type: 'transaction.completed' }, /event_id/],
    [{ event_id: 'evt_1' }, /event_type/],
    [[], /event_id/],
    [null, /event_id/],
  ])('%j -> invalid_payload', (json, message) => {
    expect(identifyPaddle({ json, secret: PADDLE_SECRET })).toMatchObject({ ok: false, reason: 'invalid_payload', message: expect.stringMatching(message) });
  });
});
