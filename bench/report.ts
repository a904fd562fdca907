import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { isOpenLoad, type OpenLoadResult } from './open-loop.js';
import type { DeliveryResult } from './scenarios/delivery.js';
import type { HttpResult } from './scenarios/http.js';
import type { MapBacklogResult } from './scenarios/map-backlog.js';
import type { SoakResult } from './scenarios/soak.js';

export type ScenarioResult = HttpResult | DeliveryResult | SoakResult | MapBacklogResult;

export interface Ratio {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

/** Read before pinning: once pinned, availableParallelism() reports one core. */
export function machine() {
  return { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadavg() };
}

const find = <K extends ScenarioResult['kind']>(results: ScenarioResult[], name: string) =>
  results.find((r) => r.name === name) as Extract<ScenarioResult, { kind: K }> | undefined;

/** The comparisons the issue asks for; a missing scenario gives null, never a guess. */
export function ratios(results: ScenarioResult[]): Ratio[] {
  const rps = (name: string) => find<'http'>(results, name)?.load.rps ?? null;
  const p50 = (name: string) => find<'http'>(results, name)?.load.latency.p50 ?? null;
  const p99 = (name: string) => find<'http'>(results, name)?.load.latency.p99 ?? null;
  const over = (a: number | null, b: number | null) => (a !== null && b ? a / b : null);
  const check = (value: number | null, ok: (v: number) => boolean) => (value === null ? null : ok(value));
  // An open-loop run that left requests unanswered has no complete latency distribution to compare.
  const answered = (name: string) => find<'http'>(results, name)?.load.errors === 0;
  const latencyRatio = (pick: (name: string) => number | null) =>
    answered('naive-rate') && answered('fixed-rate') ? over(pick('naive-rate'), pick('fixed-rate')) : null;
  const bridge = rps('bridge');
  const cpu = (name: string) => find<'http'>(results, name)?.serverCpuUs ?? null;
  const sustained = (name: string) => find<'http'>(results, name)?.mapping?.sustainedRps ?? null;
  // fixed-rate and naive-rate are open-loop runs at one rate: their latency counts from each
  // request's scheduled arrival.
  const openRate = (name: string) => {
    const load = find<'http'>(results, name)?.load;
    return load && isOpenLoad(load) ? load.rate : null;
  };
  const rate = openRate('fixed-rate') ?? openRate('naive-rate') ?? '?';
  const delivery = find<'delivery'>(results, 'delivery');
  const soak = find<'soak'>(results, 'soak');
  const mapping = find<'map-backlog'>(results, 'map-backlog');
  const list: Array<[string, number | null, string, (v: number) => boolean]> = [
    ['bridge / verify-only (req/s): first milestone', over(bridge, rps('verify-node')), '>= 0.3', (v) => v >= 0.3],
    ['bridge / verify-only (req/s): goal', over(bridge, rps('verify-node')), '>= 0.6', (v) => v >= 0.6],
    ['bridge acked and mapped / verify-only (req/s, sustained)', over(sustained('bridge'), rps('verify-node')), 'info', () => true],
    ['verify-only / bridge (server CPU per webhook)', over(cpu('verify-node'), cpu('bridge')), 'info', () => true],
    ["bridge / verify-only with the bridge's Web Crypto verifier (req/s)", over(bridge, rps('verify')), 'info', () => true],
    ['ack path alone (mapping held back) / verify-only (req/s)', over(rps('ack-only'), rps('verify-node')), 'info', () => true],
    ['bridge / bare Hono (req/s)', over(bridge, rps('bare')), 'info', () => true],
    ['shopify bridge / verify-only (req/s)', over(rps('shopify'), rps('verify-node')), 'info', () => true],
    ['bridge / naive (req/s)', over(bridge, rps('naive')), '>= 20', (v) => v >= 20],
    ['naive / bridge (p50 ack latency)', over(p50('naive'), p50('bridge')), 'info', () => true],
    [`p50 ack at ${rate} req/s (ms)`, p50('fixed-rate'), 'info', () => true],
    [`p99 ack at ${rate} req/s (ms)`, p99('fixed-rate'), '<= 10', (v) => v <= 10],
    [`bare Hono p50 at ${rate} req/s (ms)`, p50('bare-rate'), 'info', () => true],
    [`bare Hono p99 at ${rate} req/s (ms): this machine's floor`, p99('bare-rate'), 'info', () => true],
    [`naive / bridge (p50 ack latency at ${rate} req/s)`, latencyRatio(p50), 'info', () => true],
    [`naive / bridge (p99 ack latency at ${rate} req/s)`, latencyRatio(p99), 'info', () => true],
    ['mapping a received backlog (events/s, one core)', mapping?.perSecond ?? null, '>= 2000', (v) => v >= 2000],
    ['delivery achieved / limit', delivery ? delivery.achievedPerMinute / delivery.limitPerMinute : null, '>= 0.9', (v) => v >= 0.9],
    ['delivery 429s', delivery?.rejected429 ?? null, 'almost none', (v) => v <= Math.max(5, (delivery?.backlog ?? 0) / 1000)],
    ['soak max RSS (MB)', soak?.rssMB.max ?? null, '< 150', (v) => v < 150],
  ];
  return list.map(([name, value, target, ok]) => ({ name, value, target, met: target === 'info' ? null : check(value, ok) }));
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const pad = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`).join('\n');
};

/** What the latency columns of an open-loop row mean, and whether the generator kept its schedule. */
function openLoopNotes(load: OpenLoadResult): string {
  const unanswered = load.errors ? `, ${load.errors} unanswered (not in the latencies)` : '';
  return `open loop ${load.rate}/s (sent ${fmt(load.sendRate, 0)}/s, generator at most ${fmt(load.maxLagMs)} ms late${unanswered}): ms from scheduled arrival; from send (socket) p50 ${fmt(load.sendLatency.p50, 2)}, p99 ${fmt(load.sendLatency.p99, 2)}`;
}

/** Markdown tables (so docs/performance.md can take them as printed). */
export function renderTables(results: ScenarioResult[], ratioList: Ratio[]): string {
  const http: string[][] = [
    [
      'scenario',
      'conns',
      'req/s',
      'acked+mapped/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'server CPU µs/req',
      'server busy',
      'generator µs/req',
      'others (cores)',
      'non-2xx/err',
      'acked/recorded',
      'notes',
    ],
  ];
  for (const r of results) {
    if (r.kind === 'delivery' || r.kind === 'map-backlog') continue;
    const { load } = r;
    const label = r.kind === 'http' ? r.label : `soak (${r.load.ok} of ${r.events} events)`;
    const connections = r.kind !== 'http' ? '-' : isOpenLoad(r.load) ? `open, ${r.load.peakSockets} of ${r.load.maxSockets}` : String(r.connections);
    const stored = r.kind === 'http' ? (r.recorded === null ? '-' : `${r.acknowledged}/${r.recorded}`) : `${r.load.ok}/${r.recorded}`;
    const notes =
      r.kind === 'http'
        ? [
            r.notes,
            ...(isOpenLoad(r.load) ? [openLoopNotes(r.load)] : []),
            ...(r.mapping ? [`${r.mapping.leftAfterRun} acked events not mapped yet when the run ended, mapped ${fmt(r.mapping.drainS, 1)} s later`] : []),
          ].join('; ')
        : `${fmt(r.load.durationS, 0)} s${r.timedOut ? ' (time bound)' : ''}; RSS ${fmt(r.rssMB.first, 0)} first, ${fmt(r.rssMB.max, 0)} max, ${fmt(r.rssMB.last, 0)} last MB; V8 heap reserved max ${fmt(r.heapTotalMaxMB, 0)} MB; db ${fmt(r.databaseMB, 0)} MB`;
    const sustained = r.kind === 'http' && r.mapping ? fmt(r.mapping.sustainedRps, 0) : '-';
    const others = r.kind === 'http' ? fmt(r.othersCores, 2) : '-';
    http.push([
      label,
      connections,
      fmt(load.rps, 0),
      sustained,
      fmt(load.latency.p50, 2),
      fmt(load.latency.p99, 2),
      fmt(load.latency.max, 1),
      r.kind === 'http' ? fmt(r.serverCpuUs, 0) : '-',
      r.kind === 'http' ? `${fmt(r.serverBusy * 100, 0)} %` : '-',
      fmt(load.generatorCpuUs, 0),
      others,
      `${load.non2xx}/${load.errors}`,
      stored,
      notes,
    ]);
  }
  const parts = [pad(http)];
  const delivery = find<'delivery'>(results, 'delivery');
  if (delivery) {
    parts.push(
      pad([
        ['delivery backlog', 'limit/min', 'achieved/min', 'accepted by Dub', '429s', 'sending s', 'concurrency', 'left pending'],
        [
          String(delivery.backlog),
          String(delivery.limitPerMinute),
          fmt(delivery.achievedPerMinute, 0),
          String(delivery.accepted),
          String(delivery.rejected429),
          fmt(delivery.durationS),
          String(delivery.concurrency),
          String(delivery.outboxByState.pending ?? 0),
        ],
      ]),
    );
  }
  const mapping = find<'map-backlog'>(results, 'map-backlog');
  if (mapping) {
    parts.push(
      pad([
        [
          'map backlog: events acked',
          'acked req/s',
          'drain s',
          'mapped/s',
          'CPU µs/event',
          'busy',
          'others (cores)',
          'unmapped',
          'outbox rows queued',
          'inbox after',
        ],
        [
          String(mapping.ingest.ok),
          fmt(mapping.ingest.rps, 0),
          fmt(mapping.drainS, 2),
          fmt(mapping.perSecond, 0),
          fmt(mapping.cpuUsPerEvent, 0),
          `${fmt(mapping.busy * 100, 0)} %`,
          fmt(mapping.othersCores, 2),
          String(mapping.unmapped),
          String(mapping.queued),
          JSON.stringify(mapping.inboxByState),
        ],
      ]),
    );
  }
  parts.push(
    pad([
      ['ratio / target', 'value', 'target', 'met'],
      ...ratioList.map((r) => [r.name, fmt(r.value, 2), r.target, r.met === null ? '' : r.met ? 'yes' : 'NO']),
    ]),
  );
  return parts.join('\n\n');
}

/** bench/results/<time>.json: everything measured, with the machine and the options used. */
export function writeJson(payload: object, smoke: boolean): string {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${new Date().toISOString().replace(/[:.]/g, '-')}${smoke ? '-smoke' : ''}.json`, dir);
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file.pathname;
}
