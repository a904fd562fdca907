import { describe, expect, it } from 'vitest';
import { mapRawPaddleEvent, paddleFixture } from '../../../test/fixtures/paddle/index.js';
import { mapPaddleEvent, paddleCustomerIdOf, parsePaddleEvent, type PaddleEvent } from './index.js';

function parsed(raw: unknown): PaddleEvent {
  const result = parsePaddleEvent(raw);
  if (!result.ok) throw new Error(result.issues);
  return result.value;
}

describe('parsePaddleEvent', () => {
  it('keeps only the fields the mappers read (the inbox keeps the raw body)', () => {
    const event = parsed(paddleFixture('transaction-completed'));
    expect(event.data.details.totals.total).toBe('65215');
    expect(event.data.items).toBeUndefined();
  });

  it('names the bad field of a handled type', () => {
    const event = paddleFixture('transaction-completed');
    event.data.details.totals.tax = 53.15;
    expect(parsePaddleEvent(event)).toMatchObject({ ok: false, issues: expect.stringMatching(/^data\.details\.totals\.tax: /) });
  });

  it('a decimal string is not a Paddle amount', () => {
    const event = paddleFixture('adjustment-updated');
    event.data.totals.subtotal = '30.00';
    expect(parsePaddleEvent(event)).toMatchObject({ ok: false, issues: expect.stringMatching(/^data\.totals\.subtotal: expected an integer amount/) });
  });

  it('rejects an envelope without event_id', () => {
    const event = paddleFixture('customer-created');
    delete event.event_id;
    expect(parsePaddleEvent(event)).toMatchObject({ ok: false, issues: expect.stringMatching(/^event_id: /) });
  });

  it('unknown types only need a valid envelope', () => {
    const raw = { event_id: 'evt_01hv8x', event_type: 'payout.paid', occurred_at: '2024-04-12T10:18:49.621022Z', data: { amount: 'whatever' } };
    expect(parsePaddleEvent(raw)).toMatchObject({ ok: true, value: { event_type: 'payout.paid' } });
  });
});

describe('mapPaddleEvent', () => {
  it.each(['transaction.paid', 'subscription.created', 'payout.paid'] as const)('%s -> ignored as unhandled', (type) => {
    const event = type === 'subscription.created' ? paddleFixture('subscription-created') : paddleFixture('transaction-paid');
    event.event_type = type;
    expect(mapRawPaddleEvent(event)).toStrictEqual({ outcome: 'ignored', reason: `unhandled event type ${type}`, links: [] });
  });

  it('the published transaction.paid sample is ignored: transaction.completed is the sale', () => {
    expect(mapRawPaddleEvent(paddleFixture('transaction-paid'))).toMatchObject({ outcome: 'ignored', reason: 'unhandled event type transaction.paid' });
  });

  it('Paddle has no test flag: every TEST_EVENTS policy maps the same', () => {
    const raw = paddleFixture('transaction-completed');
    expect(mapRawPaddleEvent(raw, { testEvents: 'skip' })).toStrictEqual(mapRawPaddleEvent(raw, { testEvents: 'forward' }));
  });

  it('stays total for an event that skipped parsing (remap of an old payload)', () => {
    const event = { event_id: 'evt_1', event_type: 'transaction.completed', data: { id: 'txn_1' } };
    expect(mapPaddleEvent(event, { testEvents: 'forward' })).toMatchObject({
      outcome: 'ignored',
      reason: expect.stringMatching(/^invalid transaction.completed: data\./),
    });
  });

  it('an amount beyond 2^53 is ignored, not thrown', () => {
    const event = paddleFixture('transaction-completed');
    event.data.details.totals = { ...event.data.details.totals, tax: '0', total: '99999999999999999999' };
    expect(mapRawPaddleEvent(event)).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^amount out of range/) });
  });
});

describe('paddleCustomerIdOf', () => {
  it.each([
    ['transaction-completed', 'ctm_01h8e18bxp9hby49dnm8ewf0m0'],
    ['adjustment-updated', 'ctm_01h8e18bxp9hby49dnm8ewf0m0'],
    ['customer-updated', 'ctm_01h844p3h41s12zs5mn4axja51'],
  ] as const)('%s -> %s', (name, id) => {
    expect(paddleCustomerIdOf(parsed(paddleFixture(name)))).toBe(id);
  });

  it('null when the event names no customer', () => {
    expect(paddleCustomerIdOf(parsed({ event_id: 'evt_1', event_type: 'payout.paid', data: {} }))).toBeNull();
  });
});
