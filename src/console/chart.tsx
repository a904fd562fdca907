import type { HourlyDeliveries } from '../ops/queries.js';

const HOUR_MS = 3_600_000;

export interface HourBar {
  hour: number;
  delivered: number;
  failed: number;
}

/** 24 hourly bars ending with the current hour, zero where nothing happened. */
export function last24Hours(rows: HourlyDeliveries[], now: number): HourBar[] {
  const first = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const bars = Array.from({ length: 24 }, (_, i) => ({ hour: first + i * HOUR_MS, delivered: 0, failed: 0 }));
  for (const row of rows) {
    const bar = bars[Math.round((row.hour - first) / HOUR_MS)];
    if (!bar) continue;
    bar.delivered += row.delivered;
    bar.failed += row.failed;
  }
  return bars;
}

/**
 * Deliveries (blue) and dead letters (red, on top) per hour as a small inline SVG: no script, no
 * request. Screen readers get the totals and the busiest hour in the label.
 */
export function HourlyChart({ bars, label }: { bars: HourBar[]; label: string }) {
  const [top, base] = [12, 64];
  const max = Math.max(1, ...bars.map((b) => b.delivered + b.failed));
  const delivered = bars.reduce((sum, b) => sum + b.delivered, 0);
  const failed = bars.reduce((sum, b) => sum + b.failed, 0);
  const peak = bars.reduce((best, b) => (b.delivered + b.failed > best.delivered + best.failed ? b : best), bars[0]!);
  const peakText = delivered + failed ? `; busiest hour ${new Date(peak.hour).toISOString().slice(11, 16)} UTC` : '';
  const summary = `${label}: ${delivered} delivered, ${failed} failed in the last 24 hours${peakText}`;
  const scale = (n: number) => (n / max) * (base - top);
  const text = { 'font-size': '7', fill: '#1b1f24' };
  return (
    <svg class="chart" viewBox="0 0 240 78" role="img" aria-label={summary}>
      <title>{summary}</title>
      <text x="0" y="7" {...text}>{`${max} per hour`}</text>
      <line x1="0" y1={top} x2="240" y2={top} stroke="#d0d7de" stroke-width="0.5" />
      <line x1="0" y1={base} x2="240" y2={base} stroke="#57606a" stroke-width="0.5" />
      {bars.map((b, i) => {
        const d = scale(b.delivered);
        const f = scale(b.failed);
        return (
          <g>
            {d > 0 && <rect x={i * 10 + 1} y={base - d} width="8" height={d} fill="#0b57d0" />}
            {f > 0 && <rect x={i * 10 + 1} y={base - d - f} width="8" height={f} fill="#b42318" />}
          </g>
        );
      })}
      <text x="0" y="75" {...text}>
        24 h ago
      </text>
      <text x="120" y="75" text-anchor="middle" {...text}>
        12 h ago
      </text>
      <text x="240" y="75" text-anchor="end" {...text}>
        now
      </text>
    </svg>
  );
}
