import { describe, expect, it } from 'vitest';
import { POLAR_OTHER_SECRET, POLAR_SECRET, POLAR_SECRET_BASE64, polarHeaders } from '../../../test/helpers/signers/polar.js';
import type { WebhookRequest } from '../provider.js';
import { createPolarVerifier } from './verify.js';

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const BODY = JSON.stringify({ type: 'order.paid', timestamp: '2026-10-01T12:00:00Z', data: { id: 'ord_1' } });

function request(body: string, headers: Record<string, string>): WebhookRequest {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { body: new TextEncoder().encode(body), text: body, header: (name) => lower.get(name) ?? null };
}

const verifier = (secrets: readonly string[] = [POLAR_SECRET]) => createPolarVerifier(secrets, { now: () => NOW, settings: {} });
const signed = (options: Parameters<typeof polarHeaders>[1] = {}, body = BODY) =>
  request(body, polarHeaders(body, { timestamp: NOW_S, webhookId: 'msg_test_1', ...options }));

describe('Polar Standard Webhooks verification', () => {
  it.each([
    ['old key generation: UTF-8 bytes of the whole whsec_ string', POLAR_SECRET, 'utf8'],
    ['new key generation: base64-decoded part after whsec_', POLAR_SECRET_BASE64, 'base64'],
    // A secret Polar issued as alphanumerics is also valid base64 text: both keys are derived from it.
    ['alphanumeric secret used as base64', POLAR_SECRET, 'base64'],
    ['a polar_whs_ secret: UTF-8 bytes of the whole string', 'polar_whs_TestOnlyDubBridgePolarSecret0000000000001', 'utf8'],
  ] as const)('accepts %s', async (_name, secret, generation) => {
    const result = await verifier([secret])(signed({ secret, generation }));
    expect(result).toEqual({ ok: true, value: { json: JSON.parse(BODY), secret } });
  });

  it('rotation: any configured secret verifies and the verifying one is reported', async () => {
    const result = await verifier([POLAR_OTHER_SECRET, POLAR_SECRET_BASE64])(signed({ secret: POLAR_SECRET_BASE64 }));
    expect(result).toMatchObject({ ok: true, value: { secret: POLAR_SECRET_BASE64 } });
  });

  it('accepts when any of several space-separated signatures matches (and skips other versions)', async () => {
    const good = signed();
    const header = good.header('webhook-signature')!;
    const headers = polarHeaders(BODY, { timestamp: NOW_S, webhookId: 'msg_test_1' });
    headers['webhook-signature'] = `v1a,bm90LWVkMjU1MTk= v1,${Buffer.from('x'.repeat(32)).toString('base64')} ${header}`;
    expect(await verifier()(request(BODY, headers))).toMatchObject({ ok: true });
  });

  it.each([0, 300, -300])('accepts a timestamp %i s from now (inside ±300 s)', async (offset) => {
    expect(await verifier()(signed({ timestamp: NOW_S - offset }))).toMatchObject({ ok: true });
  });

  const refusals: Array<[string, (h: Record<string, string>) => void, string, RegExp]> = [
    ['missing webhook-signature', (h) => delete h['webhook-signature'], 'missing_signature', /webhook-signature/],
    ['missing webhook-id', (h) => delete h['webhook-id'], 'missing_header', /webhook-id/],
    ['missing webhook-timestamp', (h) => delete h['webhook-timestamp'], 'missing_header', /webhook-timestamp/],
    ['non-numeric timestamp', (h) => (h['webhook-timestamp'] = '2026-10-01T12:00:00Z'), 'missing_header', /Unix time/],
    ['no v1 entry', (h) => (h['webhook-signature'] = 'v2,abc'), 'invalid_signature', /no v1/],
    ['signature not base64', (h) => (h['webhook-signature'] = 'v1,***'), 'invalid_signature', /no v1/],
    [
      'signature by an unknown secret',
      (h) => Object.assign(h, polarHeaders(BODY, { secret: POLAR_OTHER_SECRET, timestamp: NOW_S, webhookId: 'msg_test_1' })),
      'invalid_signature',
      /did not verify/,
    ],
    ['webhook-id changed after signing', (h) => (h['webhook-id'] = 'msg_test_2'), 'invalid_signature', /did not verify/],
    ['timestamp changed after signing', (h) => (h['webhook-timestamp'] = String(NOW_S - 1)), 'invalid_signature', /did not verify/],
  ];
  it.each(refusals)('refuses %s', async (_name, edit, reason, message) => {
    const headers = polarHeaders(BODY, { timestamp: NOW_S, webhookId: 'msg_test_1' });
    edit(headers);
    const result = await verifier()(request(BODY, headers));
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).toMatch(message);
  });

  it.each([
    ['stale (301 s old)', NOW_S - 301, /301 s old/],
    ['future (301 s ahead)', NOW_S + 301, /301 s in the future/],
  ])('refuses a correctly signed but %s timestamp', async (_name, timestamp, message) => {
    const result = await verifier()(signed({ timestamp }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(result.ok ? '' : result.message).toMatch(message);
  });

  it('refuses a tampered body', async () => {
    const headers = polarHeaders(BODY, { timestamp: NOW_S });
    const tampered = BODY.replace('ord_1', 'ord_2');
    expect(await verifier()(request(tampered, headers))).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });

  it('refuses when no secret is configured', async () => {
    expect(await verifier([])(signed())).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });

  it('a valid signature over malformed JSON is malformed_json, not accepted', async () => {
    const body = '{"type": "order.paid", ';
    expect(await verifier()(signed({}, body))).toMatchObject({ ok: false, reason: 'malformed_json' });
  });
});
