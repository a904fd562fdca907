import type { DeliveredState } from '../db/store.js';

/** Why one delivery attempt did not finish; the retry policy decides what happens next. */
export type DeliveryFailure =
  | { kind: 'network' | 'timeout'; message: string }
  | { kind: 'http'; status: number; message: string; retryAfterMs: number | null }
  /** Not Dub's fault: something this command depends on is not there yet (a refund's sale). */
  | { kind: 'waiting'; message: string }
  /**
   * Blocked by work in progress that will finish by itself (a refund's sale is pending delivery,
   * another refund of the same sale is in flight): retried later without using up an attempt.
   */
  | { kind: 'blocked'; message: string }
  /** The command can never succeed as stored (it failed validation). */
  | { kind: 'invalid'; message: string };

/** The result of running one outbox command against Dub. */
export type DeliveryOutcome = { ok: true; state: DeliveredState; summary: string } | { ok: false; failure: DeliveryFailure };

export const done = (state: DeliveredState, summary: string): DeliveryOutcome => ({ ok: true, state, summary });
export const failed = (failure: DeliveryFailure): DeliveryOutcome => ({ ok: false, failure });
