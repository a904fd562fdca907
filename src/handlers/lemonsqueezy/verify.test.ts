import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lemonSqueezyFixture } from '../../../test/fixtures/lemonsqueezy/index.js';
import { LEMONSQUEEZY_SECRET, LEMONSQUEEZY_SECRET_NEXT, lemonSqueezySignature } from '../../../test/helpers/signers/lemonsqueezy.js';
import type { Verified, WebhookRequest } from '../provider.js';
import { createLemonSqueezyVerifier, identifyLemonSqueezy } from './verify.js';

const BODY = JSON.stringify(lemonSqueezyFixture('order-created'));

function request(body: string, headers: Record<string, string | undefined>): WebhookRequest {
  return { body: new TextEncoder().encode(body), text: body, header: (name) => headers[name] ?? null };
}

const verify = (signature: string | undefined, body = BODY, secrets = [LEMONSQUEEZY_SECRET]) =>
  createLemonSqueezyVerifier(secrets)(request(body, { 'x-signature': signature }));

describe('Lemon Squeezy signature verification', () => {
  it('accepts the HMAC of the raw body and returns its JSON and the matching secret', async () => {
    expect(await verify(lemonSqueezySignature(BODY))).toStrictEqual({ ok: true, value: { json: JSON.parse(BODY), secret: LEMONSQUEEZY_SECRET } });
  });

  it('accepts uppercase hex', async () => {
    expect(await verify(lemonSqueezySignature(BODY).toUpperCase())).toMatchObject({ ok: true });
  });

  it('rotation: every configured secret is tried; the matching one is returned', async () => {
    const secrets = [LEMONSQUEEZY_SECRET, LEMONSQUEEZY_SECRET_NEXT];
    expect(await verify(lemonSqueezySignature(BODY, LEMONSQUEEZY_SECRET_NEXT), BODY, secrets)).toMatchObject({
      ok: true,
      value: { secret: LEMONSQUEEZY_SECRET_NEXT },
    });
    expect(await verify(lemonSqueezySignature(BODY), BODY, secrets)).toMatchObject({ ok: true, value: { secret: LEMONSQUEEZY_SECRET } });
  });

  it.each([
    ['a tampered body', () => verify(lemonSqueezySignature(BODY), BODY.replace('1199', '1'))],
    ['a re-serialised body', () => verify(lemonSqueezySignature(JSON.stringify(JSON.parse(BODY), null, 2)))],
    ['another secret', () => verify(lemonSqueezySignature(BODY, LEMONSQUEEZY_SECRET_NEXT))],
  ])('refuses %s as invalid_signature', async (_case, run) => {
    expect(await run()).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });

  it.each([
    [undefined, 'missing X-Signature header'],
    ['', 'missing X-Signature header'],
    ['sha256=abc', expect.stringMatching(/^malformed X-Signature header/)],
    ['z'.repeat(64), expect.stringMatching(/^malformed X-Signature header/)],
  ])('X-Signature %j -> missing_signature (400)', async (signature, message) => {
    expect(await verify(signature)).toStrictEqual({ ok: false, reason: 'missing_signature', message });
  });

  it('a valid signature over a body that is not JSON is malformed_json', async () => {
    expect(await verify(lemonSqueezySignature('nope'), 'nope')).toMatchObject({ ok: false, reason: 'malformed_json' });
  });
});

describe('identifyLemonSqueezy', () => {
  const verified: Verified = { json: JSON.parse(BODY), secret: LEMONSQUEEZY_SECRET };
  const sha = createHash('sha256').update(BODY).digest('hex');

  it('type from X-Event-Name; key = <event name>:<sha256 of the raw body>; no account', async () => {
    expect(await identifyLemonSqueezy(verified, request(BODY, { 'x-event-name': 'order_created' }))).toStrictEqual({
      ok: true,
      value: { eventKey: `order_created:${sha}`, eventType: 'order_created', account: null },
    });
  });

  it('falls back to meta.event_name without the header', async () => {
    expect(await identifyLemonSqueezy(verified, request(BODY, {}))).toMatchObject({ ok: true, value: { eventType: 'order_created' } });
  });

  it('a header naming another event than the body -> invalid_payload', async () => {
    expect(await identifyLemonSqueezy(verified, request(BODY, { 'x-event-name': 'order_refunded' }))).toMatchObject({
      ok: false,
      reason: 'invalid_payload',
      message: 'X-Event-Name order_refunded does not match meta.event_name order_created',
    });
  });

  it('no name anywhere -> invalid_payload', async () => {
    expect(await identifyLemonSqueezy({ json: { data: {} }, secret: LEMONSQUEEZY_SECRET }, request('{"data":{}}', {}))).toMatchObject({
      ok: false,
      reason: 'invalid_payload',
    });
  });

  it('retries and concurrent duplicates (same bytes) share one key; other bytes get another', async () => {
    const keys = await Promise.all(
      [BODY, BODY, BODY, BODY.replace('1042', '1043')].map(async (body) => {
        const result = await identifyLemonSqueezy({ json: JSON.parse(body), secret: LEMONSQUEEZY_SECRET }, request(body, { 'x-event-name': 'order_created' }));
        return result.ok ? result.value.eventKey : null;
      }),
    );
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
  });
});
