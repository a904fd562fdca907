import { importHmacKey, parseJson, utf8, verifyHmac } from '../crypto.js';
import { refused, type Checked, type Verified, type Verifier, type VerifierDeps, type WebhookRequest } from '../provider.js';

interface Expected {
  secret: string;
  mac: Uint8Array<ArrayBuffer>;
}

/**
 * RevenueCat does not sign its webhooks: it sends the `Authorization` value set on the webhook,
 * verbatim. Comparing that value directly would leak, through timing, how long the matching
 * prefix (and the secret) is. Instead both sides go through HMAC-SHA256 under a random key made
 * once per process: the expected MACs are computed at start, and `verifyHmac` compares the header's
 * MAC with each in constant time. The MAC is 32 bytes whatever the lengths, and an attacker who
 * does not know the random key learns nothing from which bytes differ.
 */
export function createRevenueCatVerifier(secrets: readonly string[], _deps: VerifierDeps): Verifier {
  const prepared = (async () => {
    const key = await importHmacKey(crypto.getRandomValues(new Uint8Array(32)));
    const expected: Expected[] = await Promise.all(
      secrets.map(async (secret) => ({ secret, mac: new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(secret))) })),
    );
    return { key, expected };
  })();

  return async function verifyRevenueCat(request: WebhookRequest): Promise<Checked<Verified>> {
    const authorization = request.header('authorization');
    if (!authorization) return refused('missing_signature', 'missing Authorization header (set it on the RevenueCat webhook and in REVENUECAT_WEBHOOK_AUTH)');
    const { key, expected } = await prepared;
    const presented = utf8(authorization);
    // Every configured value is checked, so the time taken does not say which one matched.
    let matched: string | null = null;
    for (const candidate of expected) {
      if ((await verifyHmac(key, candidate.mac, presented)) && matched === null) matched = candidate.secret;
    }
    if (matched === null) return refused('invalid_signature', 'Authorization header does not match any configured REVENUECAT_WEBHOOK_AUTH value');
    const json = parseJson(request.text);
    if (!json.ok) return refused('malformed_json', 'body is not valid JSON (the Authorization header is valid)');
    return { ok: true, value: { json: json.value, secret: matched } };
  };
}
