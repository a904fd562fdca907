import type { Context } from 'hono';
import { sha256Hex, utf8 } from '../handlers/crypto.js';
import { redact } from '../logger.js';
import type { CommandRow, ReasonGroup } from '../ops/queries.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { count, utcTime } from './format.js';
import { BASE, Csrf, Layout } from './layout.js';
import { render } from './respond.js';

const GROUPS_SHOWN = 20;
const LETTERS_SHOWN = 50;

/** Names a reason in a form without putting Dub's message (which may quote a customer) in the page twice. */
export const reasonKey = (reason: string | null) => sha256Hex(utf8(reason === null ? 'none' : `reason:${reason}`));

function Group({ group, letters, csrf, index }: { group: ReasonGroup & { key: string }; letters: CommandRow[]; csrf: string; index: number }) {
  const heading = `group-${index}`;
  return (
    <section class="card" aria-labelledby={heading}>
      <h2 id={heading}>
        <code>{group.reason === null ? 'no error recorded' : redact(group.reason)}</code>
      </h2>
      <p>
        {count(group.count, 'dead letter')} ({group.kinds}); newest {utcTime(group.newestAt)}.
      </p>
      <form method="post" action={`${BASE}/replay/confirm`}>
        <Csrf token={csrf} />
        <input type="hidden" name="from" value="dead" />
        <input type="hidden" name="reason" value={group.key} />
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Select</th>
                <th scope="col">Command</th>
                <th scope="col">Event</th>
                <th scope="col" class="n">
                  Attempts
                </th>
                <th scope="col">Dead since</th>
                <th scope="col">Replay</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((row) => (
                <tr>
                  <td>
                    <input type="checkbox" id={`pick-${row.id}`} name="ids" value={String(row.id)} />
                    <label class="inline" for={`pick-${row.id}`}>
                      #{row.id}
                    </label>
                  </td>
                  <td>
                    {row.source} {row.kind}
                    {row.tenant ? ` · ${row.tenant}` : ''}
                  </td>
                  <td>
                    <a href={`${BASE}/events/${row.inboxId}`}>{row.eventType}</a>
                  </td>
                  <td class="n">{row.attempts}</td>
                  <td>{utcTime(row.deliveredAt)}</td>
                  <td>
                    <button class="quiet" type="submit" name="one" value={String(row.id)} aria-label={`Replay #${row.id}`}>
                      Replay…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {group.count > letters.length && <p>{`The newest ${letters.length} are listed; "all" replays every one of the ${group.count}.`}</p>}
        <p>
          <input type="checkbox" id={`remap-${index}`} name="remap" value="1" />{' '}
          <label class="inline" for={`remap-${index}`}>
            Re-map from the stored webhook with today's mappers first
          </label>
        </p>
        <div class="row">
          <button type="submit" name="scope" value="selected">
            Replay selected…
          </button>
          <button type="submit" name="scope" value="reason">
            {`Replay all ${group.count} with this reason…`}
          </button>
        </div>
      </form>
    </section>
  );
}

/** `GET /console/dead`: dead letters grouped by Dub's reason, each with replay (one, selected, all). */
export async function deadLettersPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const groups = (await deps.queries.deadLetterReasons()).slice(0, GROUPS_SHOWN);
  const withLetters = await Promise.all(
    groups.map(async (group) => ({
      group: { ...group, key: await reasonKey(group.reason) },
      letters: await deps.queries.listCommands({ deadReason: group.reason, limit: LETTERS_SHOWN }),
    })),
  );
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  return render(
    c,
    <Layout title="Dead letters" csrf={c.get('csrf')} active="dead">
      <h1>Dead letters ({total})</h1>
      <p>
        Commands the bridge gave up on: Dub refused them (a 4xx other than a refused key or a rate limit), or retries ran out. Fix the cause, then replay; a
        confirmation page says what will be sent first.
      </p>
      {total === 0 && <p role="status">None. Every command was delivered or is on its way.</p>}
      {withLetters.map(({ group, letters }, index) => (
        <Group group={group} letters={letters} csrf={c.get('csrf')} index={index} />
      ))}
    </Layout>,
  );
}
