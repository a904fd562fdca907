import type { Context } from 'hono';
import { BridgeError } from '../errors.js';

/** Reads a webhook's raw bytes, refusing more than `maxBytes` (413) without reading them all. */
export type BodyReader = (c: Context, maxBytes: number) => Promise<Uint8Array<ArrayBuffer>>;

export const tooLarge = (maxBytes: number) => new BridgeError('payload_too_large', `body exceeds ${maxBytes} bytes (MAX_BODY_BYTES)`);

/** A declared Content-Length over the limit is refused before a byte of the body is read. */
export function checkDeclaredLength(declared: string | null | undefined, maxBytes: number): void {
  if (declared && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

/** Any runtime: the Fetch API Request's body stream, counted as it arrives (chunked bodies too). */
export const readRequestBody: BodyReader = async (c, maxBytes) => {
  checkDeclaredLength(c.req.header('content-length'), maxBytes);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(new ArrayBuffer(0));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
};
