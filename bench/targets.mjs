// The benchmark's targets as data, and how one is judged. A ratio target compares two subjects that ran
// interleaved, pair by pair (A B A B ..., see `tasks` in plan.mjs): pair i's ratio is the numerator's i-th sample
// over the denominator's i-th, and the target is judged on the median of those ratios, shown with their min-max.
// A slow stretch of the shared machine then lands in one pair, and moves the median little. With --repeat=N the
// whole suite runs N times and each target keeps the worst of its N medians.

import { median } from './median.mjs';

/**
 * One row per target. `num` and `den` name a task (plan.mjs) and one of its measures; `num` may list several
 * candidates, the best of them (highest median ratio) counts and is named. `basis`: 'ops' compares ops/s, 'mb'
 * compares MB/s. No `den`: the numerator's own figure is the value. `direction`: 'higher' (value >= threshold
 * passes) or 'lower' (value <= threshold passes).
 */
export const TARGETS = [
  {
    id: 'put.durable',
    text: 'durable put >= 0.9x raw OPFS append+flush (116 B, interleaved in one worker)',
    num: { task: 'pair.put.116', measure: 'lsm-put' },
    den: { task: 'pair.put.116', measure: 'raw-put' },
    basis: 'ops',
    threshold: 0.9,
    direction: 'higher',
  },
  {
    id: 'batched.sqlite',
    text: 'batched puts (LSM best) >= 1.0x SQLite one-transaction bulk',
    num: [
      { task: 'lsm.group.116', measure: 'put', name: 'group commit' },
      { task: 'lsm.batch.116', measure: 'put', name: 'WriteBatch of 64' },
      { task: 'lsm.batchAll.116', measure: 'put', name: 'one WriteBatch' },
    ],
    den: { task: 'sqlite.bulk.116', measure: 'bulk' },
    basis: 'ops',
    threshold: 1.0,
    direction: 'higher',
  },
  {
    // The raw anchor flushes every 64 records: only the LSM ways that flush at least as often count. (The durable
    // loop, a flush per put, runs in w1's group, not beside these anchors, and is never the best.)
    id: 'batched.raw',
    text: 'batched puts (LSM best flushing per 64 or more often) >= 0.5x raw batched append+flush',
    num: [
      { task: 'lsm.group.116', measure: 'put', name: 'group commit' },
      { task: 'lsm.batch.116', measure: 'put', name: 'WriteBatch of 64' },
    ],
    den: { task: 'raw.batched.116', measure: 'batched' },
    basis: 'ops',
    threshold: 0.5,
    direction: 'higher',
  },
  {
    id: 'batched.1k',
    text: '1 KiB values: WriteBatch of 64 >= 0.5x raw batched append+flush (in turns in one worker)',
    num: { task: 'pair.batch.1k', measure: 'lsm-batch' },
    den: { task: 'pair.batch.1k', measure: 'raw-batched' },
    basis: 'ops',
    threshold: 0.5,
    direction: 'higher',
  },
  {
    id: 'get.sqlite',
    text: 'get on 100k keys >= 1.5x SQLite select',
    num: { task: 'lsm.read', measure: 'get' },
    den: { task: 'sqlite.read', measure: 'get' },
    basis: 'ops',
    threshold: 1.5,
    direction: 'higher',
  },
  {
    id: 'get.rate',
    text: 'get on 100k keys >= 100,000 gets/s',
    num: { task: 'lsm.read', measure: 'get' },
    basis: 'ops',
    threshold: 100_000,
    direction: 'higher',
    unit: 'per-second',
  },
  {
    id: 'get.idb',
    text: 'get on 100k keys >= 40x IndexedDB get',
    num: { task: 'lsm.read', measure: 'get' },
    den: { task: 'idb.read', measure: 'get' },
    basis: 'ops',
    threshold: 40,
    direction: 'higher',
  },
  {
    id: 'get.negative',
    text: 'negative get, bloom on >= 1.0x SQLite absent select',
    num: { task: 'lsm.read', measure: 'negative' },
    den: { task: 'sqlite.read', measure: 'negative' },
    basis: 'ops',
    threshold: 1.0,
    direction: 'higher',
  },
  {
    id: 'get.1M',
    text: 'get on 1M keys >= 1.5x SQLite select on the same 1M keys',
    num: { task: 'pair.get.1M', measure: 'lsm-get' },
    den: { task: 'pair.get.1M', measure: 'sqlite-get' },
    basis: 'ops',
    threshold: 1.5,
    direction: 'higher',
  },
  {
    id: 'scan.sqlite',
    text: 'range scan >= 1.0x SQLite SELECT ... ORDER BY k',
    num: { task: 'lsm.read', measure: 'scan' },
    den: { task: 'sqlite.read', measure: 'scan' },
    basis: 'mb',
    threshold: 1.0,
    direction: 'higher',
  },
  {
    id: 'recovery',
    text: 'WAL recovery >= 0.33x the checked read (whole WAL + CRC32C per record, same worker)',
    num: { task: 'lsm.recovery', measure: 'replay' },
    den: { task: 'lsm.recovery', measure: 'checked-read' },
    basis: 'mb',
    threshold: 0.33,
    direction: 'higher',
  },
  {
    id: 'compaction',
    text: 'compaction (bytes written) >= 0.1x a raw OPFS copy of the same bytes (same worker)',
    num: { task: 'lsm.compaction', measure: 'compaction-write' },
    den: { task: 'lsm.compaction', measure: 'raw-copy' },
    basis: 'mb',
    threshold: 0.1,
    direction: 'higher',
  },
];

const MiB = 1024 * 1024;

/**
 * The targets read from a run as a whole rather than from task pairs, one row each: `from` says where the value
 * is, `ui` (a UI workload of plan.mjs, by name, and one of its figures), `size` (a figure of the initial JS) or
 * `memory` (a task's live memory peak); `scale` turns it into the unit the threshold is in, `unit` says how it
 * reads. A UI workload, the size and the memory are measured once per run: no pairs, and with --repeat=N the worst
 * of N runs.
 */
export const RUN_TARGETS = [
  {
    id: 'ui.longTasks',
    text: 'UI: 0 long tasks (> 50 ms) during the bulk workload',
    from: { ui: 'bulk load', field: 'longTasks' },
    threshold: 0,
    direction: 'lower',
    unit: 'long tasks',
  },
  {
    id: 'ui.fps',
    text: 'UI: >= 55 fps during the bulk workload',
    from: { ui: 'bulk load', field: 'fps' },
    threshold: 55,
    direction: 'higher',
    unit: 'fps',
  },
  {
    id: 'ui.classroom.longTasks',
    text: 'UI: 0 long tasks (> 50 ms) during the classroom default workload (2,000 ops, 256 B memtable)',
    from: { ui: 'classroom default', field: 'longTasks' },
    threshold: 0,
    direction: 'lower',
    unit: 'long tasks',
  },
  {
    id: 'size.js',
    text: 'initial JS (the entry and the chunks it imports) <= 150 KB gzip',
    from: { size: 'gzipBytes' },
    scale: 1 / 1000,
    threshold: 150,
    direction: 'lower',
    unit: 'KB',
  },
  {
    id: 'memory.1M',
    text: '1M-key load: worker heap <= memtable budget (4 MiB) + 64 MiB',
    from: { memory: 'lsm.growth.1M' },
    scale: 1 / MiB,
    threshold: 68,
    direction: 'lower',
    unit: 'MiB',
  },
];

const UNITS = {
  'long tasks': (v) => `${v} long tasks`,
  fps: (v) => `${v.toFixed(1)} fps`,
  KB: (v) => `${v.toFixed(1)} KB`,
  MiB: (v) => `${v.toFixed(1)} MiB live peak (V8 heap + array buffers)`,
};

/**
 * One RUN_TARGETS row judged on one run: `ui` the run's UI workloads ([{ name, error?, ...figures }]), `size`
 * the initial JS figures (or { error }), `results` the tasks' outcomes (a memory row reads `memory.peakLiveBytes`).
 */
export function evaluateRunTarget(row, { ui, size, results } = {}) {
  const base = { id: row.id, text: row.text, threshold: row.threshold, direction: row.direction };
  let raw;
  let missing;
  if (row.from.ui) {
    const run = ui?.find((u) => u.name === row.from.ui);
    raw = run?.[row.from.field];
    missing = run?.error ?? (ui ? `UI workload '${row.from.ui}' not in this run's plan` : 'UI not run');
  } else if (row.from.size) {
    raw = size?.[row.from.size];
    missing = size?.error ?? 'no build';
  } else if (row.from.memory) {
    const task = results?.[row.from.memory];
    raw = task?.status === 'ok' ? task.memory?.peakLiveBytes : undefined;
    missing = !task
      ? `${row.from.memory} not run`
      : task.status !== 'ok'
        ? `${row.from.memory} ${task.status}`
        : `memory not sampled (${task.memory?.error ?? 'no sample'})`;
  }
  const value = typeof raw === 'number' && Number.isFinite(raw) ? raw * (row.scale ?? 1) : null;
  const status = judge(value, row.threshold, row.direction);
  if (status === 'N/A') return { ...base, status, value: null, note: missing };
  return { ...base, status, value, shown: (UNITS[row.unit] ?? String)(value) };
}

/** The tasks any ratio target reads: the plan runs these pair by pair (at least `pairs` times). */
export function targetTasks(targets = TARGETS) {
  const ids = new Set();
  for (const t of targets) for (const side of [t.num, t.den].flat()) if (side) ids.add(side.task);
  return ids;
}

/** One sample's figure: ops/s or MB/s; NaN when it has none. */
export function sampleValue(sample, basis) {
  if (!sample || !(sample.ms > 0)) return Number.NaN;
  const amount = basis === 'mb' ? sample.bytes / 1e6 : sample.ops;
  return amount > 0 ? (amount / sample.ms) * 1000 : Number.NaN;
}

/**
 * Pair i's ratio, numerator sample i over denominator sample i, for as many pairs as both sides have. No
 * denominator: the numerator's own figures.
 */
export function pairRatios(numSamples, denSamples, basis) {
  if (!denSamples) return numSamples.map((s) => sampleValue(s, basis));
  const n = Math.min(numSamples.length, denSamples.length);
  return Array.from({ length: n }, (_, i) => sampleValue(numSamples[i], basis) / sampleValue(denSamples[i], basis));
}

/** Median and min-max of the finite values, and how many there were. */
export function spread(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return { median: null, min: null, max: null, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** PASS, MISS, or N/A when there is no value. */
export function judge(value, threshold, direction) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'N/A';
  return (direction === 'lower' ? value <= threshold : value >= threshold) ? 'PASS' : 'MISS';
}

/** The worst of several runs' values (the lowest where higher is better); null when none has one. */
export function worstOf(values, direction) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return null;
  return direction === 'lower' ? Math.max(...finite) : Math.min(...finite);
}

/** How a target's value reads: 0.93x, or 123,456/s for an absolute rate. */
export function formatValue(row, value) {
  if (value === null || value === undefined) return '-';
  if (row.unit === 'per-second') return `${Math.round(value).toLocaleString('en')}/s`;
  return `${value.toFixed(2)}x`;
}

function samplesOf(results, side) {
  const outcome = results[side.task];
  if (!outcome) return { missing: `${side.task}: not run` };
  if (outcome.status !== 'ok')
    return {
      missing: `${side.task}: ${outcome.status}${outcome.error ? ` (${String(outcome.error).split('\n')[0]})` : ''}`,
    };
  const samples = outcome.result?.measures?.[side.measure];
  if (!samples?.length) return { missing: `${side.task}: no '${side.measure}' samples` };
  return { samples };
}

/**
 * One target row judged on one run's results ({ [taskId]: { status, result: { measures } } }): the median over
 * pairs, its min-max, every pair's ratio, PASS / MISS / N/A. `skipped` maps a task id to why it did not run.
 */
export function evaluateTarget(row, results, skipped = {}) {
  const base = { id: row.id, text: row.text, threshold: row.threshold, direction: row.direction };
  const den = row.den ? samplesOf(results, row.den) : { samples: undefined };
  const candidates = [row.num].flat().map((side) => {
    const num = samplesOf(results, side);
    if (num.missing || den.missing) return { side, missing: num.missing ?? den.missing };
    const pairs = pairRatios(num.samples, den.samples, row.basis);
    return { side, pairs, ...spread(pairs) };
  });
  const measured = candidates.filter((c) => c.median !== null && c.median !== undefined);
  if (measured.length === 0) {
    const first = candidates[0];
    const task = first?.missing?.split(':')[0];
    const note = (task && skipped[task]) ?? first?.missing ?? 'not measured';
    return { ...base, status: 'N/A', value: null, note };
  }
  const best = measured.reduce((a, b) =>
    row.direction === 'lower' ? (b.median < a.median ? b : a) : b.median > a.median ? b : a,
  );
  const text = best.side.name ? `${row.text} [${best.side.name}]` : row.text;
  return {
    ...base,
    text,
    status: judge(best.median, row.threshold, row.direction),
    value: best.median,
    min: best.min,
    max: best.max,
    pairs: best.pairs,
    shown: `${formatValue(row, best.median)} (${best.n} pairs, ${formatValue(row, best.min)}-${formatValue(row, best.max)})`,
  };
}

/**
 * Several runs' targets (each a list from buildTargets) as one list: per target the worst of the runs' medians,
 * judged again, with every run's median and min-max kept. INFO rows keep the last run's value.
 */
export function combineRuns(runs) {
  if (runs.length === 1) return runs[0];
  // Matched by id (an INFO row by its text): a run may lack an INFO row another has (a 1M load that timed out).
  const key = (t) => t.id ?? t.text;
  const order = [];
  for (const run of runs) for (const t of run) if (!order.includes(key(t))) order.push(key(t));
  return order.map((k) => {
    const mine = runs.map((run) => run.find((t) => key(t) === k)).filter(Boolean);
    const first = mine[0];
    if (first.status === 'INFO') return { ...mine.at(-1), runs: mine.map((t) => t.value ?? null) };
    const direction = first.direction ?? 'higher';
    const value = worstOf(
      mine.map((t) => t.value),
      direction,
    );
    const status = judge(value, first.threshold, direction);
    const perRun = mine.map((t) => (t.value === null || t.value === undefined ? 'n/a' : t.shown.split(' ')[0]));
    return {
      id: first.id,
      text: first.text,
      threshold: first.threshold,
      direction,
      status,
      value,
      runs: mine.map((t) => ({ value: t.value ?? null, min: t.min ?? null, max: t.max ?? null, status: t.status })),
      // The worst run's median with its pairs' min-max, then every run's median.
      shown:
        status === 'N/A'
          ? undefined
          : `${mine.find((t) => t.value === value)?.shown}; worst of ${runs.length} runs (${perRun.join(', ')})`,
      note: status === 'N/A' ? mine.find((t) => t.note)?.note : undefined,
    };
  });
}
