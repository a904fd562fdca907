import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** `checkout[custom][…]` values arrive as strings; only string/number values are read. */
export const lsCustomData = z.record(z.string(), z.unknown()).nullish();

/** The Lemon Squeezy webhook envelope (JSON:API); `data.attributes` is checked per event type. */
export const lemonSqueezyEnvelope = z.object({
  meta: z.object({
    event_name: z.string().min(1),
    test_mode: z.boolean().nullish(),
    webhook_id: z.string().nullish(),
    custom_data: lsCustomData,
  }),
  data: z.object({
    type: z.string().min(1),
    id: z.union([z.string().min(1), z.number().int()]).transform(String),
    attributes: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
  }),
});

/** A parsed webhook; `data.attributes` holds only the fields its type's schema reads (any for unknown types). */
export type LemonSqueezyEvent = z.infer<typeof lemonSqueezyEnvelope> & { data: { attributes: any /* validated per type */ } };

/** `parse` result: the event, or the bad field paths. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

/** One handled event type: the schema of the attributes its mapper reads, and the pure mapping. */
export interface LemonSqueezyMapper<T> {
  schema: z.ZodType<T>;
  map(event: LemonSqueezyEvent, attributes: T, ctx: MapContext): MapResult;
}

/** Declares one event type's mapper with its schema (the map callback is typed from it). */
export function lsMapper<T>(schema: z.ZodType<T>, map: LemonSqueezyMapper<T>['map']): LemonSqueezyMapper<T> {
  return { schema, map };
}

/** Integer amounts in the currency's smallest unit (`1199` = 11.99 USD). */
export const lsAmount = z.number().int().min(0);
/** ISO 4217 code as Lemon Squeezy sends it (uppercase); mappers lowercase it for Dub. */
export const lsCurrency = z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code');
/** Lemon Squeezy ids are numbers in attributes; kept as their decimal text. */
export const lsId = z.union([z.number().int(), z.string().min(1)]).transform(String);

/** A short message naming each bad field by its path, e.g. `data.attributes.total`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
}
