/** One benchmark figure with its baseline. */
export interface Result {
  id: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** value / baseline (or as defined per benchmark). */
  ratio?: number;
  target?: string;
  detail?: string;
  method: string;
}

const fmt = (n: number | undefined, digits = 2) =>
  n === undefined ? '–' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits);

/** Plain-text table for the terminal. */
export function renderText(results: readonly Result[]): string {
  return results
    .map(
      (r) =>
        `• ${r.name}\n    ${fmt(r.value)} ${r.unit}${r.baseline !== undefined ? `   baseline ${fmt(r.baseline)} ${r.unit} (${r.baselineName})` : ''}${r.ratio !== undefined ? `   ratio ${fmt(r.ratio)}` : ''}${r.target ? `   target ${r.target}` : ''}\n    ${r.detail ?? ''}\n    how: ${r.method}`,
    )
    .join('\n');
}

/** Markdown table for BENCHMARKS.md. */
export function renderMarkdown(results: readonly Result[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.baseline !== undefined ? `${fmt(r.baseline)} ${r.unit} — ${r.baselineName}` : '–'} | ${fmt(r.ratio)} | ${r.target ?? '–'} | ${r.detail ?? ''} |`,
  );
  return [
    '| benchmark | Syncline | baseline | ratio | target | detail |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
