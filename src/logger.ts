export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
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

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * Masks emails (`j***@example.com`) and secrets recognisable by their prefix (Stripe `whsec_`,
 * `sk_`/`rk_` keys, Dub `dub_` keys, Shopify `shpss_`/`shpat_`… secrets, bearer tokens) in
 * anything about to be logged.
 */
// One pass to rule out the common line that contains none of the patterns below.
const MAYBE_SENSITIVE = /@|whsec_|k_(?:live|test)|dub_|shp[a-z]{2}_|bearer/i;

export function redact(text: string): string {
  if (!MAYBE_SENSITIVE.test(text)) return text;
  return text
    .replace(EMAIL, '$1***@$2')
    .replace(/whsec_\w+/g, 'whsec_***')
    .replace(/\b([sr]k_(?:live|test))_\w+/g, '$1_***')
    .replace(/dub_[A-Za-z0-9_]{8,}/g, 'dub_***')
    .replace(/\b(shp[a-z]{2})_\w+/g, '$1_***')
    .replace(/(Bearer\s+)[^\s"]+/gi, '$1***');
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
 * One JSON line per entry on the given writer (stdout on Node, console on Workers), with
 * personal data and secrets masked at the last moment so no call site can forget.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void,
  base: Record<string, unknown> = {},
  now: () => number = Date.now,
  masked: readonly string[] = [],
): Logger {
  // A value is looked for as written and as JSON escapes it inside the line.
  const needles = [...new Set(masked.flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]))];
  const mask = (line: string) => needles.reduce((out, needle) => (out.includes(needle) ? out.replaceAll(needle, '***') : out), line);
  const emit = (entryLevel: LogLevel): LogFn => (fields, message) => {
    if (ORDER[entryLevel] < ORDER[level]) return;
    // Object.assign, not spreads: two spreads in one literal take V8's slow path (~10 µs a line).
    const entry = Object.assign({ level: entryLevel, time: new Date(now()).toISOString() }, base, fields, { msg: message });
    write(mask(redact(JSON.stringify(entry))));
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => createLogger(level, write, { ...base, ...fields }, now, masked),
    masking: (values) => createLogger(level, write, base, now, [...masked, ...values]),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => undefined);
