import type { IngestStore } from '../db/store.js';
import type { Identity } from '../handlers/provider.js';

/** What the ack says: the event is stored (now, or by an earlier delivery of the same event). */
export interface ReceiveResult {
  duplicate: boolean;
  inboxId: number;
}

/** A verified, identified webhook, as the inbox keeps it until the mapper reads it. */
export interface ReceivedWebhook {
  source: string;
  identity: Identity;
  /** The exact raw body. */
  payload: string;
  /** TENANTS_FILE id it was routed to; null = the env settings. */
  tenant: string | null;
}

/**
 * Record first: the ack path stores the verified raw event in one durable insert and nothing
 * else. Parsing and mapping happen after the ack (`createMapper`), so a payload our schema
 * rejects is kept as `unmapped` instead of being bounced back to a provider that retries and
 * then drops it.
 */
export function receiveEvent(event: ReceivedWebhook, deps: { store: Pick<IngestStore, 'recordReceived'>; now: () => number }): Promise<ReceiveResult> {
  const { identity } = event;
  return deps.store.recordReceived({
    source: event.source,
    eventKey: identity.eventKey,
    eventType: identity.eventType,
    account: identity.account,
    tenant: event.tenant,
    contentKey: identity.contentKey ?? null,
    payload: event.payload,
    receivedAt: deps.now(),
  });
}
