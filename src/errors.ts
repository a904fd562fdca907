import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The closed set of error codes the HTTP API answers with, each mapped to one status. */
export const errorStatus = {
  payload_too_large: 413,
  /** The body did not arrive within the per-request deadline (a slow or stalled sender). */
  request_timeout: 408,
  /** Too many bodies are being read at once; the provider retries. */
  server_busy: 503,
  missing_signature: 400,
  invalid_signature: 401,
  malformed_json: 400,
  invalid_payload: 400,
  missing_header: 400,
  source_not_configured: 503,
  /**
   * TENANTS_FILE names no tenant for this shop, Stripe account or path (and the env settings do
   * not cover it). 404, like a route that does not exist: the fix is in the tenants file, while
   * 401/403 would send the operator hunting for a bad secret.
   */
  unknown_tenant: 404,
  unauthorized: 401,
  not_found: 404,
  storage_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

/** An error the HTTP layer turns into `{ error: { code, message, requestId } }` with its status. */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code];
  }
}
