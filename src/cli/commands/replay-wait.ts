import type { OutboxState } from '../../db/schema.js';
import type { OutboxFilter } from '../../db/store.js';
import type { CliContext } from '../context.js';
import type { CliDatabase } from '../database.js';

/** The states a command ends in (everything but `pending`). */
export const FINISHED: OutboxState[] = ['dead', 'delivered', 'not_attributed', 'skipped', 'dry_run'];

/** How the followed commands ended, and whether waiting gave up first. */
export type Waited = { states: Partial<Record<OutboxState, number>>; timedOut: boolean };

/** `replay --wait`: polls the rows until none is pending, showing `n/total` on a terminal. */
export async function waitForDelivery(database: CliDatabase, tracked: OutboxFilter, timeoutMs: number, ctx: CliContext): Promise<Waited> {
  const deadline = ctx.now() + timeoutMs;
  for (;;) {
    const rows = await database.store.listOutbox({ ...tracked, states: ['pending', ...FINISHED] });
    const done = rows.filter((r) => r.state !== 'pending').length;
    ctx.out.progress(`${done}/${rows.length} sent`);
    if (done === rows.length || ctx.now() >= deadline) {
      ctx.out.endProgress();
      const states: Partial<Record<OutboxState, number>> = {};
      for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
      return { states, timedOut: done < rows.length };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `finished: delivered 2 · dead 1` (and why waiting stopped). */
export function describeWaited(waited: Waited): string {
  const states = Object.entries(waited.states)
    .map(([state, n]) => `${state} ${n}`)
    .join(' · ');
  return `finished: ${states}${waited.timedOut ? ' (stopped waiting; is the bridge running?)' : ''}`;
}
