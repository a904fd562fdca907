import { describe, expect, it } from 'vitest';
import { LEMONSQUEEZY_SECRET } from '../../../test/helpers/signers/lemonsqueezy.js';
import lemonsqueezy from './index.js';

describe('Lemon Squeezy provider definition', () => {
  it('names its route, variable and handled events as the contract says', () => {
    expect(lemonsqueezy).toMatchObject({ source: 'lemonsqueezy', label: 'Lemon Squeezy', secretVariable: 'LEMONSQUEEZY_WEBHOOK_SECRET' });
    expect([...lemonsqueezy.handledEventTypes].sort()).toStrictEqual([
      'order_created',
      'order_refunded',
      'subscription_payment_refunded',
      'subscription_payment_success',
    ]);
  });

  it.each([
    [LEMONSQUEEZY_SECRET, true],
    ['sixchr', true],
    ['short', false],
    ['', false],
  ])('secret %j accepted: %s', (secret, accepted) => {
    const result = lemonsqueezy.secret.safeParse(secret);
    expect(result.success).toBe(accepted);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/signing secret \(the 6 to 40 characters/);
  });
});
