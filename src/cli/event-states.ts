import type { InboxRow, OutboxState } from '../db/schema.js';

/** Event (inbox) states, spelled out here so option parsing needs no database code loaded. */
export const inboxStates = ['received', 'mapped', 'ignored', 'unmapped', 'compliance', 'redacted'] as const satisfies readonly InboxRow['state'][];

/** What `events list --state` accepts: an event state, or a command state. */
export const eventStates = [
  ...inboxStates,
  ...(['pending', 'delivered', 'not_attributed', 'skipped', 'dry_run', 'dead'] as const satisfies readonly OutboxState[]),
] as const;
