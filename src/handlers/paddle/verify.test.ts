import { afterEach, describe, expect, it, vi } from 'vitest';
import { PADDLE_SECRET, PADDLE_SECRET_NEXT, paddleH1, paddleSignature } from '../../../test/helpers/signers/paddle.js';
import type { WebhookRequest } from '../provider.js';
import { createPaddleVerifier, parsePaddleSignature } from './verify.js';

const NOW = 1_750_000_000; // unix seconds
const deps = { now: () => NOW * 1000, settings: {} };
const BODY = '{"event_id":"evt_01h8e1jxjnw9ra6zarhnz1a7y1","event_type":"transaction.completed","data":{"id":"txn_1"}}';

function request(body: string, signature: string | null): WebhookRequest {
  return {
    body: new TextEncoder().encode(body),
    text: body,
    header: (name) => (name === 'paddle-signature' ? signature : null),
  };
}

const verify = (signature: string | null, body = BODY, secrets = [PADDLE_SECRET]) => createPaddleVerifier(secrets, deps)(request(body, signature));

afterEach(() => vi.restoreAllMocks());

describe('Paddle signature verification', () => {
  it('accepts a correctly signed body and returns its JSON and the matching secret', async () => {
    const result = await verify(paddleSignature(BODY, { ts: NOW }));
    expect(result).toStrictEqual({ ok: true, value: { json: JSON.parse(BODY), secret: PADDLE_SECRET } });
  });

  it.each([
    ['a tampered body', () => verify(paddleSignature(BODY, { ts: NOW }), BODY.replace('txn_1', 'txn_2'))],
    ['a re-serialised body (not the raw bytes)', () => verify(paddleSignature(` ${BODY}`, { ts: NOW }))],
    ['another secret', () => verify(paddleSignature(BODY, { ts: NOW, secret: PADDLE_SECRET_NEXT }))],
    ['the signature of another timestamp', () => verify(`ts=${NOW};h1=${paddleH1(BODY, NOW - 1)}`)],
    ['an h1 that is not hex', () => verify(`ts=${NOW};h1=${'z'.repeat(64)}`)],
  ])('refuses %s as invalid_signature', async (_case, run) => {
    expect(await run()).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });

  it('accepts when only a non-last h1 matches (Paddle sends one per secret while rotating)', async () => {
    const header = `ts=${NOW};h1=${paddleH1(BODY, NOW)};h1=${paddleH1(BODY, NOW, PADDLE_SECRET_NEXT)}`;
    expect(await verify(header)).toMatchObject({ ok: true, value: { secret: PADDLE_SECRET } });
  });

  it('rotation: either configured secret verifies, and the one that matched is returned', async () => {
    const secrets = [PADDLE_SECRET, PADDLE_SECRET_NEXT];
    const withNext = await verify(paddleSignature(BODY, { ts: NOW, secret: PADDLE_SECRET_NEXT }), BODY, secrets);
    const withOld = await verify(paddleSignature(BODY, { ts: NOW }), BODY, secrets);
    expect(withNext).toMatchObject({ ok: true, value: { secret: PADDLE_SECRET_NEXT } });
    expect(withOld).toMatchObject({ ok: true, value: { secret: PADDLE_SECRET } });
  });

  it.each([
    [-300, true],
    [300, true],
    [-301, false],
    [301, false],
  ])('timestamp %i s from now -> accepted: %s', async (offset, accepted) => {
    const result = await verify(paddleSignature(BODY, { ts: NOW + offset }));
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result).toMatchObject({ reason: 'invalid_signature', message: expect.stringMatching(offset < 0 ? /old/ : /future/) });
  });

  it('checks the timestamp before any HMAC work', async () => {
    const verifyHmac = vi.spyOn(crypto.subtle, 'verify');
    const stale = await verify(paddleSignature(BODY, { ts: NOW - 3600 }));
    expect(stale).toMatchObject({ ok: false, reason: 'invalid_signature' });
    expect(verifyHmac).not.toHaveBeenCalled();
  });

  it('an absent header is missing_signature', async () => {
    expect(await verify(null)).toMatchObject({ ok: false, reason: 'missing_signature', message: 'missing Paddle-Signature header' });
  });

  it.each(['garbage', `h1=${'a'.repeat(64)}`, `ts=${NOW}`, `ts=soon;h1=${'a'.repeat(64)}`, `ts=${NOW},h1=${'a'.repeat(64)}`])(
    'an unparseable header (%s) is missing_signature (400), naming the expected format',
    async (header) => {
      expect(await verify(header)).toMatchObject({ ok: false, reason: 'missing_signature', message: expect.stringContaining('ts=<unix seconds>;h1=') });
    },
  );

  it('a valid signature over a body that is not JSON is malformed_json', async () => {
    const body = 'not json';
    expect(await verify(paddleSignature(body, { ts: NOW }), body)).toMatchObject({ ok: false, reason: 'malformed_json' });
  });

  it('with no secret configured nothing verifies', async () => {
    expect(await verify(paddleSignature(BODY, { ts: NOW }), BODY, [])).toMatchObject({ ok: false, reason: 'invalid_signature' });
  });
});

describe('parsePaddleSignature', () => {
  it('reads ts and every well-formed h1, tolerating spaces', () => {
    const parsed = parsePaddleSignature(` ts=${NOW} ; h1=${'ab'.repeat(32)};h1=short;h1=${'CD'.repeat(32)}`);
    expect(parsed?.ts).toBe(String(NOW));
    expect(parsed?.h1).toHaveLength(2);
  });
});
