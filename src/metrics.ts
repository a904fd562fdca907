/** Counters and gauges the pipeline reports; rendered in Prometheus text format at /metrics. */
export interface Metrics {
  received(labels: { source: string; type: string }): void;
  duplicate(labels: { source: string; type: string }): void;
  rejected(labels: { source: string; reason: string }): void;
  ignored(labels: { source: string; type: string }): void;
  /** A stored event the mapper could not parse or map (kept as `unmapped`). */
  unmapped(labels: { source: string; type: string }): void;
  ackLatency(labels: { source: string }, seconds: number): void;
  delivered(labels: { source: string; kind: string }, state: string): void;
  retried(labels: { source: string; kind: string }): void;
  dead(labels: { source: string; kind: string }): void;
  paused(value: boolean): void;
  /** Prometheus text exposition; `gauges` adds values read at scrape time (outbox depth). */
  render(gauges?: Record<string, { help: string; values: Array<[Record<string, string>, number]> }>): string;
}

type Labels = Record<string, string>;

/** Distinct event-type labels kept per source (cardinality bound). */
const MAX_TYPES = 64;

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

/** Every counter, declared up front so a scrape shows each family (with HELP and TYPE) from the start. */
const COUNTERS = {
  dub_bridge_webhooks_received_total: 'Verified webhooks acknowledged, by source and event type (duplicates included).',
  dub_bridge_webhooks_duplicate_total: 'Webhooks already recorded (provider redelivery), by source and event type.',
  dub_bridge_webhooks_rejected_total: 'Webhooks refused with a 4xx/5xx before anything was stored, by source and reason (error code).',
  dub_bridge_webhooks_ignored_total: 'Webhooks recorded but mapped to no Dub call, by source and event type.',
  dub_bridge_events_unmapped_total: 'Stored events the mapper could not parse or map (kept as unmapped; replay --remap), by source and event type.',
  dub_bridge_deliveries_total: 'Outbox rows finished, by source, command kind and final state.',
  dub_bridge_delivery_retries_total: 'Delivery attempts that failed and will be retried, by source and command kind.',
  dub_bridge_dead_letters_total: 'Outbox rows dead-lettered, by source and command kind.',
} as const;

/** An in-memory registry: tiny, runtime-neutral (Node and Workers), no background timers. */
export function createMetrics(): Metrics {
  const counters = new Map(Object.entries(COUNTERS).map(([name, help]) => [name, { help, values: new Map<string, [Labels, number]>() }]));
  const histogram = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  let pausedValue = 0;

  // Event types come from providers (a Shopify topic is a header the HMAC does not cover): each
  // source keeps at most MAX_TYPES distinct labels, the rest count as `other`.
  const typesBySource = new Map<string, Set<string>>();
  const boundedType = (source: string, type: string) => {
    const seen = typesBySource.get(source) ?? typesBySource.set(source, new Set()).get(source)!;
    if (seen.has(type)) return type;
    if (seen.size >= MAX_TYPES || !/^[A-Za-z0-9_./:-]{1,64}$/.test(type)) return 'other';
    seen.add(type);
    return type;
  };
  const typed = (l: { source: string; type: string }) => ({ source: l.source, type: boundedType(l.source, l.type) });

  const inc = (name: keyof typeof COUNTERS, labels: Labels) => {
    const counter = counters.get(name)!;
    const key = labelText(labels);
    const entry = counter.values.get(key);
    if (entry) entry[1]++;
    else counter.values.set(key, [labels, 1]);
  };

  return {
    received: (l) => inc('dub_bridge_webhooks_received_total', typed(l)),
    duplicate: (l) => inc('dub_bridge_webhooks_duplicate_total', typed(l)),
    rejected: (l) => inc('dub_bridge_webhooks_rejected_total', l),
    ignored: (l) => inc('dub_bridge_webhooks_ignored_total', typed(l)),
    unmapped: (l) => inc('dub_bridge_events_unmapped_total', typed(l)),
    delivered: (l, state) => inc('dub_bridge_deliveries_total', { ...l, state }),
    retried: (l) => inc('dub_bridge_delivery_retries_total', l),
    dead: (l) => inc('dub_bridge_dead_letters_total', l),
    paused: (value) => {
      pausedValue = value ? 1 : 0;
    },
    ackLatency(labels, seconds) {
      const key = labelText(labels);
      let entry = histogram.get(key);
      if (!entry) histogram.set(key, (entry = { labels, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) entry.buckets[i]!++;
      });
      entry.sum += seconds;
      entry.count++;
    },
    render(gauges = {}) {
      const lines: string[] = [];
      for (const [name, counter] of counters) {
        lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
        for (const [labels, value] of counter.values.values()) lines.push(`${name}${labelText(labels)} ${value}`);
      }
      const h = 'dub_bridge_ack_latency_seconds';
      lines.push(`# HELP ${h} Time from request to acknowledgement of accepted webhooks, by source.`, `# TYPE ${h} histogram`);
      for (const entry of histogram.values()) {
        BUCKETS.forEach((bound, i) => lines.push(`${h}_bucket${labelText({ ...entry.labels, le: String(bound) })} ${entry.buckets[i]}`));
        lines.push(`${h}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
        lines.push(`${h}_sum${labelText(entry.labels)} ${entry.sum}`, `${h}_count${labelText(entry.labels)} ${entry.count}`);
      }
      lines.push(
        '# HELP dub_bridge_delivery_paused 1 while Dub refuses the API key.',
        '# TYPE dub_bridge_delivery_paused gauge',
        `dub_bridge_delivery_paused ${pausedValue}`,
      );
      for (const [name, gauge] of Object.entries(gauges)) {
        lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`);
        for (const [labels, value] of gauge.values) lines.push(`${name}${labelText(labels)} ${value}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
