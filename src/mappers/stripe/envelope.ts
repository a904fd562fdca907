import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** The parts of a Stripe webhook event every mapper relies on; `data.object` is checked per type. */
export const stripeEnvelope = z.object({
  id: z.string().startsWith('evt_'),
  type: z.string().min(1),
  livemode: z.boolean(),
  account: z.string().optional(),
  created: z.number().int(),
  // Only "is an object" here: each event type's schema reads its fields (a record check would
  // walk all ~80 fields of a session a second time).
  data: z.object({ object: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object') }),
});

export type StripeEvent = {
  id: string;
  type: string;
  livemode: boolean;
  account?: string | undefined;
  created: number;
  data: { object: any /* validated per type */ };
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

/**
 * One handled event type: the schema of the fields its mapper reads (other fields are left out of
 * the parsed value; the inbox keeps the raw body) and the pure mapping itself.
 */
export interface StripeMapper<T> {
  schema: z.ZodType<T>;
  map(event: StripeEvent, object: T, ctx: MapContext): MapResult;
}

export function stripeMapper<T>(schema: z.ZodType<T>, map: (event: StripeEvent, object: T, ctx: MapContext) => MapResult): StripeMapper<T> {
  return { schema, map };
}

/** Three-letter code; lowercased by the mappers because Dub's body schema insists on lowercase. */
export const stripeCurrency = z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code');

/** A short message naming each bad field by its path in the event, e.g. `data.object.amount_total`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = [...prefix, ...issue.path].map(String).join('.');
      return `${path || '(event)'}: ${issue.message}`;
    })
    .join('; ');
}
