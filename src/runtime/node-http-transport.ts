import http from 'node:http';
import https from 'node:https';
import type { HttpTransport } from '../dub/transport.js';

export interface NodeHttpTransportOptions {
  /** Connections kept open per Dub host (the dispatcher's concurrency is a good value). */
  maxSockets: number;
  /** Answers larger than this are cut off as a failed call (Dub's are a few hundred bytes). */
  maxAnswerBytes?: number;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Dub calls on Node over `node:http(s)` with kept-alive connections. Node's global `fetch` spends
 * ~1 ms of CPU per call on its WHATWG layers (streams, Request/Response, AbortSignal); this takes
 * ~0.2 ms, which is what lets one core drain a backlog at 1,000 calls/s (docs/performance.md).
 */
export function createNodeHttpTransport(options: NodeHttpTransportOptions): HttpTransport & { close(): void } {
  const maxAnswerBytes = options.maxAnswerBytes ?? 1 << 20;
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };

  const send: HttpTransport = ({ method, url, headers, body, timeoutMs }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? https : http).request(target, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
      });
      // One deadline for the whole call (connect, send, answer), like AbortSignal.timeout.
      const timer = setTimeout(() => request.destroy(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxAnswerBytes) request.destroy(new Error(`answer larger than ${maxAnswerBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const get = (name: string) => {
            const value = response.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          };
          resolve({ status: response.statusCode ?? 0, headers: { get }, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end(body);
    });

  return Object.assign(send, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
