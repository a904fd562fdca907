import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Where a command writes: text for people (coloured only on a terminal) and JSON for scripts. */
export interface Output {
  line(text?: string): void;
  json(value: unknown): void;
  /** Applies a colour when the stream is a terminal and NO_COLOR is unset; plain text otherwise. */
  style(format: Style, text: string): string;
  /** `ok` / `warn` / `fail` in a fixed-width column, coloured on a terminal. */
  status(level: StatusLevel, text: string): void;
  /** Rewrites one progress line in place on a terminal; prints nothing elsewhere. */
  progress(text: string): void;
  /** Ends a progress line (so the next line starts fresh). */
  endProgress(): void;
}

export type StatusLevel = 'ok' | 'warn' | 'fail';
const levelStyle: Record<StatusLevel, Style> = { ok: 'green', warn: 'yellow', fail: 'red' };

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
  return {
    style,
    line: (text = '') => write(`${text}\n`),
    json: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
    status: (level, text) => write(`${style(levelStyle[level], level.padEnd(4))}  ${text}\n`),
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

/** Formats an age in milliseconds with its two largest units: `3d 4h`, `12m 5s`, `40s`. */
export function formatAge(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const parts = (
    [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const
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
