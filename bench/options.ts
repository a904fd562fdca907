import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'bare',
  'verify',
  'verify-node',
  'bridge',
  'ack-only',
  'shopify',
  'naive',
  'fixed-rate',
  'bare-rate',
  'naive-rate',
  'map-backlog',
  'delivery',
  'soak',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  smoke: boolean;
  scenarios: ScenarioName[];
  /** Seconds of each measured throughput run, after `warmupS` of unmeasured load. */
  durationS: number;
  warmupS: number;
  connections: number;
  /** Open-loop arrival rate (req/s) of the fixed-rate and naive-rate runs. */
  fixedRate: number;
  naiveDubDelayMs: number;
  backlog: number;
  rateLimitPerMinute: number;
  deliveryConcurrency: number;
  dubDelayMs: number;
  soakEvents: number;
  soakMaxS: number;
  /** Events acknowledged over HTTP with mapping held back, then drained by the mapper (map-backlog). */
  mapEvents: number;
  /** Pin servers to core 1 and the load generator to core 0 (taskset). */
  pin: boolean;
  profileDir: string | null;
  /** The bridge's SQLITE_SYNCHRONOUS in every bridge scenario. */
  synchronous: 'FULL' | 'NORMAL';
  /** NODE_OPTIONS for bridge processes (e.g. a V8 heap cap). */
  bridgeNodeOptions: string;
  /** More environment variables for bridge processes (`--bridge-env K=V,K2=V2`). */
  bridgeEnv: Record<string, string>;
  /** Reuse the last compiled servers instead of compiling src/ again (A/B of a swapped file). */
  noBuild: boolean;
  /** Longest wait before each measured run for other processes to leave the cores alone (0: none). */
  quietWaitS: number;
  /** Where the servers' src/ and migrations/ come from (another checkout or an export of a commit); null: this one. */
  tree: string | null;
}

const HELP = `npm run bench -- [options]
  --smoke                 seconds-long run with tiny counts (CI): checks every scenario produces numbers
  --only a,b              scenarios to run: ${SCENARIOS.join(', ')} (default: all)
  --skip a,b              scenarios to leave out
  --duration S            measured seconds per throughput run (default 10)
  --warmup S              unmeasured warm-up seconds per server (default 3)
  --connections N         concurrent connections for throughput runs (default 32)
  --rate N                open-loop arrivals/s of the fixed-rate and naive-rate latency runs (default 1000)
  --backlog N             outbox rows drained in the delivery run (default 100000)
  --rate-limit N          fake Dub limit per minute = bridge DUB_RATE_LIMIT_PER_MINUTE (default 60000)
  --concurrency N         bridge DELIVERY_CONCURRENCY in the delivery run (default 16)
  --dub-delay-ms N        fake Dub answer delay in the delivery run (default 0)
  --soak-events N         events ingested by the soak (default 1000000)
  --soak-max-seconds S    hard time bound of the soak (default 300)
  --map-events N          events acknowledged, then drained by the mapper in map-backlog (default 20000)
  --no-pin                do not pin processes to cores
  --quiet-wait S          before each measured run, wait up to S s until other processes use < 0.25
                          cores (default 60; smoke 0)
  --synchronous MODE      bridge SQLITE_SYNCHRONOUS: FULL (default, as shipped) or NORMAL
  --bridge-node-options S NODE_OPTIONS for the bridge processes, e.g. "--max-old-space-size=64"
  --bridge-env K=V,K2=V2  more environment for the bridge processes, e.g. LOG_LEVEL=warn
  --profile DIR           write a V8 CPU profile of every server into DIR
  --no-build              run the servers compiled by the previous run (to A/B a file swapped there)
  --tree DIR              build the servers from DIR's src/ and migrations/ (e.g. \`git archive\` of an older
                          commit) with this harness; the delivery scenario still seeds with this checkout`;

function list(value: string | undefined): ScenarioName[] {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) if (!SCENARIOS.includes(name as ScenarioName)) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
  return names as ScenarioName[];
}

function positive(name: string, value: string | undefined, fallback: number, min = Number.MIN_VALUE): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} must be ${min === Number.MIN_VALUE ? 'a positive number' : `a number >= ${min}`}, got "${value}"`);
  return n;
}

/** Reads the command line; `--smoke` changes the defaults, explicit flags still win. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      help: { type: 'boolean' },
      'no-pin': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      'bridge-node-options': { type: 'string' },
      'bridge-env': { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      backlog: { type: 'string' },
      'rate-limit': { type: 'string' },
      concurrency: { type: 'string' },
      'dub-delay-ms': { type: 'string' },
      'soak-events': { type: 'string' },
      'soak-max-seconds': { type: 'string' },
      profile: { type: 'string' },
      synchronous: { type: 'string' },
      'map-events': { type: 'string' },
      tree: { type: 'string' },
      'quiet-wait': { type: 'string' },
    },
  });
  if (v.help) return 'help';
  const smoke = v.smoke ?? false;
  const synchronous = (v.synchronous ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new Error(`--synchronous must be FULL or NORMAL, got "${v.synchronous}"`);
  const only = list(v.only);
  const skip = list(v.skip);
  return {
    smoke,
    scenarios: (only.length ? only : [...SCENARIOS]).filter((s) => !skip.includes(s)),
    durationS: positive('duration', v.duration, smoke ? 1 : 10),
    warmupS: positive('warmup', v.warmup, smoke ? 0.5 : 3),
    connections: positive('connections', v.connections, smoke ? 10 : 32),
    fixedRate: positive('rate', v.rate, smoke ? 50 : 1000),
    naiveDubDelayMs: 150,
    backlog: positive('backlog', v.backlog, smoke ? 500 : 100_000),
    rateLimitPerMinute: positive('rate-limit', v['rate-limit'], 60_000),
    deliveryConcurrency: positive('concurrency', v.concurrency, 16),
    dubDelayMs: positive('dub-delay-ms', v['dub-delay-ms'], 0, 0),
    soakEvents: positive('soak-events', v['soak-events'], smoke ? 2_000 : 1_000_000),
    soakMaxS: positive('soak-max-seconds', v['soak-max-seconds'], smoke ? 30 : 300),
    mapEvents: positive('map-events', v['map-events'], smoke ? 500 : 20_000),
    pin: !v['no-pin'],
    profileDir: v.profile ?? null,
    synchronous,
    bridgeNodeOptions: v['bridge-node-options'] ?? '',
    bridgeEnv: Object.fromEntries(
      (v['bridge-env'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new Error(`--bridge-env takes K=V pairs separated by commas, got "${pair}"`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
    ),
    noBuild: v['no-build'] ?? false,
    tree: v.tree ?? null,
    quietWaitS: positive('quiet-wait', v['quiet-wait'], smoke ? 0 : 60, 0),
  };
}

export { HELP };
