import { connect, type Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, expect, test } from 'vitest';
import { BridgeError } from '../errors.js';
import type { BodyLimits } from '../handlers/body.js';
import { createNodeBodyReader } from './node-body.js';

/**
 * The Node body reader behind a real HTTP server, driven by raw sockets so a client can send its
 * body as slowly as an attacker would. The app answers the reader's refusals with their code.
 */
let server: ServerType | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(limits: BodyLimits): Promise<number> {
  const app = new Hono();
  const read = createNodeBodyReader(limits);
  app.post('/webhooks/test', async (c) => c.json({ bytes: (await read(c, 1024)).byteLength }));
  app.onError((error, c) => c.json({ code: error instanceof BridgeError ? error.code : 'internal_error' }, 400));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server!.once('listening', resolve));
  return (server.address() as { port: number }).port;
}

/** Opens a request declaring `length` bytes and sends `sent` of them; resolves with what the server answered once it closes. */
function slowRequest(port: number, length: number, sent: string) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let answer = '';
  socket.on('data', (data) => (answer += data.toString()));
  socket.write(`POST /webhooks/test HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${sent}`);
  // One more byte now and then, never the whole body.
  const drip = setInterval(() => socket.writable && socket.write(' '), 20);
  const closed = new Promise<string>((resolve) => socket.on('close', () => (clearInterval(drip), resolve(answer))));
  return { socket, closed, answer: () => answer };
}

test('a body that trickles in is refused when its deadline passes, and its connection is closed', async () => {
  const port = await start({ maxConcurrent: 8, deadlineMs: 300 });
  const slow = slowRequest(port, 1000, '{"id":');
  const answer = await slow.closed;
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toMatch(/connection: close/i);
  expect(answer).toContain('"code":"request_timeout"');
});

test('past the cap of bodies being read at once a new request is refused at once; slots free up afterwards', async () => {
  const port = await start({ maxConcurrent: 2, deadlineMs: 400 });
  const slow = [slowRequest(port, 1000, '{'), slowRequest(port, 1000, '{')];
  await expect.poll(() => slow.every((s) => s.socket.bytesWritten > 100)).toBe(true);

  const busy = await fetch(`http://127.0.0.1:${port}/webhooks/test`, { method: 'POST', body: '{"id":1}' });
  expect(await busy.json()).toEqual({ code: 'server_busy' });
  expect(slow.map((s) => s.answer())).toEqual(['', '']);

  for (const s of slow) expect(await s.closed).toContain('"code":"request_timeout"');
  const after = await fetch(`http://127.0.0.1:${port}/webhooks/test`, { method: 'POST', body: '{"id":1}' });
  expect(await after.json()).toEqual({ bytes: 8 });
});

test('a whole body within the limits is read as sent', async () => {
  const port = await start({ maxConcurrent: 2, deadlineMs: 5_000 });
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/test`, { method: 'POST', body: 'x'.repeat(1024) });
  expect(await response.json()).toEqual({ bytes: 1024 });
  const tooLarge = await fetch(`http://127.0.0.1:${port}/webhooks/test`, { method: 'POST', body: 'x'.repeat(1025) });
  expect(await tooLarge.json()).toEqual({ code: 'payload_too_large' });
});
