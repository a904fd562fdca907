import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { BridgeError } from '../errors.js';
import { createRequestBodyReader } from './body.js';

/** The Fetch API reader (Workers, `app.request`): a body that never ends is refused, and slots are given back. */
function app(deadlineMs: number, maxConcurrent = 4) {
  const read = createRequestBodyReader({ maxConcurrent, deadlineMs });
  const hono = new Hono();
  hono.post('/', async (c) => c.json({ bytes: (await read(c, 64)).byteLength }));
  hono.onError((error, c) => c.json({ code: error instanceof BridgeError ? error.code : error.message }, 400));
  return hono;
}

/** A request whose body sends one chunk and then nothing more. */
const stalled = () =>
  new Request('http://bridge/', {
    method: 'POST',
    body: new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"id":')) }),
    duplex: 'half',
  } as RequestInit);

test('a stalled body is refused at its deadline and its slot is given back', async () => {
  const hono = app(100, 1);
  expect(await (await hono.request(stalled())).json()).toEqual({ code: 'request_timeout' });
  expect(await (await hono.request('/', { method: 'POST', body: '{"id":1}' })).json()).toEqual({ bytes: 8 });
  expect(await (await hono.request('/', { method: 'POST', body: 'x'.repeat(65) })).json()).toEqual({ code: 'payload_too_large' });
});

test('past the cap a request is refused while the others are still being read', async () => {
  const hono = app(200, 1);
  const first = hono.request(stalled());
  expect(await (await hono.request('/', { method: 'POST', body: '{"id":1}' })).json()).toEqual({ code: 'server_busy' });
  expect(await (await first).json()).toEqual({ code: 'request_timeout' });
});
