import type { Context } from 'hono';
import { maskPersonalData } from '../cli/mask.js';
import type { EventSummary } from '../ops/queries.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { count, parseDay, utcTime } from './format.js';
import { BASE, Csrf, Layout, State } from './layout.js';
import { render } from './respond.js';

const LIMIT = 50;

interface Criteria {
  term: string;
  from: string;
  to: string;
  state: string;
}

function Form({ criteria, states, csrf }: { criteria: Criteria; states: readonly string[]; csrf: string }) {
  // An email is personal: matched, but not written back into the page.
  const echo = criteria.term.includes('@') ? '' : criteria.term;
  return (
    <form method="post" action={`${BASE}/search`}>
      <Csrf token={csrf} />
      <label for="term">Order, invoice or payment id, provider event id, customer id or email, click id</label>
      <input id="term" name="term" type="search" value={echo} autocomplete="off" spellcheck={false} />
      <div class="row">
        <div>
          <label for="from">Received from (UTC)</label>
          <input id="from" name="from" type="date" value={criteria.from} />
        </div>
        <div>
          <label for="to">to (inclusive)</label>
          <input id="to" name="to" type="date" value={criteria.to} />
        </div>
        <div>
          <label for="state">State</label>
          <select id="state" name="state">
            <option value="">any</option>
            {states.map((s) => (
              <option value={s} selected={criteria.state === s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Search</button>
        </div>
      </div>
    </form>
  );
}

function Results({ rows }: { rows: EventSummary[] }) {
  if (rows.length === 0) return <p role="status">No event matches.</p>;
  return (
    <div class="scroll">
      <p role="status">
        {rows.length === LIMIT ? `The newest ${LIMIT} matches; narrow the dates to see older ones.` : `${count(rows.length, 'matching event')}.`}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Received</th>
            <th scope="col">Provider · type</th>
            <th scope="col">State</th>
            <th scope="col">Dub commands</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td>
                <a href={`${BASE}/events/${row.id}`}>Trace #{row.id}</a>
                <br />
                <code>{row.eventKey}</code>
              </td>
              <td>{utcTime(row.receivedAt)}</td>
              <td>
                {row.source} · {row.eventType}
              </td>
              <td>
                <State state={row.state} />
                {row.reason && <div>{row.reason}</div>}
              </td>
              <td>
                {row.commands.length === 0
                  ? 'none'
                  : row.commands.map((cmd) => (
                      <div>
                        #{cmd.id} {cmd.kind} <State state={cmd.state} />
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * `GET|POST /console/search`. Terms are posted, never put in a URL (they may be an email), and
 * matched against stored values; what is shown is masked as in the CLI.
 */
export async function searchPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const posted = c.req.method === 'POST';
  const form = posted ? await c.req.parseBody() : {};
  const text = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim().slice(0, 300) : '');
  const criteria: Criteria = { term: text('term'), from: text('from'), to: text('to'), state: text('state') };
  const states = [...deps.queries.states.event, ...deps.queries.states.command];
  const rows = posted
    ? (
        await deps.queries.listEvents({
          term: criteria.term || undefined,
          from: parseDay(criteria.from),
          to: parseDay(criteria.to, 1),
          state: states.includes(criteria.state) ? criteria.state : undefined,
          limit: LIMIT,
        })
      ).map(maskPersonalData)
    : null;
  return render(
    c,
    <Layout title="Search" csrf={c.get('csrf')} active="search">
      <h1>Find an event</h1>
      <p>
        Every field is optional. Values are matched exactly against what the bridge stored (webhook payloads only while they are retained); emails match in any
        case.
      </p>
      <Form criteria={criteria} states={states} csrf={c.get('csrf')} />
      {rows && (
        <>
          <h2>Results</h2>
          <Results rows={rows} />
        </>
      )}
    </Layout>,
  );
}
