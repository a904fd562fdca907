import { CliError } from './errors.js';
import { printable } from './output.js';

/**
 * A JSON REST client for one provider's API (bearer token), for `register` and
 * `unregister`. It owns the HTTP and the failure messages; each provider's `cli-api.ts` owns the paths.
 */
export interface ProviderApi {
  /** Sends one request; a 2xx answer's JSON (null for 204), anything else a CliError. */
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** The base URL calls go to (shown in messages and `--json`). */
  base: string;
}

export interface ProviderApiOptions {
  /** `Paddle`: names the provider in messages. */
  label: string;
  base: string;
  /** The bearer token (API key or access token). */
  token: string;
  /** Where the token came from, named when the provider refuses it: `PADDLE_API_KEY`. */
  variable: string;
  /** What a token needs, told when the provider refuses it (401/403). */
  authHint: string;
  /** JSON:API providers (Lemon Squeezy) want `application/vnd.api+json` both ways. */
  mediaType?: string;
  /** The provider's own words from an error body (its error format), or null. */
  describeError(body: unknown): string | null;
  fetch?: typeof fetch;
}

/** How long one call may take: provider APIs answer in well under a second. */
const TIMEOUT_MS = 20_000;

/** Builds the client; nothing is sent until the first request. */
export function createProviderApi(options: ProviderApiOptions): ProviderApi {
  const base = options.base.replace(/\/+$/, '');
  const mediaType = options.mediaType ?? 'application/json';
  const doFetch = options.fetch ?? fetch;
  return {
    base,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      // `path` may be a whole URL (pagination links); only this API's own are followed.
      const url = path.startsWith('http') ? path : `${base}${path}`;
      if (!url.startsWith(base)) throw new CliError(`${options.label} API pointed to ${printable(url)}, outside ${base}; refusing to follow it`);
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            accept: mediaType,
            authorization: `Bearer ${options.token}`,
            'user-agent': 'dub-bridge-cli',
            ...(body === undefined ? {} : { 'content-type': mediaType }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
        throw new CliError(`cannot reach the ${options.label} API at ${base}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
      }
      const text = await response.text();
      if (!response.ok) throw new CliError(failure(options, method, path, response.status, text));
      if (response.status === 204 || text.trim() === '') return null as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CliError(`${options.label} API answered ${response.status} with something that is not JSON (is ${base} the API's address?)`);
      }
    },
  };
}

/** One line: what the provider said, and for a refused token which variable to fix. */
function failure(options: ProviderApiOptions, method: string, path: string, status: number, text: string): string {
  let said: string | null = null;
  try {
    said = options.describeError(JSON.parse(text));
  } catch {
    said = null;
  }
  const words = said ? printable(said.slice(0, 300)) : '';
  if (status === 401 || status === 403) {
    return `${options.label} refused the token in ${options.variable} (${status}${words ? ` ${words}` : ''}); ${options.authHint}`;
  }
  const where = printable(path.replace(/^https?:\/\/[^/]+/, ''));
  return `${options.label} API answered ${method} ${where} with ${status}${words ? `: ${words}` : ''}`;
}

/** A bearer-token base URL: the variable's value if set, else the sandbox or live default. */
export function apiBase(env: Record<string, string | undefined>, variable: string, bases: { live: string; sandbox?: string }, sandbox?: boolean): string {
  const configured = env[variable]?.trim();
  if (configured) return configured;
  return sandbox && bases.sandbox ? bases.sandbox : bases.live;
}
