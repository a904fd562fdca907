import { describe, expect, it } from 'vitest';
import { revenuecatFixtureText } from '../../../test/fixtures/revenuecat/index.js';
import { REVENUECAT_AUTH, revenuecatHeaders } from '../../../test/helpers/signers/revenuecat.js';
import type { WebhookRequest } from '../provider.js';
import revenuecat from './index.js';

function request(body: string, headers: Record<string, string>): WebhookRequest {
  return { body: new TextEncoder().encode(body), text: body, header: (name) => headers[name] ?? null };
}

describe('RevenueCat provider definition', () => {
  it('names its route and variable, and parses its settings', () => {
    expect(revenuecat).toMatchObject({ source: 'revenuecat', label: 'RevenueCat', secretVariable: 'REVENUECAT_WEBHOOK_AUTH' });
    expect(revenuecat.settings!.parse({ REVENUECAT_IGNORE_STORES: 'stripe' })).toEqual({ REVENUECAT_IGNORE_STORES: ['STRIPE'] });
  });

  it.each([
    ['a bearer value', REVENUECAT_AUTH, true],
    ['16 characters', 'abcdefghijklmnop', true],
    ['a placeholder', 'changeme', false],
    ['15 characters', 'abcdefghijklmno', false],
    ['a value with a comma', 'Bearer abc,defghijklmnop', false],
  ])('secret schema: %s -> %s', (_name, value, ok) => {
    expect(revenuecat.secret.safeParse(value).success).toBe(ok);
  });

  it('verify → identify → parse → map: event.id is the inbox key, app_id the account', async () => {
    const body = revenuecatFixtureText('initial-purchase');
    const req = request(body, revenuecatHeaders());
    const settings = revenuecat.settings!.parse({});
    const verified = await revenuecat.createVerifier([REVENUECAT_AUTH], { now: Date.now, settings })(req);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    const identity = await revenuecat.identify(verified.value, req);
    expect(identity).toEqual({
      ok: true,
      value: { eventKey: '00000000-0000-4000-8000-0000000e0001', eventType: 'INITIAL_PURCHASE', account: 'app_test_dubbridge01' },
    });
    if (!identity.ok) return;
    const parsed = revenuecat.parse(verified.value.json, identity.value);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(revenuecat.customerIdOf!(parsed.value)).toBe('$RCAnonymousID:00000000000040008000000000000a01');
    expect(revenuecat.map(parsed.value, { testEvents: 'forward', settings })).toMatchObject({
      commands: [{ kind: 'sale', body: { paymentProcessor: 'revenuecat', invoiceId: '2000000999000001', amount: 999 } }],
    });
  });

  it('a PROMOTIONAL event (no app_id) has no account', async () => {
    const identity = await revenuecat.identify(
      { json: { event: { id: 'e1', type: 'INITIAL_PURCHASE', store: 'PROMOTIONAL' } }, secret: REVENUECAT_AUTH },
      request('', {}),
    );
    expect(identity).toMatchObject({ ok: true, value: { account: null } });
  });

  it.each([
    ['no event', { api_version: '1.0' }],
    ['no event.id', { event: { type: 'RENEWAL' } }],
    ['no event.type', { event: { id: 'e1' } }],
    ['null', null],
  ])('identify refuses %s', async (_name, json) => {
    expect(await revenuecat.identify({ json, secret: REVENUECAT_AUTH }, request('', {}))).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });
});
