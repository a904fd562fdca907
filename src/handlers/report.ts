import type { Context } from 'hono';
import type { ReceiveResult } from '../ingest/receive.js';
import type { WebhookDeps } from './webhook-deps.js';

export interface WebhookFacts {
  source: string;
  /** The provider's event type or topic. */
  type: string;
  eventId: string | null | undefined;
  tenant: string | null;
  /** Provider-specific fields for the log line (the account or shop domain, never personal data). */
  extra?: Record<string, unknown>;
}

/**
 * Counts an acknowledged webhook and writes its one info line, with the request id so a
 * provider's delivery log can be matched to ours. Refusals are counted and logged in onError.
 */
export function reportWebhook(c: Context, deps: WebhookDeps, facts: WebhookFacts, result: ReceiveResult, started: number): void {
  const { source, type } = facts;
  deps.metrics.received({ source, type });
  if (result.duplicate) deps.metrics.duplicate({ source, type });
  deps.metrics.ackLatency({ source }, (deps.now() - started) / 1000);
  // Built in place: spreads of spreads take a slow path in V8, and this runs for every webhook.
  const fields: Record<string, unknown> = { requestId: c.get('requestId'), source, type, eventId: facts.eventId, tenant: facts.tenant };
  if (facts.extra) Object.assign(fields, facts.extra);
  fields.duplicate = result.duplicate;
  fields.inboxId = result.inboxId;
  deps.logger.info(fields, 'webhook recorded');
}
