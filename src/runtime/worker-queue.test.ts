import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../db/schema.js';
import { nextStep, outboxIdOf, QUEUE_RETRY_LIMIT } from './worker-queue.js';

/** What a delivery queue message becomes once its batch ran, from its row's state (Workers). */
const now = 1_700_000_000_000;
const row = (fields: Partial<OutboxRow>): OutboxRow =>
  ({ id: 7, tenant: null, state: 'pending', attempts: 1, nextAttemptAt: now, leaseUntil: null, ...fields }) as OutboxRow;
const none = new Set<string>();

describe('nextStep', () => {
  it.each([
    ['a delivered row', row({ state: 'delivered' }), { ack: 'delivered' }],
    ['a dead letter of the retry policy', row({ state: 'dead' }), { ack: 'dead' }],
    ['a row retention deleted', undefined, { ack: 'row no longer exists' }],
    ['a row another consumer holds (the message came twice)', row({ leaseUntil: now + 30_000 }), { ack: 'another consumer holds it' }],
  ])('acks %s', (_name, given, step) => {
    expect(nextStep(given, none, now)).toEqual(step);
  });

  it("retries a failed row's message after the delay the retry policy computed", () => {
    expect(nextStep(row({ nextAttemptAt: now + 7_000 }), none, now)).toEqual({ retryAfterSeconds: 7 });
    expect(nextStep(row({ nextAttemptAt: now + 1_500 }), none, now)).toEqual({ retryAfterSeconds: 2 });
  });

  it('acks the rows of a paused key (or a key not set) and leaves them to the Cron sweeper', () => {
    expect(nextStep(row({ tenant: 'north' }), new Set(['north']), now)).toMatchObject({ ack: expect.stringContaining('Cron') });
    expect(nextStep(row({ tenant: null }), new Set(['']), now)).toMatchObject({ ack: expect.stringContaining('Cron') });
    expect(nextStep(row({ tenant: 'south', nextAttemptAt: now + 7_000 }), new Set(['north']), now)).toEqual({ retryAfterSeconds: 7 });
  });

  it('looks again at a due row it could not claim, less often each time, then leaves it to the Cron', () => {
    expect(nextStep(row({}), none, now, 1)).toEqual({ retryAfterSeconds: 5 });
    expect(nextStep(row({}), none, now, 3)).toEqual({ retryAfterSeconds: 15 });
    expect(nextStep(row({}), none, now, 30)).toEqual({ retryAfterSeconds: 60 });
    expect(nextStep(row({ nextAttemptAt: now + 7_000 }), none, now, QUEUE_RETRY_LIMIT)).toEqual({ ack: 'left to the Cron sweeper' });
  });
});

describe('outboxIdOf', () => {
  it('reads the row id of a delivery message and nothing else', () => {
    expect(outboxIdOf({ outboxId: 42 })).toBe(42);
    for (const body of [null, 'x', {}, { outboxId: '42' }, { outboxId: 0 }, { outboxId: 1.5 }]) expect(outboxIdOf(body)).toBeNull();
  });
});
