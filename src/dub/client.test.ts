import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDub, type FakeDub } from '../../test/helpers/fake-dub.js';
import { createNodeHttpTransport } from '../runtime/node-http-transport.js';
import { createDubClient, DubTransportError } from './client.js';
import { fetchTransport, type HttpTransport } from './transport.js';

let dub: FakeDub;
const nodeTransport = createNodeHttpTransport({ maxSockets: 4 });
beforeAll(async () => {
  dub = await startFakeDub();
});
afterAll(async () => {
  nodeTransport.close();
  await dub.close();
});

const sale = (invoiceId: string) => ({
  customerExternalId: 'user_1',
  amount: 4999,
  currency: 'usd',
  paymentProcessor: 'stripe' as const,
  eventName: 'Purchase',
  invoiceId,
});

// The same client over Node's fast transport and over fetch (Workers) must behave alike.
describe.each<[string, HttpTransport]>([
  ['node:http', nodeTransport],
  ['fetch', fetchTransport()],
])('Dub client over %s against a local fake Dub', (name, transport) => {
  const client = (overrides: { apiUrl?: string; timeoutMs?: number } = {}) =>
    createDubClient({ apiUrl: overrides.apiUrl ?? dub.url, apiKey: dub.apiKey, timeoutMs: overrides.timeoutMs ?? 2000, transport });

  it("sends the JSON body with the key and reads Dub's answer", async () => {
    dub.knowCustomer('user_1');
    const response = await client().trackSale(sale(`in_${name}_1`));
    expect(response.status).toBe(200);
    const [request] = dub.calls('POST', '/track/sale').filter((r) => r.body.invoiceId === `in_${name}_1`);
    expect(request!.headers.authorization).toBe(`Bearer ${dub.apiKey}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual(sale(`in_${name}_1`));
  });

  it("passes on an error status with Dub's body and its Retry-After", async () => {
    const reset = Date.now() + 30_000;
    dub.fail('sale', { status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'slow down' } }, headers: { 'retry-after': String(reset) } });
    const response = await client().trackSale(sale(`in_${name}_2`));
    expect(response).toMatchObject({ status: 429, body: { error: { code: 'rate_limit_exceeded' } } });
    expect(response.retryAfterMs).toBeGreaterThan(25_000);
    expect(response.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('turns a call without an answer in time into a timeout, and a refused connection into a network error', async () => {
    dub.fail('sale', { delayMs: 1_000 });
    const slow = client({ timeoutMs: 100 }).trackSale(sale(`in_${name}_3`));
    await expect(slow).rejects.toBeInstanceOf(DubTransportError);
    await expect(slow).rejects.toMatchObject({ kind: 'timeout' });
    const refused = client({ apiUrl: 'http://127.0.0.1:1' }).trackSale(sale(`in_${name}_4`));
    await expect(refused).rejects.toMatchObject({ kind: 'network' });
  });

  it('a dropped connection is a network error', async () => {
    dub.fail('sale', { reset: true });
    await expect(client().trackSale(sale(`in_${name}_5`))).rejects.toMatchObject({ kind: 'network' });
  });
});
