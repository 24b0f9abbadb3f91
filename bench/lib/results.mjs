// The report: every run's workloads and targets, the notes that explain the figures, the printed table and the
// JSON (bench/results/ for a full run, $TMPDIR otherwise).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../median.mjs';
import { workloads as planWorkloads, sizes } from '../plan.mjs';
import { buildTargets, buildWorkloads, formatReport } from '../report.mjs';
import { combineRuns } from '../targets.mjs';
import { log, startedAt } from './log.mjs';

/** HEAD, marked when engine/ or web/ differ from it (the figures are of the working tree). */
function gitCommit(root) {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'engine', 'web'], {
      cwd: root,
      encoding: 'utf8',
    });
    return dirty.trim() ? `${head} + uncommitted changes in engine/ or web/` : head;
  } catch {
    return 'unknown';
  }
}

/** What the figures rest on, and what the big load and the growth datasets looked like. */
function explain(results, notes, crashes) {
  notes.push(
    'Read, scan, growth, recovery and compaction datasets are loaded through db.put with WAL flushes skipped by a bench-only storage wrapper (a flush per put would make 1M keys take ~7 min); the load ends with a real db.flush() and compaction, and every measured operation runs on plain OpfsStorage.',
    'The engine runs directly in the benchmark worker (no postMessage per operation); the peers run in the same kind of worker on the same OPFS profile.',
    'Worker memory is sampled over the DevTools protocol while a task runs (performance.memory does not exist in workers): V8 heap + ArrayBuffer backing stores; the live peak is the highest figure right after a forced GC (every 2 s).',
    'The machine has 2 cores and may be shared with other work: compare ratios within a run, not absolute figures across runs.',
  );
  const big = results['lsm.growth.1M'];
  if (big && big.status !== 'ok')
    notes.push(`1M keys: ${big.status} (${String(big.error).split('\n')[0]}); the 1M-key targets are N/A.`);
  if (big?.status === 'ok') {
    const l = big.result.info.load;
    const m = big.memory ?? {};
    const mib = (v) => (typeof v === 'number' ? `${(v / 2 ** 20).toFixed(1)} MiB` : 'n/a');
    notes.push(
      `1M-key load: ${(l.loadMs / 1000).toFixed(1)} s (flushes ${(l.flushMs / 1000).toFixed(1)} s, compactions ${(l.compactionMs / 1000).toFixed(1)} s for ${(l.compactionBytesWritten / 1e6).toFixed(0)} MB written = ${(l.compactionBytesWritten / 1e6 / (l.compactionMs / 1000)).toFixed(1)} MB/s); worker memory peak ${mib(m.peakBytes)} incl. garbage, ${mib(m.peakLiveBytes)} live (heap ${mib(m.peakLiveHeapBytes)} + array buffers ${mib(m.peakLiveBackingBytes)})${m.error ? `; sampler: ${m.error}` : ''}.`,
    );
  }
  for (const [id, r] of Object.entries(results)) {
    if (!id.startsWith('lsm.growth.') || r.status !== 'ok') continue;
    const i = r.result.info;
    const live = r.memory?.peakLiveBytes;
    notes.push(
      `${id}: layout ${JSON.stringify(i.levels)}, per get ${i.presentPath.tablesPerGet.toFixed(2)} tables in range, ${i.presentPath.bloomSkipsPerGet.toFixed(2)} bloom skips, ${i.presentPath.blocksPerGet.toFixed(2)} blocks read; load ${(i.load.loadMs / 1000).toFixed(1)} s${live ? `; worker memory live peak ${(live / 2 ** 20).toFixed(1)} MiB` : ''}${i.rawBlockReadUs ? `; a raw random 4 KiB read over its tables costs ${i.rawBlockReadUs.oneBuffer.toFixed(1)} µs into one buffer, ${i.rawBlockReadUs.manyBuffers.toFixed(1)} µs into 8,000 in turn` : ''}.`,
    );
  }
  const warmed = [];
  for (const [id, r] of Object.entries(results)) {
    const cold = r.status === 'ok' ? r.result.info?.coldPass : undefined;
    if (!cold) continue;
    for (const [name, samples] of Object.entries(cold)) {
      const ms = (list) => median((list ?? []).map((sample) => sample.ms));
      const [first, timed] = [ms(samples), ms(r.result.measures[name])];
      if (first !== null && timed !== null) warmed.push(`${id} ${first.toFixed(0)} -> ${timed.toFixed(0)} ms`);
    }
  }
  if (warmed.length)
    notes.push(
      `Write-batch pairs (group batched.*) are timed after one untimed pass of the same loop in the same worker (Task.warmUp), as the durable put's pairs are; median of the cold first passes -> of the timed ones: ${warmed.join(', ')}.`,
    );
  const levels = results['lsm.read']?.result?.info.levels;
  if (levels) notes.push(`w3/w4/w6 LSM layout: ${JSON.stringify(levels)} (${Object.keys(levels).length} levels).`);
  if (crashes.length) notes.push(`crashed: ${crashes.join('; ')}`);
}

/**
 * Builds the report from what `measure` returned, prints it and writes its JSON. `run`: the run's options
 * ({ mode, only, skipUi, repeat, loadStart }) and what went wrong ({ crashes, notes }).
 */
export function writeReport({ runs, probe, size }, run, root, benchDir) {
  const { mode, only, skipUi, repeat, notes, crashes } = run;
  // Every run's figures and targets; the report's tables are the last run's, its targets the worst of all.
  const perRun = runs.map((r) => {
    const workloads = buildWorkloads(planWorkloads(mode), r.results);
    return { ...r, workloads, targets: buildTargets(workloads, r.results, r.ui, skipUi ? undefined : size) };
  });
  const last = perRun.at(-1);
  const { results, ui, workloads } = last;
  const targets = combineRuns(perRun.map((r) => r.targets));
  explain(results, notes, crashes);

  const timestamp = new Date(startedAt).toISOString();
  const report = {
    meta: {
      mode,
      timestamp,
      commit: gitCommit(root),
      reps: sizes(mode).reps,
      pairs: sizes(mode).pairs,
      repeat,
      browser: probe?.userAgent?.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium',
      node: process.version,
      worker: probe,
      seconds: (Date.now() - startedAt) / 1000,
      loadAverage: { start: run.loadStart, end: loadavg() },
    },
    workloads,
    ui: ui ?? null,
    size: skipUi ? null : size,
    targets,
    runs:
      repeat > 1
        ? perRun.map((r, i) => ({
            run: i + 1,
            seconds: r.seconds,
            loadAverageEnd: r.loadAverageEnd,
            targets: r.targets,
            workloads: r.workloads,
            ui: r.ui ?? null,
          }))
        : undefined,
    notes,
    tasks: Object.fromEntries(
      Object.entries(results).map(([id, r]) => [
        id,
        { status: r.status, seconds: r.seconds, error: r.error, info: r.result?.info ?? r.info, memory: r.memory },
      ]),
    ),
  };
  console.log(`\n${formatReport(report)}\n`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (mode === 'full' && !only) {
    const dir = join(benchDir, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${timestamp.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, json);
    writeFileSync(join(dir, 'latest.json'), json);
    log(`wrote ${file} and bench/results/latest.json`);
  } else {
    // Smoke and partial runs do not replace the committed results.
    const file = join(tmpdir(), `lsm-lab-bench-${mode}${only ? '-partial' : ''}.json`);
    writeFileSync(file, json);
    log(`wrote ${file}`);
  }
  log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
}
