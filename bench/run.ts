import { execFileSync } from 'node:child_process';
import { canPin, configureChildren } from './child.js';
import type { BenchContext } from './context.js';
import { HELP, parseOptions, type ScenarioName } from './options.js';
import { machine, ratios, renderTables, writeJson, type ScenarioResult } from './report.js';
import { delivery } from './scenarios/delivery.js';
import { mapBacklog } from './scenarios/map-backlog.js';
import {
  ackOnly,
  bare,
  bareFixedRate,
  bridgeFixedRate,
  bridgeShopify,
  bridgeStripe,
  naive,
  naiveFixedRate,
  verifyNode,
  verifyOnly,
} from './scenarios/ingest.js';
import { soak } from './scenarios/soak.js';

const RUNNERS: Record<ScenarioName, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  bare,
  verify: verifyOnly,
  'verify-node': verifyNode,
  bridge: bridgeStripe,
  'ack-only': ackOnly,
  shopify: bridgeShopify,
  naive,
  'fixed-rate': bridgeFixedRate,
  'bare-rate': bareFixedRate,
  'naive-rate': naiveFixedRate,
  'map-backlog': mapBacklog,
  delivery,
  soak,
};

/** Problems that make a run's numbers meaningless (never timings: those only get reported). */
function problems(result: ScenarioResult): string[] {
  const found: string[] = [];
  if (result.kind === 'delivery') {
    // Not draining the whole backlog within the time bound is a measured outcome (reported as
    // such); delivering nothing, or losing rows, is a broken run.
    if (result.accepted === 0) found.push('nothing was delivered');
    const { pending = 0, delivered = 0, ...others } = result.outboxByState;
    if (Object.keys(others).length) found.push(`rows ended neither delivered nor pending: ${JSON.stringify(others)}`);
    if (pending + delivered !== result.backlog) found.push(`${result.backlog} rows seeded, ${pending + delivered} in the outbox`);
    return found;
  }
  if (result.kind === 'map-backlog') {
    if (result.ingest.ok !== result.events) found.push(`${result.ingest.ok} of ${result.events} events acknowledged`);
    const { received = 0, unmapped = 0 } = result.inboxByState;
    if (received > 0) found.push(`${received} events still received after the drain`);
    if (unmapped > 0) found.push(`${unmapped} events unmapped`);
    return found;
  }
  const { load } = result;
  if (load.ok === 0 || !Number.isFinite(load.rps) || !Number.isFinite(load.latency.p99)) found.push('no successful requests');
  if (load.non2xx > 0) found.push(`${load.non2xx} non-2xx answers`);
  const { recorded } = result;
  const acknowledged = result.kind === 'soak' ? load.ok : result.acknowledged;
  if (recorded !== null && recorded < acknowledged) found.push(`acknowledged ${acknowledged} events but stored ${recorded}`);
  return found;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') return console.log(HELP);
  const machineBefore = machine();
  const pinned = options.pin && canPin();
  configureChildren(options);
  // Core 0: this process (the load generators) and helper servers; core 1: the server under test.
  if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const ctx: BenchContext = {
    options,
    serverCpu: pinned ? 1 : undefined,
    clientCpu: pinned ? 0 : undefined,
    runId: Date.now().toString(36),
    log: (line) => console.error(`[bench] ${line}`),
  };
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  for (const name of options.scenarios) {
    try {
      const result = await RUNNERS[name](ctx);
      results.push(result);
      for (const problem of problems(result)) failures.push(`${name}: ${problem}`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const ratioList = ratios(results);
  const placement = pinned ? 'server pinned to core 1, load generator and fake Dub to core 0' : 'not pinned';
  console.log(
    `\nmachine: ${machineBefore.cores} cores, ${machineBefore.cpu}, Node ${machineBefore.node}, ${placement}, load average before ${machineBefore.loadavg.map((n) => n.toFixed(2)).join(' ')}\n`,
  );
  console.log(renderTables(results, ratioList));
  if (options.smoke) console.log('\nsmoke run: seconds-long runs with tiny counts check that every scenario works; the targets apply to full runs.');
  const file = writeJson(
    { machine: { ...machineBefore, pinned }, loadavgAfter: machine().loadavg, options, results, ratios: ratioList, failures },
    options.smoke,
  );
  console.log(`\nresults: ${file}`);
  if (failures.length) {
    console.error(`\nbench: ${failures.length} scenario(s) did not produce valid numbers:\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
