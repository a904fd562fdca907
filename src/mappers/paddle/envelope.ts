import * as z from 'zod';
import type { MapContext, MapResult } from '../types.js';

/** The Paddle notification envelope every event shares; `data` is checked per event type. */
export const paddleEnvelope = z.object({
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  occurred_at: z.string().nullish(),
  notification_id: z.string().nullish(),
  data: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
});

/** A parsed notification; `data` holds only the fields its type's schema reads (any for unknown types). */
export type PaddleEvent = {
  event_id: string;
  event_type: string;
  occurred_at?: string | null | undefined;
  notification_id?: string | null | undefined;
  data: any /* validated per type */;
};

/** `parse` result: the event, or the bad field paths. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

/** One handled event type: the schema of the fields its mapper reads, and the pure mapping. */
export interface PaddleMapper<T> {
  schema: z.ZodType<T>;
  map(event: PaddleEvent, data: T, ctx: MapContext): MapResult;
}

/** Declares one event type's mapper with its schema (the map callback is typed from it). */
export function paddleMapper<T>(schema: z.ZodType<T>, map: PaddleMapper<T>['map']): PaddleMapper<T> {
  return { schema, map };
}

/** Paddle money: a string of the currency's lowest denomination (`"1000"` = 10.00 USD, `"100"` = 100 JPY). */
export const paddleMoney = z.string().regex(/^-?\d{1,20}$/, 'expected an integer amount as a string (lowest denomination)');

/** ISO 4217 code as Paddle sends it (uppercase); mappers lowercase it for Dub. */
export const paddleCurrency = z.string().regex(/^[A-Za-z]{3}$/, 'expected a three-letter currency code');

/** `custom_data` is free-form JSON set by the merchant; only string/number values are read. */
export const paddleCustomData = z.record(z.string(), z.unknown()).nullish();

/** A short message naming each bad field by its path in the event, e.g. `data.details.totals.tax`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(event)'}: ${issue.message}`)
    .join('; ');
}
