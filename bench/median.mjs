// The median the benchmark reports (report.mjs) and the lab's Performance view plots (web/perf/plan.ts, through
// bench/src/lab.ts): the middle of the finite figures, the mean of the two middle ones when their count is even.

/** The median of the finite numbers among `values`, or null when there are none. */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
