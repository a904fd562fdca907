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

/**
 * Masks emails (`j***@example.com`) and secrets recognisable by their prefix (Stripe `whsec_`,
 * `sk_`/`rk_` keys, Dub `dub_` keys, Shopify `shpss_`/`shpat_`… secrets, bearer tokens) in
 * anything about to be logged.
 */
export function redact(text: string): string {
  return text
    .replace(EMAIL, '$1***@$2')
    .replace(/whsec_\w+/g, 'whsec_***')
    .replace(/\b([sr]k_(?:live|test))_\w+/g, '$1_***')
    .replace(/dub_[A-Za-z0-9_]{8,}/g, 'dub_***')
    .replace(/\b(shp[a-z]{2})_\w+/g, '$1_***')
    .replace(/(Bearer\s+)[^\s"]+/gi, '$1***');
}

/**
 * Wraps a logger so the given secret values (configured keys without a known prefix, such as an
 * older Shopify app's hex secret) are masked as `***` wherever they appear.
 */
export function maskSecrets(logger: Logger, secrets: readonly string[]): Logger {
  // Short values would mask ordinary words; configured secrets are far longer.
  const values = [...new Set(secrets)].filter((s) => s.length >= 8);
  if (values.length === 0) return logger;
  const mask = (text: string) => values.reduce((out, secret) => out.replaceAll(secret, '***'), text);
  const maskFields = (fields: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(fields, (_key, value: unknown) => (typeof value === 'string' ? mask(value) : value))) as Record<string, unknown>;
  const wrap = (log: LogFn): LogFn => (fields, message) => log(maskFields(fields), mask(message));
  return {
    debug: wrap(logger.debug),
    info: wrap(logger.info),
    warn: wrap(logger.warn),
    error: wrap(logger.error),
    child: (fields) => maskSecrets(logger.child(maskFields(fields)), values),
  };
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
