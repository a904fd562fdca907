import type { Context } from 'hono';
import { maskJson } from '../cli/mask.js';
import { redact } from '../logger.js';
import type { TracedEvent } from '../ops/queries.js';
import { CommandCard } from './command-card.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { eventStateText, utcTime } from './format.js';
import { Layout, State } from './layout.js';
import { render } from './respond.js';
import { parseReveal } from './reveal.js';

/** Which rule decided what became of the event, in words. */
function decision(event: TracedEvent, commands: number): string {
  const why = event.reason ? redact(event.reason) : '';
  switch (event.state) {
    case 'mapped':
      return `Mapped: the ${event.source} mapping for ${event.eventType} produced ${commands} Dub command${commands === 1 ? '' : 's'}.`;
    case 'ignored':
      return `Ignored by the ${event.source} mapping for ${event.eventType}: ${why || 'no reason recorded'}. Nothing was sent to Dub.`;
    default:
      return `${event.state}${eventStateText[event.state] ? ` (${eventStateText[event.state]})` : ''}${why ? `: ${why}` : ''}.`;
  }
}

/**
 * `GET /console/events/:id`: one provider event from receipt to Dub. `POST …/reveal` shows the
 * same page with one personal field of one command unmasked, at the operator's explicit request.
 */
export async function tracePage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const id = Number(c.req.param('id'));
  const trace = Number.isSafeInteger(id) ? await deps.queries.eventTrace(id) : undefined;
  if (!trace) return c.notFound();
  const reveal = c.req.method === 'POST' ? parseReveal((await c.req.parseBody()).field) : undefined;
  const { event, commands } = trace;
  const csrf = c.get('csrf');
  const payload = maskJson(event.payload);
  return render(
    c,
    <Layout title={`Event #${event.id}`} csrf={csrf}>
      <h1>
        Event #{event.id}: {event.source} {event.eventType}
      </h1>
      <dl>
        <dt>Provider event id</dt>
        <dd>
          <code>{redact(event.eventKey)}</code>
        </dd>
        <dt>Account</dt>
        <dd>{event.account ?? '-'}</dd>
        <dt>Received</dt>
        <dd>{utcTime(event.receivedAt)}, signature verified before it was recorded</dd>
        <dt>State</dt>
        <dd>
          <State state={event.state} />
        </dd>
        <dt>Decision</dt>
        <dd>{decision(event, commands.length)}</dd>
      </dl>
      {reveal && (
        <p class="alert" role="status">
          {`Showing ${reveal.path} of command #${reveal.outboxId} unmasked, on this page only.`}
        </p>
      )}
      <h2>Dub commands ({commands.length})</h2>
      {commands.length === 0 ? (
        <p>None: this event sent nothing to Dub.</p>
      ) : (
        <p>The bridge keeps each command's attempt count and Dub's last answer; each attempt's own time, status and Retry-After are not kept yet.</p>
      )}
      {commands.map((row) => (
        <CommandCard row={row} csrf={csrf} reveal={reveal?.outboxId === row.id ? reveal.path : undefined} />
      ))}
      <h2>Stored webhook</h2>
      {payload === null ? (
        <p>The raw payload is gone (pruned after the retention period, or redacted).</p>
      ) : (
        <details>
          <summary>Payload as received (personal data masked)</summary>
          <pre>{JSON.stringify(payload, null, 2)}</pre>
        </details>
      )}
    </Layout>,
  );
}
