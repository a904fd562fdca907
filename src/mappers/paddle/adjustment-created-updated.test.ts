import { describe, expect, it } from 'vitest';
import { mapRawPaddleEvent, paddleFixture } from '../../../test/fixtures/paddle/index.js';

const ADJ = 'adj_01h8c6tbrkpdd7vx61w7b1r0ap';
const TXN = 'txn_01h8dzxgkvdwemdhbpcapj2tbj';

describe('adjustment.created / adjustment.updated', () => {
  it('an approved partial refund -> refundedDelta = pre-tax subtotal of the transaction, keyed by the adjustment', () => {
    expect(mapRawPaddleEvent(paddleFixture('adjustment-updated'))).toStrictEqual({
      outcome: 'commands',
      commands: [
        {
          kind: 'refund',
          body: {
            refs: { invoiceId: TXN },
            refundedDelta: 3000,
            fullyRefunded: false,
            currency: 'usd',
            refundId: ADJ,
            metadata: {
              source: 'dub-bridge',
              paddleEventId: 'evt_01h8c6wz4ac017hxdehrgdvpz4',
              paddleAdjustmentId: ADJ,
              paddleTransactionId: TXN,
              paddleCustomerId: 'ctm_01h8e18bxp9hby49dnm8ewf0m0',
              paddleAdjustmentType: 'partial',
              paddleOccurredAt: '2023-08-21T14:10:08.650443Z',
            },
          },
        },
      ],
      links: [],
    });
  });

  it('type full -> fully refunded (commission status refunded)', () => {
    const event = paddleFixture('adjustment-updated');
    event.data.type = 'full';
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { fullyRefunded: true, refundedDelta: 3000 } }] });
  });

  it('created-approved and updated-approved of one adjustment produce the same refund (one outbox key)', () => {
    const created = paddleFixture('adjustment-created');
    created.data.status = 'approved';
    const a = mapRawPaddleEvent(created);
    const b = mapRawPaddleEvent(paddleFixture('adjustment-updated'));
    const key = (r: typeof a) =>
      r.outcome === 'commands' && r.commands[0]?.kind === 'refund' ? [r.commands[0].body.refundId, r.commands[0].body.refundedDelta] : null;
    expect(key(a)).toStrictEqual([ADJ, 3000]);
    expect(key(a)).toStrictEqual(key(b));
  });

  it.each([
    ['pending_approval', 'refund', 'refund adjustment is pending_approval, not approved'],
    ['rejected', 'refund', 'refund adjustment is rejected, not approved'],
    ['approved', 'credit', 'adjustment action credit is not a refund'],
    ['approved', 'chargeback', 'adjustment action chargeback is not a refund'],
  ])('status %s, action %s -> ignored', (status, action, reason) => {
    const event = paddleFixture('adjustment-created');
    event.data.status = status;
    event.data.action = action;
    expect(mapRawPaddleEvent(event)).toStrictEqual({ outcome: 'ignored', reason, links: [] });
  });

  it('a tax-only refund returns nothing of the pre-tax sale -> ignored', () => {
    const event = paddleFixture('adjustment-updated');
    event.data.type = 'tax';
    event.data.totals = { ...event.data.totals, subtotal: '0', tax: '266', total: '266' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ outcome: 'ignored', reason: 'refund adjustment returns nothing before tax' });
  });

  it('JPY refunds stay in whole yen', () => {
    const event = paddleFixture('adjustment-updated');
    event.data.currency_code = 'JPY';
    event.data.totals = { ...event.data.totals, subtotal: '1500', tax: '150', total: '1650', currency_code: 'JPY' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ commands: [{ body: { refundedDelta: 1500, currency: 'jpy' } }] });
  });
});
