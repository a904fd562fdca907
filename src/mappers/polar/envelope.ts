import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** A verified Polar webhook: the body `{type, timestamp, data}` plus the `webhook-id` header (its only id). */
export interface PolarEvent {
  /** The `webhook-id` header: the inbox key, the same on every retry of this event. */
  webhookId: string;
  type: string;
  timestamp?: string | undefined;
  data: any; // validated per type by parsePolarEvent
}

/** The parts of the body every event has; `data` is checked per type. */
export const polarEnvelope = z.object({
  type: z.string().min(1),
  timestamp: z.string().optional(),
  data: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
});

/** One handled event type: the schema of the `data` fields its mapper reads, and the mapping. */
export interface PolarMapper<T> {
  schema: z.ZodType<T>;
  map(event: PolarEvent, data: T, ctx: MapContext): MapResult;
}

export function polarMapper<T>(schema: z.ZodType<T>, map: PolarMapper<T>['map']): PolarMapper<T> {
  return { schema, map };
}

/** Polar sends lowercase codes today; accepted in either case and lowercased by the mappers. */
export const polarCurrency = z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code');

/** Checkout `metadata`, copied onto orders: values are strings, numbers or booleans. */
export const polarMetadata = z.record(z.string(), z.unknown()).nullish();

/** A non-empty string metadata value (`dubClickId`, `dubCustomerExternalId`), else null. */
export function metadataString(metadata: Record<string, unknown> | null | undefined, key: string): string | null {
  const value = metadata?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** A short message naming each bad field by its path in the body, e.g. `data.net_amount`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
