import type { Context } from 'hono';
import type { HourlyDeliveries, StateCount } from '../ops/queries.js';
import { HourlyChart, last24Hours } from './chart.js';
import type { ConsoleDeps, ConsoleEnv } from './deps.js';
import { age, commandStateText, count } from './format.js';
import { BASE, Layout, State } from './layout.js';
import { render } from './respond.js';

const groupName = (source: string, tenant: string | null) => `${source} · ${tenant ?? 'default key'}`;

function groupsOf<T extends { source: string; tenant: string | null }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const name = groupName(row.source, row.tenant);
    groups.set(name, [...(groups.get(name) ?? []), row]);
  }
  return groups;
}

function Delivery({ deps, pause }: { deps: ConsoleDeps; pause: Awaited<ReturnType<ConsoleDeps['queries']['deliveryPause']>> }) {
  const status = deps.dispatcherStatus();
  if (deps.deliveryMode === 'dry_run') {
    return (
      <p class="note">
        <strong>Dry run.</strong> DUB_API_KEY is not set: commands are recorded and logged but not sent (state "skipped"). Once a key is set, send them with a
        replay.
      </p>
    );
  }
  if (status.paused || pause.paused) {
    const key = pause.tenant ? `the dubApiKey of tenant ${pause.tenant}` : 'DUB_API_KEY';
    return (
      <p class="alert" role="status">
        <strong>Paused.</strong> Dub refused the API key ({status.pausedReason ?? pause.reason}). Fix {key}; the bridge probes Dub again by itself and sends
        what waited, in order.
      </p>
    );
  }
  return (
    <p class="note" role="status">
      <strong class="good">Running.</strong> {count(status.inFlight, 'delivery', 'deliveries')} in flight.
    </p>
  );
}

function Counts({ rows, states, now }: { rows: StateCount[]; states: readonly string[]; now: number }) {
  return (
    <div class="scroll">
      <table>
        <caption class="skip">Commands per provider, tenant and state</caption>
        <thead>
          <tr>
            <th scope="col">Provider · tenant</th>
            {states.map((s) => (
              <th scope="col" class="n">
                <State state={s} />
              </th>
            ))}
            <th scope="col" class="n">
              Oldest pending
            </th>
          </tr>
        </thead>
        <tbody>
          {[...groupsOf(rows)].map(([name, group]) => {
            const pending = group.find((r) => r.state === 'pending');
            return (
              <tr>
                <th scope="row">{name}</th>
                {states.map((s) => (
                  <td class="n">{group.find((r) => r.state === s)?.count ?? 0}</td>
                ))}
                <td class="n">{pending?.oldestCreatedAt ? age(now - pending.oldestCreatedAt) : '-'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Hourly({ rows, now }: { rows: HourlyDeliveries[]; now: number }) {
  const groups = [...groupsOf(rows)];
  return (
    <>
      <HourlyChart bars={last24Hours(rows, now)} label="All providers" />
      {groups.length > 1 &&
        groups.map(([name, group]) => (
          <>
            <h3>{name}</h3>
            <HourlyChart bars={last24Hours(group, now)} label={name} />
          </>
        ))}
    </>
  );
}

/** `GET /console`: is delivery running, how much is where, and how the last day went. */
export async function overviewPage(c: Context<ConsoleEnv>, deps: ConsoleDeps) {
  const now = deps.now();
  const { queries } = deps;
  const [stats, pause, counts, hourly] = await Promise.all([
    deps.store.stats(),
    queries.deliveryPause(),
    queries.commandCounts(),
    queries.hourlyDeliveries(now),
  ]);
  const oldest = stats.oldestPendingCreatedAt;
  return render(
    c,
    <Layout title="Overview" csrf={c.get('csrf')} active="overview">
      <h1>Overview</h1>
      <Delivery deps={deps} pause={pause} />
      <p>
        {count(stats.inboxCount, 'event')} received; {count(stats.counts.pending, 'command')} pending
        {oldest !== null && `, the oldest for ${age(now - oldest)}`}; <a href={`${BASE}/dead`}>{count(stats.counts.dead, 'dead letter')}</a>.
      </p>
      <h2>Commands per provider and tenant</h2>
      {counts.length ? <Counts rows={counts} states={queries.states.command} now={now} /> : <p>No commands yet.</p>}
      <h2>Deliveries and failures per hour, last 24 hours</h2>
      <p>Blue: accepted by Dub. Red: became dead letters.</p>
      <Hourly rows={hourly} now={now} />
      <h2>What the states mean</h2>
      <dl>
        {queries.states.command.map((s) => (
          <>
            <dt>
              <State state={s} />
            </dt>
            <dd>{commandStateText[s] ?? s}</dd>
          </>
        ))}
      </dl>
    </Layout>,
  );
}
