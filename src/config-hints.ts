/**
 * "Did you mean" hints for environment variables that look like the bridge's own but are not read
 * by it. The config schema ignores unknown names, so without this a typo such as
 * `STRIPE_WEBHOOK_SECRETS` or `LOGLEVEL` would leave a provider unconfigured without a word.
 * Pure: the caller passes the names in the environment and the names the bridge knows.
 */

/** Variables read outside the config schema (process level), so they are never "unknown". */
export const otherKnownVariables = ['DUB_BRIDGE_ENV_FILE'] as const;

/**
 * Prefixes of the bridge's own variables. The providers' prefixes are not listed: they are the
 * first words of the known names, which include every registered provider's secret variable and
 * settings (the config schema is built from the registry).
 */
const OUR_PREFIXES = ['DUB', 'DELIVERY', 'LOG', 'SQLITE', 'DATABASE', 'TENANTS', 'TEST'];

export interface ConfigHint {
  /** The variable as it is spelled in the environment. */
  variable: string;
  /** The known variable it most likely meant. */
  suggestion: string;
  /** One line for the startup log: `LOGLEVEL is not read by dub-bridge; did you mean LOG_LEVEL?` */
  message: string;
}

/**
 * Hints for `names` (the environment's variable names) that are not in `known` but start like
 * ours (or one typo away from that) and are close to a known name: a Levenshtein distance of at most 2 (3 for names of 12 or
 * more characters), ignoring case; `log_level` and `LOGLEVEL` match `LOG_LEVEL` (same letters).
 * Unknown names far from every known one (another program's `STRIPE_PUBLISHABLE_KEY`) get no
 * hint, so a shared environment stays quiet.
 */
export function configHints(names: Iterable<string>, known: readonly string[]): ConfigHint[] {
  const knownSet = new Set<string>([...known, ...otherKnownVariables]);
  const prefixes = new Set([...OUR_PREFIXES, ...[...knownSet].map((name) => name.split('_')[0]!)]);
  const hints: ConfigHint[] = [];
  for (const variable of names) {
    if (knownSet.has(variable)) continue;
    const upper = variable.toUpperCase();
    if (![...prefixes].some((prefix) => looksLike(upper, prefix))) continue;
    const suggestion = closest(upper, [...knownSet]);
    if (suggestion) hints.push({ variable, suggestion, message: `${variable} is not read by dub-bridge; did you mean ${suggestion}?` });
  }
  return hints;
}

/**
 * Starts with the prefix (also with its words run together: `LEMON_SQUEEZY_…` for `LEMONSQUEEZY`),
 * or its first word is one typo away from it (`PADLE_…`, `STRPIE_…`).
 */
function looksLike(upper: string, prefix: string): boolean {
  if (upper.startsWith(prefix) || upper.replace(/[_-]/g, '').startsWith(prefix)) return true;
  return prefix.length >= 4 && levenshtein(upper.split('_')[0]!, prefix) <= 1;
}

function closest(upper: string, known: readonly string[]): string | null {
  const squash = (name: string) => name.replace(/[_-]/g, '');
  const limit = upper.length >= 12 ? 3 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = squash(name) === squash(upper) ? 0 : levenshtein(upper, name);
    if (distance <= limit && (best === null || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** Edit distance (insertions, deletions, substitutions), two rows of the classic table. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
