/**
 * Bench output: the metric shape of the `npm run bench` contract (ARCHITECTURE.md, "Contracts"),
 * target checks, the human-readable table and the one-JSON-object-per-line form.
 */

export interface Target {
  readonly op: '>=' | '<=';
  readonly value: number;
}

export interface Metric {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: Target;
  /** How it was measured (concurrency, sample count…); shown in the table and the JSON. */
  readonly note?: string;
}

export const atLeast = (value: number): Target => ({ op: '>=', value });
export const atMost = (value: number): Target => ({ op: '<=', value });

export function targetText(target: Target): string {
  return `${target.op} ${target.value}`;
}

export function targetMet(m: Metric): boolean | null {
  if (!m.target) return null;
  return m.target.op === '>=' ? m.value >= m.target.value : m.value <= m.target.value;
}

/** Rounds for display and JSON: more decimals for small values. */
export function roundValue(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const decimals = abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** One line per metric: {"metric","value","unit","target"?,"note"?}. */
export function toJsonLines(metrics: readonly Metric[]): string {
  return metrics
    .map((m) => {
      const out: Record<string, unknown> = { metric: m.metric, value: roundValue(m.value), unit: m.unit };
      if (m.target) out.target = targetText(m.target);
      if (m.note) out.note = m.note;
      return JSON.stringify(out);
    })
    .join('\n');
}

export function summaryLine(metrics: readonly Metric[]): string {
  const targeted = metrics.filter((m) => m.target);
  const met = targeted.filter((m) => targetMet(m));
  const missed = targeted.filter((m) => !targetMet(m));
  const tail = missed.length === 0 ? 'all met' : `missed: ${missed.map((m) => m.metric).join(', ')}`;
  return `Targets met: ${met.length}/${targeted.length} (${tail})`;
}

export function toTable(metrics: readonly Metric[]): string {
  const header = ['metric', 'value', 'unit', 'target', 'met'];
  const rows = metrics.map((m) => {
    const met = targetMet(m);
    return [m.metric, String(roundValue(m.value)), m.unit, m.target ? targetText(m.target) : '-', met === null ? '-' : met ? 'yes' : 'NO'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  const notes = metrics.filter((m) => m.note);
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const m of notes) out.push(`  ${m.metric}: ${m.note}`);
  }
  out.push('', summaryLine(metrics));
  return out.join('\n');
}
