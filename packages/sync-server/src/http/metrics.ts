/** A Prometheus text-format metric. */
export interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  value: number;
  labels?: Record<string, string>;
}

/** Renders metrics in the Prometheus text exposition format. */
export function renderMetrics(metrics: readonly Metric[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of metrics) {
    if (!seen.has(m.name)) {
      seen.add(m.name);
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    }
    const labels = m.labels
      ? `{${Object.entries(m.labels)
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
          .join(',')}}`
      : '';
    out.push(`${m.name}${labels} ${Number.isFinite(m.value) ? m.value : 0}`);
  }
  return `${out.join('\n')}\n`;
}
