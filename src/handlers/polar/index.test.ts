import { describe, expect, it } from 'vitest';
import { polarFixtureText } from '../../../test/fixtures/polar/index.js';
import { POLAR_SECRET, POLAR_SECRET_BASE64, polarHeaders } from '../../../test/helpers/signers/polar.js';
import type { WebhookRequest } from '../provider.js';
import polar from './index.js';

function request(body: string, headers: Record<string, string>): WebhookRequest {
  return { body: new TextEncoder().encode(body), text: body, header: (name) => headers[name] ?? null };
}

describe('Polar provider definition', () => {
  it('names its route, variable and processor', () => {
    expect(polar).toMatchObject({ source: 'polar', label: 'Polar', secretVariable: 'POLAR_WEBHOOK_SECRET' });
  });

  it.each([
    ['a secret as Polar issues it', POLAR_SECRET, true],
    ['a Standard Webhooks base64 secret', POLAR_SECRET_BASE64, true],
    ['a polar_whs_ secret as the dashboard shows it', 'polar_whs_TestOnlyDubBridgePolarSecret0000000000001', true],
    ['no whsec_ prefix (a deprecated self-chosen secret)', '6t3c8ce2247c493a3ade20uea4484d64', false],
    ['a placeholder', 'whsec_changeme', false],
    ['empty', '', false],
  ])('secret schema: %s -> %s', (_name, secret, ok) => {
    const result = polar.secret.safeParse(secret);
    expect(result.success).toBe(ok);
    if (!ok) expect(result.error?.issues[0]?.message).toMatch(/whsec_/);
  });

  it('verify → identify → parse → map: the webhook-id header is the inbox key, body type the type', async () => {
    const body = polarFixtureText('order-paid-purchase');
    const req = request(body, polarHeaders(body, { webhookId: 'msg_2Zk9TestOnly' }));
    const verified = await polar.createVerifier([POLAR_SECRET], { now: Date.now, settings: {} })(req);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    const identity = await polar.identify(verified.value, req);
    expect(identity).toEqual({ ok: true, value: { eventKey: 'msg_2Zk9TestOnly', eventType: 'order.paid', account: null } });
    if (!identity.ok) return;
    const parsed = polar.parse(verified.value.json, identity.value);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(polar.customerIdOf!(parsed.value)).toBe('00000000-0000-4000-8000-00000000c001');
    expect(polar.map(parsed.value, { testEvents: 'forward' })).toMatchObject({
      commands: [{ kind: 'sale', body: { invoiceId: '00000000-0000-4000-8000-0000000000d2', metadata: { polarWebhookId: 'msg_2Zk9TestOnly' } } }],
    });
  });

  it.each([
    ['no type', { data: {} }],
    ['a numeric type', { type: 7, data: {} }],
    ['a JSON array', []],
  ])('identify refuses a verified body with %s', async (_name, json) => {
    const identity = await polar.identify({ json, secret: POLAR_SECRET }, request('', { 'webhook-id': 'msg_1' }));
    expect(identity).toMatchObject({ ok: false, reason: 'invalid_payload' });
  });
});
