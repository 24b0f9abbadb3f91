// npm run bench / npm run bench:smoke: builds the app and the benchmark page, serves both on 127.0.0.1 with
// `vite preview`, drives Debian Chromium with a fresh persistent profile (OPFS on disk, docs/platform.md §2), runs
// every task in its own dedicated Worker, measures the real app's responsiveness during a big workload and its
// initial JS size, then prints the table and writes JSON.
//
//   node bench/run.mjs            full run (3 repetitions, ~10 minutes)
//   node bench/run.mjs --smoke    CI size: tiny, one repetition, < 60 s; never fails on a missed target
//   --repeat=3                    the whole suite 3 times; per target the worst of the 3 medians over pairs
//   --only=lsm.put,raw.put.116    run only tasks whose id starts with one of these (development)
//   --skip-ui                     skip the app's responsiveness and size (development)
//   --profile=lsm.recovery,...    CPU-profile these tasks' 'measure:*' phases and print where the time goes
//                                 ('ui': the app's main thread during each UI workload, app built unminified;
//                                 BENCH_ALL_PROFILES=1 keeps every repetition's profile, not only the last)
//   BENCH_JS_FLAGS='--trace-deopt --trace-gc'   V8 flags for Chromium (development; with DEBUG=pw:browser the
//                                 browser's output, where V8 prints them, goes to stderr)
//
// Exit code: 0 unless something crashed (a task of the engine or of the raw anchors threw, the browser or the
//
// The parts, one concern each: lib/serve.mjs (build and serve), lib/cdp.mjs (DevTools: worker sessions, memory,
// CPU profiles), lib/tasks.mjs (the task loop), lib/ui.mjs (the app's responsiveness), lib/bundle.mjs (initial
// JS size), lib/results.mjs (the report and its JSON). This file reads the arguments and runs them in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { runnerImport } from 'vite';

process.env.NODE_ENV ??= 'production';

import { bundleSize } from './lib/bundle.mjs';
import { log } from './lib/log.mjs';
import { writeReport } from './lib/results.mjs';
import { buildAll, serve } from './lib/serve.mjs';
import { runSuite } from './lib/tasks.mjs';
import { tasks as planTasks } from './plan.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const args = process.argv.slice(2);
const repeatArg = args.find((a) => a.startsWith('--repeat='));
const list = (name) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',');
/** The run's options, and what went wrong: our own code failing (not a peer, not a missed target) exits 1. */
const run = {
  mode: args.includes('--smoke') ? 'smoke' : 'full',
  only: list('only'),
  skipUi: args.includes('--skip-ui'),
  repeat: repeatArg ? Number(repeatArg.slice('--repeat='.length)) : 1,
  profileTasks: new Set(list('profile')),
  loadStart: loadavg(),
  crashes: [],
  notes: [],
};
if (!Number.isInteger(run.repeat) || run.repeat < 1)
  throw new Error(`--repeat wants a whole number >= 1, not ${repeatArg}`);

/** Builds, serves, opens Chromium and runs the suite `repeat` times. */
async function measure() {
  const appOut = await buildAll(root, benchDir, run.profileTasks.has('ui'));
  const { module: chromiumSetup } = await runnerImport(join(root, 'test', 'chromium.ts'));
  const size = run.profileTasks.has('ui')
    ? { error: 'not measured: --profile=ui builds the app unminified' }
    : bundleSize(appOut);
  const servers = await serve(root, benchDir, appOut);
  log(`serving the benchmark at ${servers.benchUrl} and the app at ${servers.appUrl}`);
  const profile = mkdtempSync(join(tmpdir(), 'lsm-lab-bench-'));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: chromiumSetup.chromiumExecutable(),
      args: [
        ...chromiumSetup.CHROMIUM_ARGS,
        ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : []),
      ],
      headless: true,
      viewport: { width: 1366, height: 900 },
    })
    .catch(async (error) => {
      // No Chromium (`npm run bench` sets it up, `node bench/run.mjs` does not): say so, and let the process end.
      await servers.bench.close();
      await servers.app.close();
      throw new Error(`could not start Chromium (run: node scripts/browsers.mjs chromium): ${error.message}`);
    });
  // One entry per run of the suite (--repeat): its tasks' outcomes and its UI runs.
  const runs = [];
  let probe;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => log(`bench page error: ${error.message}`));
    await page.goto(servers.benchUrl);
    await page.waitForFunction(() => window.benchReady === true);
    const cdp = await context.newCDPSession(page);
    const knownWorkers = new Set();
    const probed = await page.evaluate(() => window.runTask({ kind: 'probe' }));
    probe = probed.ok ? probed.result.info : { error: probed.error };
    log(`worker: ${JSON.stringify(probe)}`);
    if (!probe.opfsSyncHandles) throw new Error('OPFS sync access handles are not available in the benchmark worker');

    const selected = planTasks(run.mode).filter(
      (entry) => !run.only || run.only.some((prefix) => entry.id.startsWith(prefix)),
    );
    for (let i = 1; i <= run.repeat; i++) {
      if (run.repeat > 1) log(`run ${i} of ${run.repeat}`);
      runs.push(await runSuite(page, cdp, knownWorkers, selected, context, servers, run));
    }
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
    await servers.bench.close();
    await servers.app.close();
  }
  return { runs, probe, size };
}

measure()
  .then((measured) => {
    writeReport(measured, run, root, benchDir);
    if (run.crashes.length) {
      console.error(`bench: ${run.crashes.length} task(s) crashed:\n  ${run.crashes.join('\n  ')}`);
      process.exitCode = 1;
    }
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
