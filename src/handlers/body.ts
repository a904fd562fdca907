import type { Context } from 'hono';
import { BridgeError } from '../errors.js';

/** Reads a webhook's raw bytes, refusing more than `maxBytes` (413) without reading them all. */
export type BodyReader = (c: Context, maxBytes: number) => Promise<Uint8Array<ArrayBuffer>>;

/**
 * How many bodies may be read at once (each holds up to MAX_BODY_BYTES of memory) and how long one
 * may take from its first byte read to its last (a client sending 1 byte a second must not hold a
 * reader for minutes). Providers send a webhook body in one go, within milliseconds.
 */
export interface BodyLimits {
  maxConcurrent: number;
  deadlineMs: number;
}

export const defaultBodyLimits: BodyLimits = { maxConcurrent: 128, deadlineMs: 10_000 };

export const tooLarge = (maxBytes: number) => new BridgeError('payload_too_large', `body exceeds ${maxBytes} bytes (MAX_BODY_BYTES)`);
export const tooSlow = (deadlineMs: number) => new BridgeError('request_timeout', `the body did not arrive within ${deadlineMs / 1000} s; send it in one go`);
export const tooBusy = (maxConcurrent: number) => new BridgeError('server_busy', `${maxConcurrent} webhook bodies are being read already; retry shortly`);

/** A declared Content-Length over the limit is refused before a byte of the body is read. */
export function checkDeclaredLength(declared: string | null | undefined, maxBytes: number): void {
  if (declared && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Counts bodies being read. Past the cap a new read is refused at once (503: providers retry)
 * instead of queued, so slow senders cannot make everyone wait behind them. `enter` returns the
 * function that ends the read; calling it more than once is harmless.
 */
export function createBodyGate(maxConcurrent: number) {
  let reading = 0;
  return {
    enter(): () => void {
      if (reading >= maxConcurrent) throw tooBusy(maxConcurrent);
      reading++;
      let left = false;
      return () => {
        if (!left) reading--;
        left = true;
      };
    },
    get reading() {
      return reading;
    },
  };
}

/** Any runtime: reads the Fetch API Request's body stream within the limits (chunked bodies too). */
export function createRequestBodyReader(limits: BodyLimits = defaultBodyLimits): BodyReader {
  const gate = createBodyGate(limits.maxConcurrent);
  return async (c, maxBytes) => {
    checkDeclaredLength(c.req.header('content-length'), maxBytes);
    const body = c.req.raw.body;
    if (!body) return new Uint8Array(new ArrayBuffer(0));
    const leave = gate.enter();
    const reader = body.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(tooSlow(limits.deadlineMs)), limits.deadlineMs);
    });
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (let next = await Promise.race([reader.read(), deadline]); !next.done; next = await Promise.race([reader.read(), deadline])) {
        size += next.value.byteLength;
        if (size > maxBytes) throw tooLarge(maxBytes);
        chunks.push(next.value);
      }
    } catch (error) {
      void reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      leave();
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  };
}

/** The Fetch API reader with the default limits (Workers, and tests calling `app.request`). */
export const readRequestBody: BodyReader = createRequestBodyReader();
