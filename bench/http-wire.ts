import { connect, type Socket } from 'node:net';
import type { SignedRequest } from './events.js';

/**
 * The load generators' HTTP/1.1 client: one kept-alive TCP socket, one request in flight, requests
 * written as prepared bytes and responses read by status line and Content-Length. autocannon
 * rebuilt every request through option merges, a request-id generator and a JavaScript HTTP
 * parser (~45 µs per request on the generator's core before signing); this costs ~5 µs, so the
 * generator is not what limits bare Hono (docs/performance.md, "How it measures").
 */

/** The request as it goes on the wire: head and body in one buffer, written with one syscall. */
export function toWire(port: number, path: string, request: SignedRequest): Buffer {
  let head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`;
  for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
  return Buffer.from(`${head}content-length: ${Buffer.byteLength(request.body)}\r\n\r\n${request.body}`);
}

/** Status of a complete response, or `error` (socket error or close before the answer). */
export type Answer = (status: number, error?: Error) => void;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CLOSE = /\r\nconnection:[ \t]*close/i;

/** A kept-alive connection to 127.0.0.1 that carries one request at a time. */
export class WireConnection {
  private socket: Socket;
  private pending: Buffer | null = null;
  private answer: Answer | null = null;
  private closing = false;
  /** Whether a request is in flight (open-loop runs pick idle connections). */
  busy = false;

  constructor(private readonly port: number) {
    this.socket = this.open();
  }

  private open(): Socket {
    const socket = connect(this.port, '127.0.0.1');
    socket.setNoDelay(true);
    // Events of a socket already replaced (closed by the server after an answer) are not ours.
    socket.on('data', (chunk: Buffer) => socket === this.socket && this.onData(chunk));
    socket.on('error', (error) => socket === this.socket && this.fail(error));
    socket.on('close', () => socket === this.socket && this.fail(new Error('connection closed before the answer')));
    return socket;
  }

  /** Writes `request`; `answer` is called once with the response's status (or the error). */
  send(request: Buffer, answer: Answer): void {
    this.busy = true;
    this.answer = answer;
    if (this.socket.destroyed) this.socket = this.open();
    this.socket.write(request);
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.pending = null;
    if (!this.socket.destroyed) this.socket.destroy();
    this.done(0, error);
  }

  private done(status: number, error?: Error): void {
    const answer = this.answer;
    if (!answer || this.closing) return;
    this.answer = null;
    this.busy = false;
    answer(status, error);
  }

  private onData(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const headEnd = buffer.indexOf(HEADER_END);
    if (headEnd < 0) {
      this.pending = buffer;
      return;
    }
    const head = buffer.toString('latin1', 0, headEnd);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) {
      this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + 4 + Number(length[1]);
    if (buffer.length < end) {
      this.pending = buffer;
      return;
    }
    this.pending = buffer.length > end ? buffer.subarray(end) : null;
    // "HTTP/1.1 200 OK": the status is bytes 9–11.
    const status = (buffer[9]! - 48) * 100 + (buffer[10]! - 48) * 10 + (buffer[11]! - 48);
    // The server closes after this answer (a 408, a shutdown): the next send opens a new socket.
    if (CLOSE.test(head)) this.socket.destroy();
    this.done(status);
  }
}
