// Printing for the benchmarks: statistics over samples and plain Markdown-style tables (readable in a terminal,
// pasteable into an issue). Figures are printed, never asserted.

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const mean = (xs) => (xs.length ? sum(xs) / xs.length : NaN);

/** Nearest-rank percentile (p in 0..100) of the samples. */
export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(xs) {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A number with thousands separators and a fixed number of decimals; NaN and undefined print as "n/a". */
export function num(n, digits = 0) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const ms = (n, digits = 1) => `${num(n, digits)} ms`;
export const kib = (bytes, digits = 1) => `${num(bytes / 1024, digits)} KB`;

export function section(title) {
  console.log(`\n${'='.repeat(title.length + 6)}\n== ${title} ==\n${'='.repeat(title.length + 6)}`);
}

/**
 * Prints a table. `columns` are labels; a label starting with ">" is right-aligned (the ">" is dropped).
 * `notes` follow the table, one per line.
 */
export function table(title, columns, rows, notes = []) {
  const heads = columns.map((c) => c.replace(/^>/, ''));
  const right = columns.map((c) => c.startsWith('>'));
  const cells = rows.map((r) => r.map((c) => String(c ?? '')));
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r) => `| ${r.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(heads));
  console.log(`|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const r of cells) console.log(line(r));
  for (const n of notes) console.log(`  ${n}`);
}

/** One line of the final summary: what, the figure, the target, and whether it meets it (null: no target). */
export const summaryRow = (section, figure, value, target = '—', meets = null) => ({
  section,
  figure,
  value,
  target,
  meets,
});

export function printSummary(rows) {
  const verdict = (m) => (m === true ? 'yes' : m === false ? 'NO' : '—');
  table(
    'Summary (informational: benchmarks never fail on a slow machine)',
    ['section', 'figure', '>value', 'target', 'meets'],
    rows.map((r) => [r.section, r.figure, r.value, r.target, verdict(r.meets)]),
  );
}
