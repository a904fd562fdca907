import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** The decoded, verified transaction (`data.transactionInfo`) fields the mappers read. */
export const appleTransaction = z.object({
  transactionId: z.string().min(1),
  originalTransactionId: z.string().min(1),
  productId: z.string().nullish(),
  /** `Auto-Renewable Subscription`, `Non-Renewing Subscription`, `Consumable`, `Non-Consumable`. */
  type: z.string().nullish(),
  /** Milliunits of `currency` (10990 = 10.99); absent on transactions older than 2023. */
  price: z.number().int().nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code')
    .nullish(),
  /** The UUID the app set at purchase (`Product.PurchaseOption.appAccountToken`). */
  appAccountToken: z.string().min(1).nullish(),
  /** `PURCHASED` or `FAMILY_SHARED`. */
  inAppOwnershipType: z.string().nullish(),
  storefront: z.string().nullish(),
  /** `REFUND_FULL`, `REFUND_PRORATED`, `FAMILY_REVOKE`. */
  revocationType: z.string().nullish(),
  /** Milli-percent of the transaction refunded (50000 = 50 %). */
  revocationPercentage: z.number().int().min(0).max(100000).nullish(),
  revocationReason: z.number().int().nullish(),
});
export type AppleTransaction = z.infer<typeof appleTransaction>;

/** The decoded notification the verifier hands on (`data.transactionInfo` already verified). */
export const appleEnvelope = z.object({
  notificationType: z.string().min(1),
  subtype: z.string().min(1).nullish(),
  notificationUUID: z.string().min(1),
  data: z
    .object({
      bundleId: z.string().nullish(),
      appAppleId: z.number().int().nullish(),
      /** `Production` or `Sandbox`. */
      environment: z.string().nullish(),
      // Checked with `appleTransaction` for the types that read it.
      transactionInfo: z.unknown().optional(),
    })
    .nullish(),
});

export type AppleNotification = Omit<z.infer<typeof appleEnvelope>, 'data'> & {
  data?: { bundleId?: string | null; appAppleId?: number | null; environment?: string | null; transactionInfo?: unknown } | null;
};

/** One handled notification type: a pure mapping of the notification and its transaction. */
export type AppleMapper = (event: AppleNotification, transaction: AppleTransaction, ctx: MapContext) => MapResult;

/** `SUBSCRIBED:INITIAL_BUY`, or the bare type when there is no subtype (what the inbox shows). */
export function notificationLabel(event: Pick<AppleNotification, 'notificationType' | 'subtype'>): string {
  return event.subtype ? `${event.notificationType}:${event.subtype}` : event.notificationType;
}

/** Sandbox (and Xcode/LocalTesting) notifications are test events; Production ones are live. */
export function isTestEnvironment(event: AppleNotification): boolean {
  const environment = event.data?.environment;
  return typeof environment === 'string' && environment !== 'Production';
}

/** A short message naming each bad field by its path, e.g. `data.transactionInfo.price`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(notification)'}: ${issue.message}`)
    .join('; ');
}
