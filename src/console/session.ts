import { hexToBytes, utf8, verifyHmac } from '../handlers/crypto.js';

/**
 * Stateless console sessions: the cookie is `<expiry>.<nonce>.<mac>`, signed with a key derived
 * from CONSOLE_TOKEN, so sessions survive a restart, work across Worker isolates, and all end when
 * the token is changed. The CSRF token is a MAC of the session's nonce (bound to that session).
 */
export interface SessionKeys {
  key: CryptoKey;
  /** MAC of the configured token, compared in constant time with the MAC of what is typed. */
  tokenMac: Uint8Array<ArrayBuffer>;
}

export interface Session {
  nonce: string;
  expiresAt: number;
}

/** How long a sign-in lasts. */
export const SESSION_MS = 8 * 60 * 60 * 1000;

const toHex = (bytes: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

async function mac(keys: SessionKeys, purpose: string, value: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', keys.key, utf8(`${purpose}\0${value}`)));
}

async function macMatches(keys: SessionKeys, purpose: string, value: string, hex: string): Promise<boolean> {
  const bytes = hexToBytes(hex);
  return bytes !== null && bytes.length === 32 && verifyHmac(keys.key, bytes, utf8(`${purpose}\0${value}`));
}

/** Derives the signing key once per process (or isolate). */
export async function sessionKeys(token: string): Promise<SessionKeys> {
  // A separate key rather than the token itself: nothing signed with it reveals the token.
  const material = await crypto.subtle.digest('SHA-256', utf8(`dub-bridge console v1\0${token}`));
  const key = await crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const tokenMac = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(`token\0${token}`)));
  return { key, tokenMac };
}

/** Whether the typed token is CONSOLE_TOKEN, in constant time (both sides are MACed, then verified). */
export function tokenMatches(keys: SessionKeys, typed: string): Promise<boolean> {
  return verifyHmac(keys.key, keys.tokenMac, utf8(`token\0${typed.trim()}`));
}

/** A new session cookie value, valid for SESSION_MS from `now`. */
export async function newSession(keys: SessionKeys, now: number): Promise<string> {
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const body = `${now + SESSION_MS}.${nonce}`;
  return `${body}.${await mac(keys, 'session', body)}`;
}

/** The session a cookie value carries, or null when it is malformed, forged or expired. */
export async function readSession(keys: SessionKeys, value: string | undefined, now: number): Promise<Session | null> {
  const match = /^(\d{1,15})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(value ?? '');
  if (!match) return null;
  const [, expiry, nonce, signature] = match as unknown as [string, string, string, string];
  if (!(await macMatches(keys, 'session', `${expiry}.${nonce}`, signature))) return null;
  const expiresAt = Number(expiry);
  return expiresAt > now ? { nonce, expiresAt } : null;
}

/** The CSRF token every state-changing form of this session carries. */
export function csrfToken(keys: SessionKeys, session: Session): Promise<string> {
  return mac(keys, 'csrf', session.nonce);
}

/** Whether a submitted CSRF token belongs to this session. */
export function csrfMatches(keys: SessionKeys, session: Session, submitted: unknown): Promise<boolean> {
  return typeof submitted === 'string' ? macMatches(keys, 'csrf', session.nonce, submitted) : Promise.resolve(false);
}
