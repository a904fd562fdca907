import { cleanFields, cleanText, MAX_STRING, truncateForLog } from './log-redact.js';

export { redact, truncateForLog } from './log-redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `json`: one object per line (log collectors); `pretty`: `time LEVEL message key=value…` (a terminal). */
export type LogFormat = 'json' | 'pretty';
type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** The logging surface the pipeline uses (pino-compatible: fields first, then the message). */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(fields: Record<string, unknown>): Logger;
  /** The same logger, also masking these literal values as `***` in every line it writes. */
  masking(values: readonly string[]): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Past this, a whole line is replaced by a short notice (many large fields). */
const MAX_LINE = 32_000;

/** A `pretty` value: bare when it is one plain word, else JSON-quoted (escapes keep it on one line). */
function prettyValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value) ?? 'undefined';
  let plain = value.length > 0;
  for (let i = 0; plain && i < value.length; i++) {
    const c = value.charCodeAt(i);
    plain = c > 0x20 && c !== 34 && c !== 61 && c !== 92 && !(c >= 0x7f && c <= 0x9f) && c !== 0x2028 && c !== 0x2029;
  }
  return plain ? value : JSON.stringify(value).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

function prettyLine(entry: Record<string, unknown>): string {
  const { level, time, msg, ...rest } = entry;
  const message = truncateForLog(String(msg), MAX_STRING);
  const pairs = Object.entries(rest).map(([key, value]) => ` ${truncateForLog(key, 64)}=${prettyValue(value)}`);
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)} ${message}${pairs.join('')}`;
}

interface LoggerState {
  level: LogLevel;
  write: (line: string) => void;
  format: LogFormat;
  now: () => number;
  base: Record<string, unknown>;
  masked: readonly string[];
}

function build(state: LoggerState): Logger {
  const { level, write, format, now, base, masked } = state;
  const needles = [...new Set(masked)];
  const cleanBase = cleanFields(base, needles);
  const emit =
    (entryLevel: LogLevel): LogFn =>
    (fields, message) => {
      if (ORDER[entryLevel] < ORDER[level]) return;
      const time = new Date(now()).toISOString();
      // Object.assign, not spreads: two spreads in one literal take V8's slow path (~10 µs a line).
      const entry = Object.assign({ level: entryLevel, time }, cleanBase, cleanFields(fields, needles), { msg: cleanText(String(message), needles) });
      if (format === 'pretty') return write(prettyLine(entry));
      const line = JSON.stringify(entry);
      write(
        line.length <= MAX_LINE ? line : JSON.stringify({ level: entryLevel, time, msg: entry.msg, cut: `entry of ${line.length} characters not written` }),
      );
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => build({ ...state, base: { ...base, ...fields } }),
    masking: (values) => build({ ...state, masked: [...masked, ...values] }),
  };
}

/**
 * Masks the given secret values (configured keys without a known prefix, such as an older Shopify
 * app's hex secret) as `***` wherever they appear in what `logger` writes.
 */
export function maskSecrets(logger: Logger, secrets: readonly string[]): Logger {
  // Short values would mask ordinary words; configured secrets are far longer.
  const values = [...new Set(secrets)].filter((s) => s.length >= 8);
  return values.length ? logger.masking(values) : logger;
}

/**
 * One line per entry on the given writer (stdout on Node, console on Workers), JSON by default
 * or `pretty` for a terminal (LOG_FORMAT). Personal fields, secrets and configured values are
 * masked and every string is capped as the entry is built, so no call site can forget.
 */
export function createLogger(level: LogLevel, write: (line: string) => void, format: LogFormat = 'json', now: () => number = Date.now): Logger {
  return build({ level, write, format, now, base: {}, masked: [] });
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => undefined);
