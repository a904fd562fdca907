import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Summarises a V8 CPU profile (`--profile DIR` writes one per server process): share of samples by
 * area (Node's HTTP, Hono, SQLite, the bridge's own folders, GC, idle), the top functions by self
 * time, and the bridge's own functions by inclusive time. Shares are of the busy (non-idle) time.
 *
 *   node --import tsx bench/profile-top.ts <file.cpuprofile> [--top 25]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a function belongs to, from its script URL. */
export function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : 'native (V8 builtins, JSON, crypto bindings)';
  if (url.includes('/src/'))
    return `bridge ${url
      .slice(url.indexOf('/src/') + 1)
      .split('/')
      .slice(0, 2)
      .join('/')
      .replace(/\.js$/, '')}`;
  if (url.includes('/bench/servers/')) return 'bench server';
  if (url.includes('@hono/node-server')) return '@hono/node-server';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (/^node:(_http|http|internal\/http|internal\/streams|stream|net|internal\/stream_base|internal\/net)/.test(url)) return 'Node HTTP, net and streams';
  if (url.startsWith('node:internal/crypto') || url.startsWith('node:crypto')) return 'Node crypto';
  if (url.startsWith('node:internal/timers') || url.startsWith('node:timers')) return 'Node timers';
  if (url.startsWith('node:')) return `Node other (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  return url;
}

export function summarise(profile: Profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
  const areas = new Map<string, number>();
  const selfByKey = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    const a = area(node.callFrame.url, node.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + time);
    selfByKey.set(key(node), (selfByKey.get(key(node)) ?? 0) + time);
    // Inclusive time of the bridge's own functions: each function once per stack (recursion).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (!frame.callFrame.url.includes('/src/')) continue;
      const k = key(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + time);
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)} %`;
  const sorted = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => [k, pct(t)] as const);
  return {
    sampledS: total / 1e6,
    idleShare: idle / total,
    areas: sorted(areas, 30),
    self: sorted(selfByKey, top),
    bridgeInclusive: sorted(inclusive, top),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, flag, value] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [--top N]');
  const result = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, flag === '--top' ? Number(value) : 25);
  const table = (title: string, rows: ReadonlyArray<readonly [string, string]>) =>
    [`| ${title} | share of busy time |`, '|---|---|', ...rows.map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v} |`)].join('\n');
  console.log(`${basename(file)}: ${result.sampledS.toFixed(1)} s sampled, ${(result.idleShare * 100).toFixed(1)} % idle\n`);
  console.log(
    `${table('area', result.areas)}\n\n${table('function (self time)', result.self)}\n\n${table('bridge function (inclusive time)', result.bridgeInclusive)}`,
  );
}
