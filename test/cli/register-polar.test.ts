import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { handledPolarEventTypes } from '../../src/mappers/polar/index.js';
import { type FakePolar, POLAR_ORGANIZATION, startFakePolar } from './helpers/fake-polar.js';
import { runCli } from './helpers/run-cli.js';

/** `register polar` / `unregister polar` against a local stand-in for Polar's webhook endpoints API. */
let polar: FakePolar;
const PUBLIC_URL = 'https://bridge.example.com';
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/polar`;
const env = () => ({ POLAR_ACCESS_TOKEN: polar.token, POLAR_API_BASE: polar.url });
const sorted = (list: readonly string[]) => [...list].sort();

beforeAll(async () => {
  polar = await startFakePolar();
});
afterAll(() => polar.close());
beforeEach(() => {
  polar.endpoints.clear();
  polar.reset();
});

describe('register polar', () => {
  test('creates one raw endpoint for exactly the handled event types, prints its secret once, and a re-run changes nothing', async () => {
    polar.add({ url: 'https://crm.example.com/polar', events: ['subscription.created'] });
    polar.add({ url: 'https://chat.example.com/hook', format: 'slack', events: ['order.paid'] });
    const first = await runCli(['register', 'polar', '--url', PUBLIC_URL], env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const writes = polar.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'POST', path: '/v1/webhooks/endpoints', body: { url: WEBHOOK_URL, format: 'raw' } });
    expect(writes[0]!.body).not.toHaveProperty('organization_id');
    expect(sorted(writes[0]!.body.events)).toEqual(sorted(handledPolarEventTypes));
    const created = [...polar.endpoints.values()].find((e) => e.url === WEBHOOK_URL)!;
    expect(first.stdout).toContain(`created Polar webhook endpoint ${created.id} (enabled, format raw, organization ${POLAR_ORGANIZATION})`);
    expect(first.stdout).toContain(`POLAR_WEBHOOK_SECRET=${created.secret}`);
    // The bridge would accept this secret: no warning.
    expect(first.stdout).not.toContain('warning');

    const second = await runCli(['register', 'polar', '--url', PUBLIC_URL], env());
    expect(second.code).toBe(0);
    expect(polar.writes()).toHaveLength(1);
    expect(polar.endpoints.size).toBe(3);
    expect(second.stdout).toContain(`unchanged Polar webhook endpoint ${created.id}`);
    expect(second.stdout).not.toContain(created.secret);
    expect(polar.requests.some((r) => r.method === 'GET' && r.query.page === '2')).toBe(true);
  });

  test('an endpoint at the URL with other events, another format or disabled is updated, not duplicated', async () => {
    const old = polar.add({ url: WEBHOOK_URL, events: ['order.created', 'order.paid'], format: 'discord', enabled: false });
    const run = await runCli(['register', 'polar', '--url', PUBLIC_URL, '--json'], env());
    expect(run.code).toBe(0);
    const writes = polar.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: `/v1/webhooks/endpoints/${old.id}`, body: { format: 'raw', enabled: true } });
    expect(sorted(writes[0]!.body.events)).toEqual(sorted(handledPolarEventTypes));
    expect(JSON.parse(run.stdout)).toMatchObject({
      provider: 'polar',
      action: 'updated',
      id: old.id,
      url: WEBHOOK_URL,
      enabled: true,
      format: 'raw',
      secret: null,
    });
    expect(polar.endpoints.size).toBe(1);
  });

  test('--organization scopes the lookup and the new endpoint (a personal access token needs it)', async () => {
    const otherOrg = '00000000-0000-4000-8000-0000000000b2';
    polar.add({ url: WEBHOOK_URL, events: ['order.paid'], organization_id: otherOrg });
    const run = await runCli(['register', 'polar', '--url', PUBLIC_URL, '--organization', POLAR_ORGANIZATION], env());
    expect(run.code).toBe(0);
    expect(polar.requests.filter((r) => r.method === 'GET').every((r) => r.query.organization_id === POLAR_ORGANIZATION)).toBe(true);
    expect(polar.writes()[0]).toMatchObject({ method: 'POST', body: { organization_id: POLAR_ORGANIZATION } });
  });

  test('a token Polar refuses (401) is a failure naming POLAR_ACCESS_TOKEN; no token is 78; --access-token is refused', async () => {
    const refused = await runCli(['register', 'polar', '--url', PUBLIC_URL], { ...env(), POLAR_ACCESS_TOKEN: 'polar_oat_wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Polar refused the token in POLAR_ACCESS_TOKEN (401 Unauthorized)');
    expect(refused.stderr).toContain('webhooks:write');

    const missing = await runCli(['register', 'polar', '--url', PUBLIC_URL], { POLAR_API_BASE: polar.url });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('POLAR_ACCESS_TOKEN: set it (or pipe it in with --access-token-stdin)');

    const flag = await runCli(['register', 'polar', '--url', PUBLIC_URL, '--access-token', polar.token], { POLAR_API_BASE: polar.url });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--access-token is not accepted');
    expect(polar.endpoints.size).toBe(0);
  });
});

test('a secret the bridge would refuse for POLAR_WEBHOOK_SECRET is printed with a warning saying so', async () => {
  // A self-chosen secret of an older endpoint (neither whsec_ nor polar_whs_).
  const other = await startFakePolar(polar.token, 'legacy_');
  try {
    const run = await runCli(['register', 'polar', '--url', PUBLIC_URL], { POLAR_ACCESS_TOKEN: other.token, POLAR_API_BASE: other.url });
    expect(run.code).toBe(0);
    const [created] = [...other.endpoints.values()];
    expect(run.stdout).toContain(`POLAR_WEBHOOK_SECRET=${created!.secret}`);
    expect(run.stdout).toMatch(/warning the bridge's check of POLAR_WEBHOOK_SECRET refuses this value: expected Polar's webhook secret: whsec_ or polar_whs_/);
  } finally {
    await other.close();
  }
});

describe('unregister polar', () => {
  test('deletes the endpoint at the URL and leaves the others', async () => {
    await runCli(['register', 'polar', '--url', PUBLIC_URL], env());
    const other = polar.add({ url: 'https://crm.example.com/polar', events: ['order.paid'] });
    const run = await runCli(
      ['unregister', 'polar', '--url', PUBLIC_URL, '--access-token-stdin', '--json'],
      { POLAR_API_BASE: polar.url },
      { input: polar.token },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ provider: 'polar', url: WEBHOOK_URL, deleted: [expect.any(String)] });
    expect([...polar.endpoints.keys()]).toEqual([other.id]);
  });
});
