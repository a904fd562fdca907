import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkDeclaredLength,
  createBodyGate,
  createRequestBodyReader,
  defaultBodyLimits,
  tooLarge,
  tooSlow,
  type BodyLimits,
  type BodyReader,
} from '../handlers/body.js';

/**
 * On Node, reads the body straight from the IncomingMessage that @hono/node-server passes as
 * `c.env.incoming`. Going through `c.req` would first build a Fetch API Request with a web
 * ReadableStream and an AbortController per webhook, ~15 % of the bridge's CPU per webhook
 * (docs/performance.md). Anything else (tests calling `app.request`) takes the Request path.
 * At most `maxConcurrent` bodies are read at once (503 past it) and each must arrive within
 * `deadlineMs` (408, and the connection is closed after the answer).
 */
export function createNodeBodyReader(limits: BodyLimits = defaultBodyLimits): BodyReader {
  const gate = createBodyGate(limits.maxConcurrent);
  const fallback = createRequestBodyReader(limits);
  return (c, maxBytes) => {
    const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
    const incoming = env?.incoming;
    if (!incoming || incoming.readableDidRead) return fallback(c, maxBytes);
    checkDeclaredLength(incoming.headers['content-length'], maxBytes);
    const leave = gate.enter();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const stop = () => {
        clearTimeout(timer);
        leave();
        incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      };
      const timer = setTimeout(() => {
        stop();
        // The rest of a slow body is not worth a connection: it closes once the 408 is written.
        if (env?.outgoing && !env.outgoing.headersSent) env.outgoing.setHeader('connection', 'close');
        reject(tooSlow(limits.deadlineMs));
      }, limits.deadlineMs);
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) return void chunks.push(chunk);
        // The rest keeps flowing with nobody listening: discarded, so the connection can be reused.
        stop();
        reject(tooLarge(maxBytes));
      };
      const onEnd = () => {
        stop();
        resolve(Buffer.concat(chunks, size));
      };
      const onError = (error: Error) => {
        stop();
        reject(error);
      };
      const onClose = () => onError(new Error('the client closed the connection before the body ended'));
      incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    });
  };
}

/** The Node reader with the default limits (one gate per process). */
export const readNodeBody: BodyReader = createNodeBodyReader();
