import { createHmac, randomUUID } from 'node:crypto';

/**
 * Test secrets shaped like Polar's: `whsec_` + 37 letters/digits + a 6-character checksum (what
 * Polar issues today) and a Standard Webhooks `whsec_<base64>` secret (the newer generation).
 */
export const POLAR_SECRET = 'whsec_TestOnlyDubBridgePolarSecret00000000000001';
export const POLAR_SECRET_BASE64 = `whsec_${Buffer.from('dub-bridge polar test key 32 b!!').toString('base64')}`;
export const POLAR_OTHER_SECRET = 'whsec_TestOnlyDubBridgePolarOtherSecret000000002';

/** Which key Polar derives from a secret: the whole string's UTF-8 bytes, or the base64 after `whsec_`. */
export type PolarKeyGeneration = 'utf8' | 'base64';

export interface PolarSignOptions {
  secret?: string;
  generation?: PolarKeyGeneration;
  /** Unix seconds; now by default. */
  timestamp?: number;
  webhookId?: string;
}

function keyOf(secret: string, generation: PolarKeyGeneration): Buffer {
  return generation === 'utf8' ? Buffer.from(secret, 'utf8') : Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** The headers Polar sends: Standard Webhooks `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
export function polarHeaders(body: string, options: PolarSignOptions = {}): Record<string, string> {
  const secret = options.secret ?? POLAR_SECRET;
  const generation = options.generation ?? (secret === POLAR_SECRET_BASE64 ? 'base64' : 'utf8');
  const id = options.webhookId ?? randomUUID();
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', keyOf(secret, generation)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'user-agent': 'polar.sh webhooks',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${mac}`,
  };
}
