import type { IncomingMessage } from 'node:http';
import { checkDeclaredLength, readRequestBody, tooLarge, type BodyReader } from '../handlers/body.js';

/**
 * On Node, reads the body straight from the IncomingMessage that @hono/node-server passes as
 * `c.env.incoming`. Going through `c.req` would first build a Fetch API Request with a web
 * ReadableStream and an AbortController per webhook, ~15 % of the bridge's CPU per webhook
 * (docs/performance.md). Anything else (tests calling `app.request`) takes the Request path.
 */
export const readNodeBody: BodyReader = (c, maxBytes) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead) return readRequestBody(c, maxBytes);
  checkDeclaredLength(incoming.headers['content-length'], maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
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
