import { base64ToBytes, importHmacKey, parseJson, utf8, verifyHmac } from '../crypto.js';
import { refused, type Checked, type Verified, type Verifier, type VerifierDeps, type WebhookRequest } from '../provider.js';

/** Standard Webhooks' tolerance, both into the past and the future. */
export const POLAR_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

interface SigningKey {
  secret: string;
  key: CryptoKey;
}

/**
 * The keys one Polar secret may sign with. Endpoints created before 2026-09-08 sign with the UTF-8
 * bytes of the whole `whsec_…` string (Polar base64-encodes it before handing it to its Standard
 * Webhooks signer); newer ones with the base64-decoded part after `whsec_`, as the spec intends.
 * Nothing in the secret says which generation it is, so both are tried.
 */
async function keysOf(secret: string): Promise<SigningKey[]> {
  const candidates = [utf8(secret)];
  const decoded = secret.startsWith(SECRET_PREFIX) ? base64ToBytes(secret.slice(SECRET_PREFIX.length)) : null;
  if (decoded && decoded.length > 0) candidates.push(decoded);
  return Promise.all(candidates.map(async (bytes) => ({ secret, key: await importHmacKey(bytes) })));
}

/** The `v1,<base64>` entries of `webhook-signature` (space-separated; other versions are skipped). */
function v1Signatures(header: string): Uint8Array<ArrayBuffer>[] {
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of header.trim().split(/\s+/)) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const bytes = base64ToBytes(value);
    if (bytes && bytes.length > 0) signatures.push(bytes);
  }
  return signatures;
}

/**
 * Verifies Polar's Standard Webhooks signature: HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<raw
 * body>`, accepted when any `v1` signature matches any key of any configured secret (rotation).
 * The timestamp is checked first, so a replayed old request costs no HMAC. Returns the parsed JSON.
 */
export function createPolarVerifier(secrets: readonly string[], deps: VerifierDeps): Verifier {
  // Imported once per process; every request reuses the keys.
  const keys = Promise.all(secrets.map(keysOf)).then((lists) => lists.flat());

  return async function verifyPolar(request: WebhookRequest): Promise<Checked<Verified>> {
    const signature = request.header('webhook-signature');
    if (!signature) return refused('missing_signature', 'missing webhook-signature header (Polar signs with Standard Webhooks)');
    const id = request.header('webhook-id');
    const timestamp = request.header('webhook-timestamp');
    if (!id) return refused('missing_header', 'missing webhook-id header');
    if (!timestamp) return refused('missing_header', 'missing webhook-timestamp header');
    if (!/^\d{1,12}$/.test(timestamp.trim())) {
      return refused('missing_header', 'webhook-timestamp is not a Unix time in seconds');
    }

    const skew = Math.floor(deps.now() / 1000) - Number(timestamp.trim());
    if (skew > POLAR_TOLERANCE_SECONDS) return refused('invalid_signature', `webhook-timestamp is ${skew} s old (more than ${POLAR_TOLERANCE_SECONDS} s)`);
    if (-skew > POLAR_TOLERANCE_SECONDS)
      return refused('invalid_signature', `webhook-timestamp is ${-skew} s in the future (more than ${POLAR_TOLERANCE_SECONDS} s)`);

    const candidates = v1Signatures(signature);
    if (candidates.length === 0) return refused('invalid_signature', 'webhook-signature has no v1,<base64> signature');

    // The header values exactly as sent: the signer used these strings, not normalised ones.
    const signed = utf8(`${id}.${timestamp}.`);
    const data = new Uint8Array(signed.length + request.body.length);
    data.set(signed);
    data.set(request.body, signed.length);

    for (const { secret, key } of await keys) {
      for (const mac of candidates) {
        if (!(await verifyHmac(key, mac, data))) continue;
        const json = parseJson(request.text);
        if (!json.ok) return refused('malformed_json', 'body is not valid JSON (the signature is valid)');
        return { ok: true, value: { json: json.value, secret } };
      }
    }
    return refused('invalid_signature', 'Polar signature did not verify with any configured POLAR_WEBHOOK_SECRET');
  };
}
