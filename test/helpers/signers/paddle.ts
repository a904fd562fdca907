import { createHmac } from 'node:crypto';

/** A test-only endpoint secret key shaped like Paddle's (`pdl_ntfset_<26>_<32>`). */
export const PADDLE_SECRET = 'pdl_ntfset_01hztestdubbridge000000000_testsecretnotlive000000000000000';
/** A second test secret, for rotation tests. */
export const PADDLE_SECRET_NEXT = 'pdl_ntfset_01hztestdubbridge000000001_testsecretnotlive000000000000001';

/** Paddle's h1: hex HMAC-SHA256 of `<ts>:<raw body>` keyed with the secret's UTF-8 bytes. */
export function paddleH1(body: string | Buffer, ts: number, secret = PADDLE_SECRET): string {
  return createHmac('sha256', secret).update(`${ts}:`).update(body).digest('hex');
}

export interface PaddleSignOptions {
  secret?: string;
  /** Unix seconds; now by default. */
  ts?: number;
  /** Extra secrets whose h1 come first, as Paddle sends during a secret rotation. */
  alsoSignedWith?: readonly string[];
}

/** The `Paddle-Signature` header value Paddle would send for `body`. */
export function paddleSignature(body: string | Buffer, options: PaddleSignOptions = {}): string {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const secrets = [...(options.alsoSignedWith ?? []), options.secret ?? PADDLE_SECRET];
  return [`ts=${ts}`, ...secrets.map((secret) => `h1=${paddleH1(body, ts, secret)}`)].join(';');
}

/** The headers of a Paddle notification request. */
export function paddleHeaders(body: string | Buffer, options: PaddleSignOptions = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'paddle-signature': paddleSignature(body, options) };
}
