export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** The logging surface the pipeline uses (pino-compatible: fields first, then the message). */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/** Masks emails (`j***@example.com`) and bearer/webhook secrets in anything about to be logged. */
export function redact(text: string): string {
  return text
    .replace(EMAIL, '$1***@$2')
    .replace(/whsec_[A-Za-z0-9]+/g, 'whsec_***')
    .replace(/dub_[A-Za-z0-9_]{8,}/g, 'dub_***')
    .replace(/(Bearer\s+)[^\s"]+/gi, '$1***');
}

/**
 * One JSON line per entry on the given writer (stdout on Node, console on Workers), with
 * personal data and secrets masked at the last moment so no call site can forget.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void,
  base: Record<string, unknown> = {},
  now: () => number = Date.now,
): Logger {
  const emit = (entryLevel: LogLevel): LogFn => (fields, message) => {
    if (ORDER[entryLevel] < ORDER[level]) return;
    write(redact(JSON.stringify({ level: entryLevel, time: new Date(now()).toISOString(), ...base, ...fields, msg: message })));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => createLogger(level, write, { ...base, ...fields }, now),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => undefined);
