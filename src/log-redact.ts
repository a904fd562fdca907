/**
 * What a log line may contain: personal and secret fields masked by key, emails and prefixed
 * secrets masked in any text, configured secret values masked, every string capped. Linear-time
 * scans only (docs/security.md).
 */

/** Any string in a line (field or message) is cut here: a hostile value cannot make a line large. */
export const MAX_STRING = 2_000;
const MAX_DEPTH = 4;
const MAX_ENTRIES = 50;

/**
 * Shortens text the caller controls (a path, a header, a tenant id, a topic) before it goes into
 * a message or a log field: at most `max` characters plus a note of how many were cut, control
 * characters shown as `?` so it stays on one line and cannot forge another.
 */
export function truncateForLog(text: string, max = 200): string {
  const shown = cut(text, max);
  let out = '';
  for (let i = 0; i < shown.length; i++) {
    const c = shown.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 ? '?' : shown[i];
  }
  return shown.length < text.length ? `${out}…[${text.length - shown.length} more chars]` : out;
}

/** The first `max` characters, never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function capped(text: string): string {
  if (text.length <= MAX_STRING) return text;
  const kept = cut(text, MAX_STRING);
  return `${kept}…[${text.length - kept.length} more chars]`;
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWord = (c: number) => isAlnum(c) || c === 95;
// `.` `%` `+` `-` besides letters and digits (local part); `.` `-` (domain).
const isLocal = (c: number) => isAlnum(c) || c === 46 || c === 37 || c === 43 || c === 45 || c === 95;
const isDomain = (c: number) => isAlnum(c) || c === 46 || c === 45;
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Masks emails (`j***@example.com`) and secrets recognisable by their prefix (Stripe `whsec_`,
 * `sk_`/`rk_` keys, Dub `dub_` keys, Shopify `shpss_`/`shpat_`… secrets, bearer tokens) anywhere
 * in a text. Hand-written scans, each character visited a bounded number of times: no regular
 * expression that could backtrack over attacker-controlled text (docs/security.md).
 */
export function redact(text: string): string {
  if (text.indexOf('@') < 0 && text.indexOf('_') < 0 && !/bearer/i.test(text)) return text;
  return maskBearerTokens(maskPrefixedSecrets(maskEmails(text)));
}

function maskEmails(text: string): string {
  let out = '';
  let done = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    // Both walks stop at the next '@' (neither a local nor a domain character): linear overall.
    let start = at;
    while (start > done && isLocal(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomain(text.charCodeAt(end))) end++;
    const domainEnd = topLevelDomainEnd(text, at + 1, end);
    if (start === at || domainEnd < 0) continue;
    out += `${text.slice(done, start)}${text[start]}***@${text.slice(at + 1, domainEnd)}`;
    done = domainEnd;
    at = domainEnd - 1;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Where a domain in `[from, end)` ends after its last `.xx` label, or -1 when it has none. */
function topLevelDomainEnd(text: string, from: number, end: number): number {
  for (let dot = end - 3; dot > from; dot--) {
    if (text.charCodeAt(dot) !== 46 || !isLetter(text.charCodeAt(dot + 1)) || !isLetter(text.charCodeAt(dot + 2))) continue;
    let stop = dot + 3;
    while (stop < end && isLetter(text.charCodeAt(stop))) stop++;
    return stop;
  }
  return -1;
}

/** Within one run of word characters: where its secret part starts, or -1. */
function secretStart(run: string): number {
  const starts: number[] = [];
  if (/^[sr]k_(?:live|test)_./.test(run.slice(0, 9))) starts.push(8);
  if (/^shp[a-z]{2}_./.test(run.slice(0, 7))) starts.push(6);
  const whsec = run.indexOf('whsec_');
  if (whsec >= 0 && whsec + 6 < run.length) starts.push(whsec + 6);
  const dub = run.indexOf('dub_');
  if (dub >= 0 && run.length - dub - 4 >= 8) starts.push(dub + 4);
  return starts.length ? Math.min(...starts) : -1;
}

function maskPrefixedSecrets(text: string): string {
  let out = '';
  let done = 0;
  for (let i = 0; i < text.length; ) {
    if (!isWord(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && isWord(text.charCodeAt(j))) j++;
    const start = secretStart(text.slice(i, j));
    if (start >= 0) {
      out += `${text.slice(done, i + start)}***`;
      done = j;
    }
    i = j;
  }
  return done === 0 ? text : out + text.slice(done);
}

function maskBearerTokens(text: string): string {
  let out = '';
  let done = 0;
  for (let i = 0; i + 6 < text.length; i++) {
    if ((text.charCodeAt(i) | 32) !== 98 || text.slice(i, i + 6).toLowerCase() !== 'bearer') continue;
    let token = i + 6;
    while (token < text.length && isSpace(text.charCodeAt(token))) token++;
    let end = token;
    while (end < text.length && !isSpace(text.charCodeAt(end)) && text.charCodeAt(end) !== 34) end++;
    if (token === i + 6 || end === token) continue;
    out += `${text.slice(done, token)}***`;
    done = end;
    i = end - 1;
  }
  return done === 0 ? text : out + text.slice(done);
}

// Keys (lower case, letters and digits only) whose values are personal or secret wherever they
// appear in a log entry: path-based redaction of our own, since pino's `redact` (fast-redact)
// compiles code with `new Function`, which Workers forbid.
const PERSONAL_KEYS = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'customername',
  'username',
  'avatar',
  'customeravatar',
  'phone',
  'address',
  'street',
  'zip',
  'postalcode',
]);
const SECRET_SUFFIXES = ['secret', 'token', 'password', 'apikey', 'authorization', 'cookie', 'signature', 'hmacsha256'];

function normalizedKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length && i < 64; i++) {
    const c = key.charCodeAt(i) | (key.charCodeAt(i) >= 65 && key.charCodeAt(i) <= 90 ? 32 : 0);
    if (isAlnum(c)) out += String.fromCharCode(c);
  }
  return out;
}

type KeyKind = 'secret' | 'email' | 'personal' | 'plain';
// The same few keys come back on every line: classified once (bounded, payload keys vary).
const kinds = new Map<string, KeyKind>();

function kindOf(key: string): KeyKind {
  let kind = kinds.get(key);
  if (kind) return kind;
  const k = normalizedKey(key);
  kind = SECRET_SUFFIXES.some((suffix) => k.endsWith(suffix)) ? 'secret' : k.endsWith('email') ? 'email' : PERSONAL_KEYS.has(k) ? 'personal' : 'plain';
  if (kinds.size >= 1_000) kinds.clear();
  kinds.set(key, kind);
  return kind;
}

/** The masked value of a sensitive key, or null when the key is not sensitive. */
function keyMask(key: string, value: unknown): string | null {
  switch (kindOf(key)) {
    case 'secret':
      return '***';
    case 'email':
      return typeof value === 'string' ? capped(maskEmails(value)) : '***';
    case 'personal':
      return typeof value === 'string' && value ? `${value[0]}***` : '***';
    default:
      return null;
  }
}

/** A text as a log line may hold it: configured secret values masked, then patterns, then the length cap. */
export function cleanText(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) if (out.includes(needle)) out = out.replaceAll(needle, '***');
  return capped(redact(out));
}

function cleanValue(value: unknown, needles: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return cleanText(value, needles);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return String(value);
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (value instanceof Error) return cleanText(value.message, needles);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ENTRIES).map((item) => cleanValue(item, needles, depth + 1));
    return value.length > MAX_ENTRIES ? [...items, `…[${value.length - MAX_ENTRIES} more items]`] : items;
  }
  return cleanFields(value as Record<string, unknown>, needles, depth + 1);
}

/** An entry's fields as a log line may hold them: sensitive keys masked, nested values cleaned, sizes bounded. */
export function cleanFields(fields: Record<string, unknown>, needles: readonly string[], depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (++count > MAX_ENTRIES) {
      out['…'] = 'more fields cut';
      break;
    }
    const value = fields[key];
    out[key] = keyMask(key, value) ?? cleanValue(value, needles, depth);
  }
  return out;
}
