/** Display helpers for the console's pages (UTC everywhere, like the CLI). */

/** `2025-03-06 11:20:00 UTC`; `-` when absent. */
export function utcTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2h 5m`, `40s`: the two largest units of a duration. */
export function age(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n}${unit}`);
  }
  return parts.slice(0, 2).join(' ');
}

/** What each command state means, in words an operator can act on. */
export const commandStateText: Record<string, string> = {
  pending: 'waiting to be sent, or retrying after a failure Dub may recover from',
  delivered: 'Dub accepted it',
  not_attributed:
    'not attributed: Dub recorded the sale but credited no partner, because it had no click or lead for this customer (no Dub click id reached the bridge, or the lead was never tracked)',
  skipped: 'not sent: dry run (no DUB_API_KEY), or nothing to update in Dub',
  dead: 'dead letter: Dub refused it or retries ran out; fix the cause, then replay it',
};

/** What each event state means. */
export const eventStateText: Record<string, string> = {
  mapped: 'turned into Dub commands',
  ignored: 'nothing to send to Dub',
  compliance: 'a compliance request (customer or shop redaction, data request), carried out',
  redacted: 'payload removed on a redaction request',
};

/** `YYYY-MM-DD` (a date input, read as UTC) -> ms since epoch; undefined when empty or invalid. */
export function parseDay(value: unknown, plusDays = 0): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms + plusDays * 86_400_000;
}

/** `1 event`, `3 events`. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
