import type { Context } from 'hono';
import type { IngestResult } from '../ingest/ingest.js';

/** The 2xx body for a recorded or duplicate webhook: what the bridge did, without personal data. */
export function ackBody(result: IngestResult) {
  if (result.duplicate) return { received: true, duplicate: true };
  const { result: mapped } = result;
  return {
    received: true,
    duplicate: false,
    outcome: mapped.outcome,
    ...(mapped.outcome === 'ignored' ? { reason: mapped.reason } : {}),
    ...(mapped.outcome === 'compliance' ? { action: mapped.compliance.action } : {}),
    queued: result.queued,
  };
}

export function ack(c: Context, result: IngestResult) {
  return c.json(ackBody(result), 200);
}
