import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Where a command writes: text for people (coloured only on a terminal) and JSON for scripts. */
export interface Output {
  line(text?: string): void;
  json(value: unknown): void;
  /** Applies a colour when the stream is a terminal and NO_COLOR is unset; plain text otherwise. */
  style(format: Style, text: string): string;
  /** `ok` / `warn` / `fail` / `info` in a fixed-width column, coloured on a terminal. */
  status(level: StatusLevel, text: string): void;
  /** Rewrites one progress line in place on a terminal; prints nothing elsewhere. */
  progress(text: string): void;
  /** Ends a progress line (so the next line starts fresh). */
  endProgress(): void;
}

export type StatusLevel = 'ok' | 'warn' | 'fail' | 'info';
const levelStyle: Record<StatusLevel, Style> = { ok: 'green', warn: 'yellow', fail: 'red', info: 'dim' };

/** Controls a terminal acts on: C0 (tab and newline too), DEL, C1, and the bidirectional overrides that reorder text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A stored string (an event type, Dub's error message, a payload field) as one inert line: every
 * control character, newlines included, shown as `\u001b`. Webhook payloads and Dub's answers
 * come from outside; printed raw, an escape sequence could retitle the terminal, hide text or fake
 * a line of output. JSON output needs none of this (JSON.stringify escapes C0 controls itself).
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Our own colour codes (SGR) stay when colouring; any other control except tab and newline is dropped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const TERMINAL_UNSAFE = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** An Output over one stream (stdout or stderr); `env` is where NO_COLOR is read. */
export function createOutput(stream: NodeJS.WriteStream = process.stdout, env = process.env): Output {
  const isTTY = Boolean(stream.isTTY);
  const colour = isTTY && !env.NO_COLOR;
  let progressShown = false;
  // Decided here for the stream written to (stdout or stderr); styleText would check stdout.
  const style = (format: Style, text: string) => (colour ? styleText(format, text, { validateStream: false }) : text);
  const write = (text: string) => {
    stream.write(text);
  };
  // The last line of defence for text that skipped printable(): nothing but our colours gets through.
  const safe = (text: string) => text.replace(TERMINAL_UNSAFE, (m) => (colour && m.length > 1 ? m : ''));
  return {
    style,
    line: (text = '') => write(`${safe(text)}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
    status: (level, text) => write(`${style(levelStyle[level], level.padEnd(4))}  ${safe(text)}\n`),
    progress(text) {
      if (!isTTY) return;
      progressShown = true;
      write(`\r\x1b[2K${text}`);
    },
    endProgress() {
      if (progressShown) write('\n');
      progressShown = false;
    },
  };
}

/** How a write to a closed stdout/stderr pipe ends the process: 0 for commands, 1 for `serve`. */
export const closedPipe = { exitCode: 0 };

/**
 * `dub-bridge events list | head` closes the pipe early: the reader has what it wanted, so a
 * write that finds it gone ends the command quietly (`closedPipe.exitCode`) instead of an EPIPE
 * stack trace. `serve` sets 1: a server that lost its log pipe must not look like a clean stop.
 */
export function exitOnClosedPipe(streams: NodeJS.WritableStream[]) {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(closedPipe.exitCode);
      throw error;
    });
  }
}

/** Formats an age in milliseconds with its two largest units: `3d 4h`, `12m 5s`, `40s`. */
export function formatAge(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const parts = (
    [
      ['d', 86_400],
      ['h', 3_600],
      ['m', 60],
      ['s', 1],
    ] as const
  ).map(([unit, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return { unit, n };
  });
  const largest = parts.findIndex((p) => p.n > 0);
  const first = largest === -1 ? parts.length - 1 : largest;
  return parts
    .slice(first, first + 2)
    .filter((p, i) => i === 0 || p.n > 0)
    .map((p) => `${p.n}${p.unit}`)
    .join(' ');
}

/** Epoch milliseconds as an ISO timestamp without milliseconds (null stays null, for JSON). */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null): string | null;
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
