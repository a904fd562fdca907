import * as z from 'zod';

/** Stores whose events never reach Dub unless `REVENUECAT_IGNORE_STORES` says otherwise. */
export const DEFAULT_IGNORED_STORES: readonly string[] = Object.freeze(['PROMOTIONAL', 'TEST_STORE']);

const storeList = (text: string): string[] =>
  text
    .split(',')
    .map((store) => store.trim().toUpperCase())
    .filter((store) => store !== '');

/**
 * RevenueCat's extra settings. `REVENUECAT_IGNORE_STORES`: comma-separated `store` values whose
 * events are ignored (default `PROMOTIONAL,TEST_STORE`: granted or test purchases, no money). Add
 * `STRIPE`/`PADDLE` when those processors are bridged directly, or one payment becomes two sales.
 * Set it empty to ignore no store.
 */
export const revenuecatSettings = z.object({
  REVENUECAT_IGNORE_STORES: z
    .string()
    .regex(/^[A-Za-z_,\s]*$/, 'expected store names separated by commas, e.g. PROMOTIONAL,TEST_STORE,STRIPE')
    .optional()
    .transform((value) => (value === undefined ? [...DEFAULT_IGNORED_STORES] : storeList(value))),
});

/** The ignored stores from a mapper's `ctx.settings` (the parsed object above), else the default. */
export function ignoredStores(settings: Record<string, unknown> | undefined): ReadonlySet<string> {
  const value = settings?.REVENUECAT_IGNORE_STORES;
  if (Array.isArray(value)) return new Set(value.filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase()));
  if (typeof value === 'string') return new Set(storeList(value));
  return new Set(DEFAULT_IGNORED_STORES);
}
