// The real app's responsiveness: a workload run through its Workload panel while the main thread is watched.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyStretches, summarizeProfiles } from './cdp.mjs';
import { log } from './log.mjs';

/**
 * The real app under a big workload: long tasks (> 50 ms) on the main thread from a PerformanceObserver, and
 * frames from requestAnimationFrame, from the click on "Run workload" until the status says it is done.
 */
export async function uiResponsiveness(context, appUrl, scenario, profile = false) {
  const { operations, memtable } = scenario;
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(appUrl);
    await page.getByTestId('connection').filter({ hasText: 'On disk (OPFS)' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Animation speed').selectOption('instant');
    // Every scenario starts from an empty database: the profile (and its OPFS) is shared between scenarios. Reset
    // sits in the toolbar's More menu; settings and the workload open in the dock beside the picture.
    await page.locator('details.more-menu summary').first().click();
    await page.getByRole('button', { name: 'Reset database', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Reset: every file deleted' }).waitFor({ timeout: 60_000 });
    const dock = (name) => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true });
    if (memtable) {
      await dock('Settings').click();
      await page.getByLabel('Memtable limit').selectOption({ label: memtable });
      await page.waitForTimeout(300); // the setting travels to the worker
    }
    await dock('Workload').click();
    const panel = page.getByRole('region', { name: 'Workload', exact: true });
    await panel.getByRole('spinbutton', { name: 'Operations', exact: true }).fill(String(operations));
    await page.evaluate(() => {
      const perf = { longTasks: [], longFrames: [], frames: [], running: true };
      window.__benchPerf = perf;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask' });
      // What a long task was made of: the long animation frames that block (Chrome's LoAF entries name each script
      // that ran in the frame, who invoked it and for how long, and the frame's style and layout time).
      if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (e.blockingDuration <= 0) continue;
            perf.longFrames.push({
              start: Math.round(e.startTime),
              duration: Math.round(e.duration),
              blockingMs: Math.round(e.blockingDuration),
              renderMs: Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0),
              styleAndLayoutMs: Math.round(
                e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
              ),
              scripts: e.scripts.map((script) => ({
                invoker: script.invoker,
                fn: script.sourceFunctionName,
                source: `${(script.sourceURL ?? '').split('/').pop()}:${script.sourceCharPosition}`,
                ms: Math.round(script.duration),
                forcedLayoutMs: Math.round(script.forcedStyleAndLayoutDuration),
              })),
            });
          }
        }).observe({ type: 'long-animation-frame' });
      }
      const tick = (t) => {
        perf.frames.push(t);
        if (perf.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(1000); // idle frame rate, for comparison
    const profiler = profile ? await context.newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    const clickAt = await page.evaluate(() => performance.now());
    await panel.getByRole('button', { name: 'Run workload', exact: true }).click();
    // Polled four times a second with one querySelectorAll, not by a locator: a role locator computes the ARIA
    // role and visibility of the whole page every frame, main-thread work that made long tasks of its own.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="status"]')].some((e) =>
          /Workload (done|cancelled)/.test(e.textContent ?? ''),
        ),
      undefined,
      { polling: 250, timeout: 600_000 },
    );
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      const file = join(tmpdir(), `lsm-lab-bench-ui-${scenario.name.replace(/\W+/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`UI main thread, CPU self time during the ${scenario.name} workload (profile saved to ${file}):`);
      for (const t of summarizeProfiles([profile], 30))
        log(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.ms.toFixed(1).padStart(9)} ms  ${t.fn}`);
      const stretches = busyStretches(profile);
      log(`${stretches.length} stretches of >= 50 ms without an idle sample (the long tasks, roughly); the longest:`);
      for (const s of [...stretches].sort((a, b) => b.ms - a.ms).slice(0, 8))
        log(
          `  at ${(s.atMs / 1000).toFixed(1)} s, ${s.ms.toFixed(0)} ms: entries ${s.entries.join(', ')}; self ${s.self.join(', ')}`,
        );
    }
    await page.waitForTimeout(300); // the last render after the answer
    return await page.evaluate(
      ({ clickAt, operations, memtable }) => {
        const perf = window.__benchPerf;
        perf.running = false;
        const end = performance.now();
        const fps = (frames) => (frames.length < 2 ? 0 : ((frames.length - 1) * 1000) / (frames.at(-1) - frames[0]));
        const idle = perf.frames.filter((t) => t < clickAt);
        const busy = perf.frames.filter((t) => t >= clickAt && t <= end);
        let worst = Number.POSITIVE_INFINITY;
        for (let i = 0, j = 0; i < busy.length; i++) {
          while (j < busy.length && busy[j] < busy[i] + 1000) j++;
          if (busy[i] + 1000 <= end) worst = Math.min(worst, j - i);
        }
        let longestFrame = 0;
        for (let i = 1; i < busy.length; i++) longestFrame = Math.max(longestFrame, busy[i] - busy[i - 1]);
        const tasks = perf.longTasks.filter((t) => t.start >= clickAt);
        // The frames that held each long task: what ran in them (at most 5, longest blocking first).
        const longFrames = perf.longFrames
          .filter(
            (f) =>
              f.start + f.duration >= clickAt &&
              tasks.some((t) => t.start < f.start + f.duration && t.start + t.duration > f.start),
          )
          .sort((a, b) => b.blockingMs - a.blockingMs)
          .slice(0, 5);
        const status = document.querySelector('[role="status"]')?.textContent ?? '';
        return {
          operations,
          memtable,
          ms: end - clickAt,
          status,
          longTasks: tasks.length,
          longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
          longTaskMs: tasks.reduce((s, t) => s + t.duration, 0),
          longFrames,
          fps: fps(busy),
          worstWindowFps: Number.isFinite(worst) ? worst : null,
          longestFrameMs: longestFrame,
          idleFps: fps(idle),
        };
      },
      { clickAt, operations, memtable: memtable ?? 'app default (256 B)' },
    );
  } catch (error) {
    const shot = join(tmpdir(), `lsm-lab-bench-ui-${scenario.name.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    const errors = pageErrors.length ? `; page errors: ${pageErrors.slice(0, 3).join(' | ')}` : '';
    throw new Error(`${String(error?.message ?? error).split('\n')[0]}${errors} (screenshot: ${shot})`);
  } finally {
    await page.close();
  }
}
