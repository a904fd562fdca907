import { maskJson } from '../cli/mask.js';
import type { OutboxRow } from '../db/schema.js';
import { redact } from '../logger.js';
import { commandStateText, utcTime } from './format.js';
import { BASE, Csrf, State } from './layout.js';
import { commandFields } from './reveal.js';

/** The Dub call each command kind makes. */
const dubCall: Record<string, string> = {
  lead: 'POST /track/lead',
  sale: 'POST /track/sale',
  customer: 'PATCH /customers/ext_… (a lead instead when Dub does not know the customer)',
  refund: 'GET /commissions?invoiceId=…, then PATCH /commissions/… of the sale',
};

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { stored: redact(text) };
  }
}

function Attempts({ row }: { row: OutboxRow }) {
  const response = maskJson(row.response);
  return (
    <>
      <dt>Attempts</dt>
      <dd>{row.attempts}</dd>
      {row.state === 'pending' && (
        <>
          <dt>Next attempt</dt>
          <dd>{utcTime(row.nextAttemptAt)}</dd>
        </>
      )}
      {row.deliveredAt !== null && (
        <>
          <dt>{row.state === 'dead' ? 'Given up at' : 'Finished at'}</dt>
          <dd>{utcTime(row.deliveredAt)}</dd>
        </>
      )}
      <dt>Last error from Dub</dt>
      <dd>{row.lastError ? <code>{redact(row.lastError)}</code> : 'none'}</dd>
      {response !== null && (
        <>
          <dt>Dub answered</dt>
          <dd>
            <code>{JSON.stringify(response)}</code>
          </dd>
        </>
      )}
    </>
  );
}

/**
 * One Dub command of an event: what it sends (masked; one field may be revealed), its delivery
 * so far, and a replay button once it is finished.
 */
export function CommandCard({ row, csrf, reveal }: { row: OutboxRow; csrf: string; reveal?: string }) {
  const fields = commandFields(parse(row.command), reveal);
  return (
    <section class="card" aria-labelledby={`cmd-${row.id}`}>
      <h3 id={`cmd-${row.id}`}>
        #{row.id} {row.kind}: <State state={row.state} />
      </h3>
      <p>{commandStateText[row.state] ?? row.state}.</p>
      <dl>
        <dt>Dub call</dt>
        <dd>{dubCall[row.kind] ?? row.kind}</dd>
        <dt>Idempotency key</dt>
        <dd>
          <code>{redact(row.idempotencyKey)}</code>
        </dd>
        <dt>Dub key</dt>
        <dd>{row.tenant ? `tenant ${row.tenant}` : 'DUB_API_KEY'}</dd>
        <dt>Queued at</dt>
        <dd>{utcTime(row.createdAt)}</dd>
        <Attempts row={row} />
      </dl>
      <form method="post" action={`${BASE}/events/${row.inboxId}/reveal`}>
        <Csrf token={csrf} />
        <div class="scroll">
          <table>
            <caption class="skip">{`Fields of command #${row.id}`}</caption>
            <thead>
              <tr>
                <th scope="col">Field sent</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((f) => (
                <tr>
                  <th scope="row">
                    <code>{f.path}</code>
                  </th>
                  <td>
                    <code>{f.shown}</code>{' '}
                    {f.maskable && !f.revealed && (
                      <button class="quiet" type="submit" name="field" value={`${row.id}:${f.path}`} aria-label={`Reveal ${f.path} of command ${row.id}`}>
                        Reveal
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </form>
      {row.state !== 'pending' && (
        <form method="post" action={`${BASE}/replay/confirm`}>
          <Csrf token={csrf} />
          <p>
            <button type="submit" name="one" value={String(row.id)}>
              Replay #{row.id}…
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
