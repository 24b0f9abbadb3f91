// Turns the tasks' samples into figures (medians over repetitions), ratios to each variant's anchor (ratios of
// medians, for the tables), the targets with PASS / MISS / N/A (the target table and its judging, medians over
// interleaved pairs, live in targets.mjs), and the printed table.

import { median } from './median.mjs';
import { evaluateRunTarget, evaluateTarget, RUN_TARGETS, TARGETS } from './targets.mjs';

/** Medians over the repetitions of one measure. */
export function figure(samples) {
  if (!samples || samples.length === 0) return null;
  return {
    opsPerSec: median(samples.map((s) => (s.ops > 0 ? (s.ops / s.ms) * 1000 : Number.NaN))),
    mbPerSec: median(samples.map((s) => (s.bytes > 0 ? s.bytes / 1e6 / (s.ms / 1000) : Number.NaN))),
    p50Us: median(samples.map((s) => s.p50Us)),
    p99Us: median(samples.map((s) => s.p99Us)),
    ms: median(samples.map((s) => s.ms)),
    ops: samples[0].ops,
    reps: samples.length,
  };
}

/** results: { [taskId]: { status: 'ok'|'error'|'timeout'|'unavailable', result?, error? } } */
export function buildWorkloads(plan, results) {
  return plan.map((workload) => ({
    id: workload.id,
    name: workload.name,
    variants: workload.variants.map((variant) => {
      const rows = variant.rows.map((row) => {
        const outcome = results[row.task];
        const base = { label: row.label, task: row.task, measure: row.measure, anchor: !!row.anchor, key: row.key };
        if (row.skipped) return { ...base, status: 'skipped', reason: row.skipped };
        if (!outcome) return { ...base, status: 'not run' };
        if (outcome.status !== 'ok') return { ...base, status: outcome.status, reason: outcome.error };
        const fig = figure(outcome.result.measures[row.measure]);
        if (!fig) return { ...base, status: 'n/a', reason: 'no samples' };
        return { ...base, status: 'ok', ...fig, samples: outcome.result.measures[row.measure] };
      });
      const anchor = rows.find((r) => r.anchor && r.status === 'ok');
      const pick = (r) => (variant.basis === 'mb' ? r.mbPerSec : r.opsPerSec);
      for (const row of rows) {
        if (row.status === 'ok' && anchor && pick(anchor)) row.ratio = pick(row) / pick(anchor);
      }
      return { title: variant.title, basis: variant.basis, steps: !!variant.steps, rows };
    }),
  }));
}

function row(workloads, id, variantIndex, key) {
  const w = workloads.find((x) => x.id === id);
  const r = w?.variants[variantIndex]?.rows.find((x) => x.key === key || (key === 'anchor' && x.anchor));
  return r && r.status === 'ok' ? r : undefined;
}

const x = (v) => `${v.toFixed(2)}x`;
const info = (text, value, shown) => ({ text: `  (info) ${text}`, status: 'INFO', value, shown });

/**
 * The issue's targets for one run: every row of the target table (targets.mjs) judged on the median of its
 * interleaved pairs, then the INFO rows, the UI, the bundle size and the 1M-key memory.
 */
export function buildTargets(workloads, results, uiRuns, size) {
  const targets = [];
  // Why a task did not run, where the plan skipped it (the 1M rows of a smoke run).
  const skipped = {};
  for (const w of workloads)
    for (const v of w.variants) for (const r of v.rows) if (r.status === 'skipped') skipped[r.task] = r.reason;
  for (const rowSpec of TARGETS) {
    targets.push(evaluateTarget(rowSpec, results, skipped));
    if (rowSpec.id === 'get.1M') {
      // Not targets: how much slower a get gets from 1k to 1M keys, for the LSM tree and for SQLite in the same
      // run (the memory hierarchy's share of the growth shows in SQLite's), and with every block cached (the
      // structure's cost without the I/O).
      const g1k = row(workloads, 'w5', 0, '1k');
      const g1m = row(workloads, 'w5', 0, '1M');
      const s1k = row(workloads, 'w5', 1, '1k');
      const s1m = row(workloads, 'w5', 1, '1M');
      const cached = row(workloads, 'w5', 0, 'cached');
      if (g1k && g1m)
        targets.push(
          info('LSM get cost growth 1k -> 1M keys', g1k.opsPerSec / g1m.opsPerSec, x(g1k.opsPerSec / g1m.opsPerSec)),
        );
      if (s1k && s1m)
        targets.push(
          info(
            'SQLite select cost growth 1k -> 1M keys, same run',
            s1k.opsPerSec / s1m.opsPerSec,
            x(s1k.opsPerSec / s1m.opsPerSec),
          ),
        );
      if (g1k && cached)
        targets.push(
          info(
            'LSM growth 1k -> largest, every block cached: the structure alone, I/O aside',
            g1k.opsPerSec / cached.opsPerSec,
            x(g1k.opsPerSec / cached.opsPerSec),
          ),
        );
    }
    if (rowSpec.id === 'recovery') {
      // A memcpy anchor: no replay that checks every record can come near it.
      const replay = row(workloads, 'w7', 0, 'lsm');
      const rawRead = row(workloads, 'w7', 0, 'raw');
      if (replay && rawRead)
        targets.push(
          info(
            'WAL recovery against a raw sequential read of the WAL',
            replay.mbPerSec / rawRead.mbPerSec,
            `${(replay.mbPerSec / rawRead.mbPerSec).toFixed(3)}x`,
          ),
        );
    }
  }

  for (const rowSpec of RUN_TARGETS) targets.push(evaluateRunTarget(rowSpec, { ui: uiRuns, size, results }));
  return targets;
}

const fmt = (v, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '-'
    : v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s, n) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s, n) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function formatReport(report) {
  const lines = [];
  const m = report.meta;
  lines.push(`LSM Lab benchmark (${m.mode}), ${m.timestamp}, commit ${m.commit}, ${m.browser}`);
  lines.push(
    `medians of ${m.reps} repetition(s), ${m.pairs ?? m.reps} for what the targets read${m.repeat > 1 ? `; tables from the last of ${m.repeat} runs` : ''}; load average ${m.loadAverage.start.map((v) => v.toFixed(2)).join(' ')} at start, ${m.loadAverage.end.map((v) => v.toFixed(2)).join(' ')} at end (2 cores, shared)`,
  );
  for (const w of report.workloads) {
    for (const v of w.variants) {
      lines.push('');
      lines.push(`${w.id.toUpperCase()} ${w.name}: ${v.title}`);
      const head = v.steps
        ? `  ${pad('step', 50)}${lpad('ops/s', 13)}${lpad('µs/op', 10)}${lpad('p50 µs', 9)}${lpad('p99 µs', 9)}${lpad('% of get', 10)}`
        : `  ${pad('subject', 50)}${lpad('ops/s', 13)}${lpad('MB/s', 11)}${lpad('p50 µs', 9)}${lpad('p99 µs', 9)}${lpad('x anchor', 10)}`;
      lines.push(head);
      for (const r of v.rows) {
        if (r.status !== 'ok') {
          lines.push(
            `  ${pad(r.label, 50)}${lpad('n/a', 13)}  ${r.status}${r.reason ? `: ${String(r.reason).split('\n')[0].slice(0, 110)}` : ''}`,
          );
          continue;
        }
        const middle = v.steps ? lpad(fmt(1e6 / r.opsPerSec, 2), 10) : lpad(fmt(r.mbPerSec, 2), 11);
        const last = r.ratio === undefined ? '-' : v.steps ? `${fmt(100 / r.ratio, 0)} %` : fmt(r.ratio, 2);
        lines.push(
          `  ${pad(r.label, 50)}${lpad(fmt(r.opsPerSec), 13)}${middle}${lpad(fmt(r.p50Us, 1), 9)}${lpad(fmt(r.p99Us, 1), 9)}${lpad(last, 10)}`,
        );
      }
    }
  }
  lines.push('');
  lines.push('W9 UI responsiveness (the real app, vite preview, Workload panel, animation instant)');
  for (const ui of report.ui ?? []) {
    const what = `${ui.name}, ${ui.operations.toLocaleString('en')} ops, memtable ${ui.memtable ?? 'app default'}`;
    if (ui.error) {
      lines.push(`  ${what}: error: ${ui.error.split('\n')[0]}`);
      continue;
    }
    lines.push(
      `  ${what}${ui.target ? ' (target)' : ''}: ${(ui.ms / 1000).toFixed(1)} s, ${ui.longTasks} long tasks (longest ${fmt(ui.longestTaskMs)} ms, ${fmt(ui.longTaskMs)} ms in total), ${fmt(ui.fps, 1)} fps (worst 1 s window ${fmt(ui.worstWindowFps, 1)}, longest frame ${fmt(ui.longestFrameMs, 1)} ms); idle before: ${fmt(ui.idleFps, 1)} fps`,
    );
  }
  lines.push('');
  lines.push('W10 initial JS (production build)');
  const size = report.size;
  if (size?.error) lines.push(`  error: ${size.error}`);
  else if (size) {
    if (size.origins) {
      const parts = Object.entries(size.origins)
        .slice(0, 8)
        .map(([name, bytes]) => `${name} ${fmt(bytes / 1000, 1)} KB (${fmt((100 * bytes) / size.rawBytes, 0)} %)`);
      lines.push(`  raw bytes by origin (source map): ${parts.join(', ')}`);
    }
    lines.push(
      `  ${size.file} and the ${fmt((size.files ?? 1) - 1)} chunk(s) it imports: ${fmt(size.rawBytes / 1000, 1)} KB raw, ${fmt(size.gzipBytes / 1000, 1)} KB gzip (${fmt(size.gzipBytes / 1024, 1)} KiB; the entry alone ${fmt((size.entryGzipBytes ?? size.gzipBytes) / 1000, 1)} KB); engine worker chunk ${fmt(size.workerGzipBytes / 1000, 1)} KB gzip (loaded after start)`,
    );
  }
  // Prefix compression's effect on size: the same keys and values built in format 1 and in format 2.
  const formats = report.tasks?.['lsm.read']?.info?.sstableBytes;
  if (formats) {
    lines.push('');
    lines.push('SSTable bytes by format (bench keys, 4 KiB blocks, bloom 10 bits/key, no compression)');
    for (const [set, f] of Object.entries(formats)) {
      lines.push(
        `  ${pad(`${set}, ${fmt(f.keys)} keys`, 50)} format 1 (whole keys) ${fmt(f.before)} B, format 2 (prefix-compressed) ${fmt(f.after)} B: ${fmt((100 * f.after) / f.before, 1)} %`,
      );
    }
  }
  lines.push('');
  lines.push(
    m.repeat > 1
      ? `Targets (each ratio: the median over interleaved pairs; the worst of ${m.repeat} runs' medians, then each run's)`
      : `Targets (each ratio: the median over ${m.pairs ?? '?'} interleaved pairs, then how many pairs and their min-max)`,
  );
  for (const t of report.targets) {
    lines.push(`  ${pad(t.status, 5)} ${pad(t.text, 80)} ${t.status === 'N/A' ? t.note : t.shown}`);
  }
  if (report.notes.length) {
    lines.push('');
    lines.push('Notes');
    for (const note of report.notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}
