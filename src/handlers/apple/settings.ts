import * as z from 'zod';

/** Env values are strings; a blank one means unset (a number from a JSON tenants file is accepted). */
const normalise = (value: unknown) => {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
};

/**
 * The App Store's extra env variables (besides `APPLE_BUNDLE_ID`). Parsed once at start; the
 * verifier reads them from `deps.settings`.
 */
export const appleSettings = z.object({
  /**
   * The app's Apple ID (App Store Connect → App Information → Apple ID), digits; a comma list when
   * APPLE_BUNDLE_ID lists several apps. Required before Production notifications are accepted.
   */
  APPLE_APP_APPLE_ID: z.preprocess(
    normalise,
    z
      .string()
      .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, "expected the app's Apple ID (digits, e.g. 1234567890), comma-separated for several apps")
      .optional(),
  ),
  /** Trusted roots: comma-separated PEM/DER file paths or inline PEM; default Apple Root CA - G3. */
  APPLE_ROOT_CERTS: z.preprocess(normalise, z.string().optional()),
});
export type AppleSettings = z.infer<typeof appleSettings>;

/** The configured app Apple IDs as strings of digits (empty when unset). */
export function appAppleIdsOf(settings: Record<string, unknown>): string[] {
  const value = settings.APPLE_APP_APPLE_ID;
  return typeof value === 'string'
    ? value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '')
    : [];
}
