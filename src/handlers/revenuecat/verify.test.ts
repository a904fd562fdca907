import { describe, expect, it } from 'vitest';
import { REVENUECAT_AUTH, REVENUECAT_OTHER_AUTH, revenuecatHeaders } from '../../../test/helpers/signers/revenuecat.js';
import type { WebhookRequest } from '../provider.js';
import { createRevenueCatVerifier } from './verify.js';

const BODY = JSON.stringify({ api_version: '1.0', event: { id: 'evt-1', type: 'RENEWAL' } });

function request(headers: Record<string, string>, body = BODY): WebhookRequest {
  return { body: new TextEncoder().encode(body), text: body, header: (name) => headers[name] ?? null };
}
const verifier = (secrets: readonly string[] = [REVENUECAT_AUTH]) => createRevenueCatVerifier(secrets, { now: Date.now, settings: {} });

describe('RevenueCat Authorization check', () => {
  it('accepts the exact configured value and returns the JSON', async () => {
    expect(await verifier()(request(revenuecatHeaders()))).toEqual({ ok: true, value: { json: JSON.parse(BODY), secret: REVENUECAT_AUTH } });
  });

  it('rotation: either configured value is accepted and named', async () => {
    const both = verifier([REVENUECAT_AUTH, REVENUECAT_OTHER_AUTH]);
    expect(await both(request(revenuecatHeaders(REVENUECAT_OTHER_AUTH)))).toMatchObject({ ok: true, value: { secret: REVENUECAT_OTHER_AUTH } });
    expect(await both(request(revenuecatHeaders(REVENUECAT_AUTH)))).toMatchObject({ ok: true, value: { secret: REVENUECAT_AUTH } });
  });

  it.each([
    ['missing header', revenuecatHeaders(null), 'missing_signature'],
    ['empty header', revenuecatHeaders(''), 'missing_signature'],
    ['another value', revenuecatHeaders('Bearer test-only-revenuecat-auth-0002'), 'invalid_signature'],
    ['a prefix of the value', revenuecatHeaders(REVENUECAT_AUTH.slice(0, -1)), 'invalid_signature'],
    ['the value plus a suffix', revenuecatHeaders(`${REVENUECAT_AUTH}0`), 'invalid_signature'],
    ['different case', revenuecatHeaders(REVENUECAT_AUTH.toUpperCase()), 'invalid_signature'],
    ['the value without its "Bearer " prefix', revenuecatHeaders(REVENUECAT_AUTH.replace('Bearer ', '')), 'invalid_signature'],
  ])('refuses %s', async (_name, headers, reason) => {
    expect(await verifier()(request(headers))).toMatchObject({ ok: false, reason });
  });

  it('refuses everything when no value is configured', async () => {
    expect(await verifier([])(request(revenuecatHeaders()))).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });

  it('a valid Authorization over malformed JSON is malformed_json', async () => {
    expect(await verifier()(request(revenuecatHeaders(), '{"event":'))).toMatchObject({ ok: false, reason: 'malformed_json' });
  });
});
