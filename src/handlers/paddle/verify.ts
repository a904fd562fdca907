import { importHmacKey, parseJson, utf8, verifyHmac, hexToBytes } from '../crypto.js';
import { refused, type Checked, type Verified, type Verifier, type VerifierDeps, type WebhookRequest } from '../provider.js';

/** Paddle's documented replay window: refuse signatures older, or further in the future, than this. */
export const PADDLE_TOLERANCE_SECONDS = 300;

const FORMAT = 'expected Paddle-Signature: ts=<unix seconds>;h1=<hex HMAC-SHA256>';

interface ParsedSignature {
  ts: string;
  /** Every `h1` value: Paddle may send several while a secret is being rotated. */
  h1: Uint8Array<ArrayBuffer>[];
}

/**
 * Splits `ts=…;h1=…[;h1=…]`. Null when there is no usable timestamp or no `h1` at all (a header of
 * another shape, not a wrong signature). An `h1` that is not 32 bytes of hex can never match, so it
 * is dropped rather than failing the others.
 */
export function parsePaddleSignature(header: string): ParsedSignature | null {
  let ts: string | undefined;
  const h1: Uint8Array<ArrayBuffer>[] = [];
  let sawH1 = false;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'ts') ts = value;
    if (key === 'h1') {
      sawH1 = true;
      const bytes = value.length === 64 ? hexToBytes(value) : null;
      if (bytes) h1.push(bytes);
    }
  }
  if (!ts || !/^\d{1,12}$/.test(ts) || !sawH1) return null;
  return { ts, h1 };
}

/**
 * Paddle Billing's verifier: HMAC-SHA256 over `<ts>:<raw body>` keyed with the endpoint secret's
 * UTF-8 bytes. Any `h1` may match any configured secret (rotation on either side). The timestamp is
 * checked before any HMAC work, so a replayed or far-future request costs no crypto.
 */
export function createPaddleVerifier(secrets: readonly string[], deps: VerifierDeps): Verifier {
  const keys = secrets.map((secret) => ({ secret, key: importHmacKey(utf8(secret)) }));
  return async (request: WebhookRequest): Promise<Checked<Verified>> => {
    const header = request.header('paddle-signature');
    if (!header) return refused('missing_signature', 'missing Paddle-Signature header');
    const signature = parsePaddleSignature(header);
    if (!signature) return refused('missing_signature', `malformed Paddle-Signature header: ${FORMAT}`);

    const age = Math.floor(deps.now() / 1000) - Number(signature.ts);
    if (age > PADDLE_TOLERANCE_SECONDS) {
      return refused(
        'invalid_signature',
        `Paddle-Signature timestamp is ${age} s old (limit ${PADDLE_TOLERANCE_SECONDS} s): a replay, or this server's clock is wrong`,
      );
    }
    if (-age > PADDLE_TOLERANCE_SECONDS) {
      return refused(
        'invalid_signature',
        `Paddle-Signature timestamp is ${-age} s in the future (limit ${PADDLE_TOLERANCE_SECONDS} s): check this server's clock`,
      );
    }

    const signed = concat(utf8(`${signature.ts}:`), request.body);
    for (const { secret, key } of keys) {
      for (const mac of signature.h1) {
        if (await verifyHmac(await key, mac, signed)) {
          const json = parseJson(request.text);
          if (!json.ok) return refused('malformed_json', 'body is not valid JSON');
          return { ok: true, value: { json: json.value, secret } };
        }
      }
    }
    return refused(
      'invalid_signature',
      "Paddle-Signature did not verify with any configured secret (is PADDLE_WEBHOOK_SECRET this destination's secret key, and is the raw body passed unchanged?)",
    );
  };
}

function concat(a: Uint8Array<ArrayBuffer>, b: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
