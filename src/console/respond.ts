import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { css } from './style.js';

/** Sends a rendered page with its doctype. */
export function render(c: Context, page: unknown, status: ContentfulStatusCode = 200) {
  return c.html(html`<!doctype html>${page}`, status);
}

async function styleHash(): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * Headers on every console answer: no scripts at all, only the console's own stylesheet (by
 * hash), forms posting only to the console, no framing, nothing cached or sent as a referrer.
 */
export function securityHeaders(): MiddlewareHandler {
  let policy: Promise<string> | undefined;
  return async (c, next) => {
    policy ??= styleHash().then(
      (hash) => `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    await next();
    c.header('Content-Security-Policy', await policy);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
  };
}
