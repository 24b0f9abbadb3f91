// The task loop: each task in its own worker (memory sampled, CPU profiled when asked), a group's members pair
// by pair, then the app's UI workloads. `run` carries the run's options ({ mode, skipUi, profileTasks }) and
// collects what went wrong ({ crashes, notes }).
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { schedule, sizes } from '../plan.mjs';
import { profileCpu, sampleMemory, summarizeProfiles, taskWorkerSession } from './cdp.mjs';
import { log } from './log.mjs';
import { mergeOutcomes } from './outcomes.mjs';
import { uiResponsiveness } from './ui.mjs';

export async function runTask(page, entry, cdp, knownWorkers, run) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, timeout: true, error: `timed out after ${entry.timeoutMs / 1000} s` }),
      entry.timeoutMs,
    );
  });
  const started = Date.now();
  const profile = run.profileTasks.has(entry.id.replace(/ \(rep \d+\)$/, ''));
  if (entry.memory || profile) {
    // Workers of earlier tasks may still be listed while they die: never mistake one for this task's.
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const t of targetInfos) if (t.type === 'worker') knownWorkers.add(t.targetId);
  }
  // A profiled task's worker stays alive after it answers, until its profile is taken.
  const running = page
    .evaluate(({ task, keep }) => window.runTask(task, keep), { task: entry.task, keep: profile })
    .catch((error) => ({ ok: false, error: `the page failed: ${error?.message ?? error}` }));
  let stopped = false;
  const isStopped = () => stopped;
  const watching =
    entry.memory || profile
      ? (async () => {
          const session = await taskWorkerSession(cdp, knownWorkers, isStopped);
          try {
            return await Promise.all([
              entry.memory ? sampleMemory(session, page, isStopped) : undefined,
              profile ? profileCpu(session, page, isStopped) : undefined,
            ]);
          } finally {
            await session.close();
          }
        })().catch((error) => [{ error: String(error?.message ?? error) }, undefined])
      : Promise.resolve([]);
  const reply = await Promise.race([running, timeout]);
  clearTimeout(timer);
  stopped = true;
  const [memory, profiles] = await watching;
  if (profile) await page.evaluate(() => window.stopTasks()).catch(() => {});
  for (const phase of new Set((profiles ?? []).map((p) => p.phase))) {
    const mine = profiles.filter((p) => p.phase === phase).map((p) => p.profile);
    const file = join(tmpdir(), `lsm-lab-bench-${entry.id}-${phase.replace(/\W+/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(mine[mine.length - 1]));
    // BENCH_ALL_PROFILES=1: every repetition's profile as well, as <file>.0, <file>.1, ...
    if (process.env.BENCH_ALL_PROFILES)
      for (const [i, p] of mine.entries()) writeFileSync(`${file}.${i}`, JSON.stringify(p));
    log(`${entry.id}: CPU self time in phase ${phase} (${mine.length} profile(s); the last saved to ${file}):`);
    for (const t of summarizeProfiles(mine))
      log(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.ms.toFixed(1).padStart(9)} ms  ${t.fn}`);
  }
  if (reply.timeout) await page.evaluate(() => window.stopTasks()).catch(() => {});
  const seconds = (Date.now() - started) / 1000;
  if (reply.ok && reply.result.unavailable) {
    log(`${entry.id}: n/a (${reply.result.unavailable}) ${seconds.toFixed(1)} s`);
    return { status: 'unavailable', error: reply.result.unavailable, seconds };
  }
  if (reply.ok && reply.result.failed) {
    log(`${entry.id}: FAILED (${reply.result.failed}) ${seconds.toFixed(1)} s`);
    run.notes.push(`${entry.id}: ${reply.result.failed}`);
    return { status: 'failed', error: reply.result.failed, seconds, info: reply.result.info };
  }
  if (reply.ok) {
    const peak = memory?.peakLiveBytes
      ? `, worker memory peak ${(memory.peakLiveBytes / 2 ** 20).toFixed(1)} MiB live`
      : '';
    log(`${entry.id}: ok ${seconds.toFixed(1)} s${peak}`);
    return { status: 'ok', result: reply.result, seconds, memory };
  }
  const peer = entry.id.startsWith('sqlite.') || entry.id.startsWith('idb.');
  // (A group's repetition has an id like "raw.put.116 (rep 2)"; the prefix test above still holds.)
  log(`${entry.id}: ${reply.timeout ? 'TIMEOUT' : 'ERROR'} ${reply.error.split('\n')[0]}`);
  if (!peer && !(reply.timeout && run.mode === 'full')) run.crashes.push(`${entry.id}: ${reply.error.split('\n')[0]}`);
  return { status: reply.timeout ? 'timeout' : 'error', error: reply.error, seconds };
}

/** The whole suite once: every selected task (a group's members pair by pair), then the UI workloads. */
export async function runSuite(page, cdp, knownWorkers, selected, context, servers, run) {
  const started = Date.now();
  const results = {};
  let ui;
  for (const step of schedule(selected)) {
    const previous = results[step.of];
    if (step.pair === 0 || !previous) {
      results[step.of] = await runTask(page, step.entry, cdp, knownWorkers, run);
      continue;
    }
    if (previous.status !== 'ok') continue; // failed once: not again
    const outcome = await runTask(page, step.entry, cdp, knownWorkers, run);
    results[step.of] = outcome.status === 'ok' ? mergeOutcomes(previous, outcome) : outcome;
  }
  if (!run.skipUi) {
    ui = [];
    for (const scenario of sizes(run.mode).ui) {
      log(
        `UI responsiveness, ${scenario.name}: ${scenario.operations.toLocaleString('en')} operations through the Workload panel`,
      );
      try {
        const measured = await uiResponsiveness(context, servers.appUrl, scenario, run.profileTasks.has('ui'));
        ui.push({ ...scenario, ...measured });
        log(`UI: ${measured.status.trim()} ${measured.longTasks} long tasks, ${measured.fps.toFixed(1)} fps`);
        for (const frame of measured.longFrames ?? []) {
          const scripts = frame.scripts.map((s) => `${s.invoker} ${s.fn || '(anonymous)'} ${s.source} ${s.ms} ms`);
          log(
            `  long frame at ${frame.start} ms: ${frame.duration} ms (${frame.blockingMs} blocking, render ${frame.renderMs}, style and layout ${frame.styleAndLayoutMs}); scripts: ${scripts.join('; ') || 'none'}`,
          );
        }
      } catch (error) {
        ui.push({ ...scenario, error: String(error?.message ?? error) });
        run.crashes.push(`ui ${scenario.name}: ${String(error?.message ?? error).split('\n')[0]}`);
      }
    }
  }
  return { results, ui, seconds: (Date.now() - started) / 1000, loadAverageEnd: loadavg() };
}
