import type { Context } from 'hono';
import type { BodyReader } from './body.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { IngestStore } from '../db/store.js';
import type { ReceiveResult } from '../ingest/receive.js';

/** What the webhook handlers need; composed by the runtime (Node or Workers). */
export interface WebhookDeps {
  store: Pick<IngestStore, 'recordReceived'>;
  now: () => number;
  metrics: Metrics;
  logger: Logger;
  /** Reads the raw body within MAX_BODY_BYTES (straight from Node's request on Node). */
  readBody: (c: Context) => ReturnType<BodyReader>;
  /** Starts delivery once the ack is decided (in-process on Node, `waitUntil` on Workers). */
  afterAck: (c: Context, result: ReceiveResult) => void;
}
