import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeDub, type FakeDub, type FakeDubOptions, type Fault } from '../helpers/fake-dub.js';

/**
 * Runs on the Node side of the workers tests (vitest globalSetup): tests inside workerd cannot
 * start a server, so they ask this one over HTTP for a fresh fake Dub per test, read what it
 * received and script its faults. The Worker then calls that fake Dub over real HTTP.
 *
 *   POST /dubs                 <- FakeDubOptions (optional) -> { id, url, apiKey }
 *   GET  /dubs/:id/requests    -> [{ method, path, body, at, status }]
 *   GET  /dubs/:id/stats       -> { rejected429 }
 *   POST /dubs/:id/fail        <- { route, faults: Fault[] }
 *   DELETE /dubs/:id
 */
export async function startFakeDubSwitchboard() {
  const dubs = new Map<string, FakeDub>();
  let next = 0;

  const readJson = async (req: IncomingMessage): Promise<any> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? JSON.parse(text) : null;
  };
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (status === 204) return void res.writeHead(204).end();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const [, resource, id, action] = new URL(req.url ?? '/', 'http://switchboard').pathname.split('/');
    if (resource !== 'dubs') return reply(res, 404, { error: 'unknown route' });
    if (req.method === 'POST' && !id) {
      // Each fake its own key by default: the Worker's per-key gates (Durable Objects) are then per test.
      const options = ((await readJson(req)) ?? {}) as FakeDubOptions;
      const dub = await startFakeDub({ apiKey: `dub_test_key_${next + 1}_0123456789`, ...options });
      const key = String(++next);
      dubs.set(key, dub);
      return reply(res, 200, { id: key, url: dub.url, apiKey: dub.apiKey });
    }
    const dub = id ? dubs.get(id) : undefined;
    if (!dub) return reply(res, 404, { error: `no fake Dub ${id}` });
    if (req.method === 'GET' && action === 'requests') {
      return reply(
        res,
        200,
        dub.requests.map(({ method, path, body, at, status }) => ({ method, path, body, at, status })),
      );
    }
    if (req.method === 'GET' && action === 'stats') return reply(res, 200, { rejected429: dub.rejected429 });
    if (req.method === 'POST' && action === 'fail') {
      const { route, faults } = (await readJson(req)) as { route: string; faults: Fault[] };
      dub.fail(route, ...faults);
      return reply(res, 204, undefined);
    }
    if (req.method === 'DELETE' && !action) {
      dubs.delete(id!);
      await dub.close();
      return reply(res, 204, undefined);
    }
    return reply(res, 404, { error: 'unknown route' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 500, { error: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await Promise.all([...dubs.values()].map((dub) => dub.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
