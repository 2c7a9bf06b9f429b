// Fixed histogram buckets (milliseconds) for every latency metric. A bucket i holds values <= BOUNDS[i] (and above
// BOUNDS[i-1]); the last one everything beyond. Counts add across hours, days and tenants, so a percentile over any
// range is exact to the bucket: reported as the bucket's upper bound, never better than what was measured.
export const BOUNDS = [
  25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 600, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000,
  15_000, 20_000, 30_000, 60_000,
] as const;

export function bucketOf(ms: number): number {
  for (let i = 0; i < BOUNDS.length; i++) if (ms <= BOUNDS[i]!) return i;
  return BOUNDS.length;
}

/** The value at quantile q (0..1) of a histogram given as counts per bucket index; null when empty. */
export function quantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const i of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(i)!;
    // Beyond the last bound: report the last bound (a lower limit), the histogram knows no more.
    if (seen >= rank) return BOUNDS[Math.min(i, BOUNDS.length - 1)]!;
  }
  return BOUNDS[BOUNDS.length - 1]!;
}
