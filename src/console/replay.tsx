import type { Context } from 'hono';
import { maskPersonalData } from '../cli/mask.js';
import { redact } from '../logger.js';
import type { CommandRow } from '../ops/queries.js';
import { reasonKey } from './dead-letters.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { BASE, Csrf, Layout, State } from './layout.js';
import { render } from './respond.js';

/** At most this many commands in one replay (a larger reason group is replayed in turns). */
const MAX_REPLAY = 1000;

const idList = (values: unknown[]) =>
  [...new Set(values.flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map(Number))]
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, MAX_REPLAY);

/** One line saying what a stored command sends to Dub (masked). */
export function whatIsSent(row: CommandRow): string {
  let command: any;
  try {
    command = maskPersonalData(JSON.parse(row.command));
  } catch {
    return 'a stored command that is no longer valid JSON (it will fail again)';
  }
  const b = command.body ?? {};
  switch (row.kind) {
    case 'sale':
      return `sale of ${b.amount} ${b.currency} (minor units), invoice ${b.invoiceId}, customer ${b.customerExternalId}${b.clickId ? `, click ${b.clickId}` : ''}`;
    case 'lead':
      return `lead "${b.eventName}", click ${b.clickId}, customer ${b.customerExternalId}`;
    case 'customer':
      return `customer update of ${command.externalId}`;
    case 'refund':
      return `refund ${b.refundId}${b.fullyRefunded ? ' (full)' : ''} of the sale ${b.refs?.invoiceId ?? b.refs?.paymentIntent ?? b.refs?.chargeId ?? ''}`;
    default:
      return row.kind;
  }
}

async function selectedRows(form: Record<string, unknown>, deps: ConsoleDeps): Promise<CommandRow[]> {
  const all = (key: string) => [form[key]].flat();
  if (typeof form.one === 'string') return deps.queries.listCommands({ ids: idList([form.one]), limit: 1 });
  if (form.scope === 'reason') {
    const groups = await deps.queries.deadLetterReasons();
    const keys = await Promise.all(groups.map((g) => reasonKey(g.reason)));
    const group = groups[keys.indexOf(String(form.reason))];
    return group ? deps.queries.listCommands({ deadReason: group.reason, limit: MAX_REPLAY }) : [];
  }
  const ids = idList(all('ids'));
  return deps.queries.listCommands({ ids, limit: ids.length || 1 });
}

/** `POST /console/replay/confirm`: what a replay will send, and the button that sends it. */
export async function confirmPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const form = await c.req.parseBody({ all: true });
  const fromDead = form.from === 'dead';
  const remap = form.remap === '1';
  const rows = (await selectedRows(form, deps)).filter((row) => row.state !== 'pending' && (!fromDead || row.state === 'dead'));
  const csrf = c.get('csrf');
  return render(
    c,
    <Layout title="Confirm replay" csrf={csrf} active={fromDead ? 'dead' : undefined}>
      <h1>Replay {rows.length === 1 ? 'one command' : `${rows.length} commands`}?</h1>
      {rows.length === 0 ? (
        <p role="status">
          Nothing to replay: select at least one finished command (pending ones are already on their way). <a href={`${BASE}/dead`}>Back to dead letters</a>
        </p>
      ) : (
        <>
          <p>
            {remap
              ? "Each command is first rebuilt from its stored webhook with today's mappers, so what is sent may differ from this list; an event whose payload is gone is left as it is."
              : 'These commands are sent to Dub again exactly as stored:'}
          </p>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Command</th>
                  <th scope="col">Now</th>
                  <th scope="col">What will be sent</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/events/${row.inboxId}`}>#{row.id}</a> {row.source} {row.eventType}
                    </td>
                    <td>
                      <State state={row.state} />
                    </td>
                    <td>{whatIsSent(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="note">Dub keeps one sale per invoice id and one lead per customer and event: a replay never counts one twice.</p>
          <form method="post" action={`${BASE}/replay`}>
            <Csrf token={csrf} />
            <input type="hidden" name="ids" value={rows.map((r) => r.id).join(',')} />
            {remap && <input type="hidden" name="remap" value="1" />}
            {fromDead && <input type="hidden" name="from" value="dead" />}
            <div class="row">
              <button type="submit">{`Send ${rows.length} to Dub`}</button>
              <a href={fromDead ? `${BASE}/dead` : BASE}>Cancel</a>
            </div>
          </form>
        </>
      )}
    </Layout>,
  );
}

/** `POST /console/replay`: requeues the confirmed commands through the replay module and reports. */
export async function replayAction(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const form = await c.req.parseBody({ all: true });
  const ids = idList([form.ids].flat());
  const report = await deps.replay({ by: 'ids', ids }, { remap: form.remap === '1', ...(form.from === 'dead' ? { states: ['dead'] } : {}) }, c);
  const rows = await deps.queries.listCommands({ ids, limit: ids.length || 1 });
  return render(
    c,
    <Layout title="Replay" csrf={c.get('csrf')}>
      <h1>Replay started</h1>
      <p role="status">
        {report.requeued} of {report.matched} {report.matched === 1 ? 'command is' : 'commands are'} queued again
        {report.remapped ? ` (${report.remapped} re-mapped)` : ''}
        {report.added ? `, ${report.added} new` : ''}; the bridge sends them now. Open a trace to follow each one.
      </p>
      {report.problems.length > 0 && (
        <ul class="alert">
          {report.problems.map((problem) => (
            <li>{redact(problem)}</li>
          ))}
        </ul>
      )}
      <ul>
        {rows.map((row) => (
          <li>
            <a href={`${BASE}/events/${row.inboxId}`}>
              Trace of #{row.id} ({row.kind})
            </a>{' '}
            <State state={row.state} />
          </li>
        ))}
      </ul>
    </Layout>,
  );
}
