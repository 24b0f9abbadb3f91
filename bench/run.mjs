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
//                                 ('ui': the app's main thread during each UI workload, app built unminified)
//
// Exit code: 0 unless something crashed (a task of the engine or of the raw anchors threw, the browser or the
// app failed). SQLite or IndexedDB failing is reported as n/a with the error. Missed targets never fail.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build, preview, runnerImport } from 'vite';

process.env.NODE_ENV ??= 'production';

import { tasks as planTasks, workloads as planWorkloads, schedule, sizes } from './plan.mjs';
import { buildTargets, buildWorkloads, formatReport } from './report.mjs';
import { combineRuns } from './targets.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const args = process.argv.slice(2);
const mode = args.includes('--smoke') ? 'smoke' : 'full';
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const skipUi = args.includes('--skip-ui');
const repeatArg = args.find((a) => a.startsWith('--repeat='));
const repeat = repeatArg ? Number(repeatArg.slice('--repeat='.length)) : 1;
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat wants a whole number >= 1, not ${repeatArg}`);
const profileTasks = new Set(
  args
    .find((a) => a.startsWith('--profile='))
    ?.slice('--profile='.length)
    .split(','),
);
const startedAt = Date.now();
const loadStart = loadavg();

const log = (text) => process.stdout.write(`[bench +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${text}\n`);

/** Our own code failing (not a peer, not a missed target): the run exits 1 after writing what it has. */
const crashes = [];
const notes = [];

async function buildAll() {
  // LSM_BENCH_APP_DIR: build the app elsewhere (two runs at once, or a UI probe serving bench/dist/app).
  const appOut = process.env.LSM_BENCH_APP_DIR ?? join(benchDir, 'dist', 'app');
  log('building the app (vite build) and the benchmark page');
  // The app exactly as `npm run build` makes it, in its own process: a production build whatever this
  // process's NODE_ENV (Vite's module runner sets it to 'development', which would bundle React's dev build).
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      appOut,
      '--emptyOutDir',
      '--logLevel',
      'error',
      // --profile=ui: readable function names in the main thread's profile (the size figure is then skipped).
      ...(profileTasks.has('ui') ? ['--minify', 'false'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await build({ configFile: join(benchDir, 'vite.config.ts'), logLevel: 'warn' });
  return appOut;
}

async function serve(appOut) {
  const bench = await preview({
    configFile: join(benchDir, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 4180, strictPort: false, open: false },
  });
  const app = await preview({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: appOut },
    preview: { host: '127.0.0.1', port: 4181, strictPort: false, open: false },
  });
  return { bench, app, benchUrl: bench.resolvedUrls.local[0], appUrl: app.resolvedUrls.local[0] };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DevTools session on the worker of the task that is starting (the first worker target not seen before),
 * attached in the old non-flat mode so that Playwright's own CDP session can carry its messages.
 */
async function taskWorkerSession(cdp, knownWorkers, cancelled) {
  let target;
  for (let i = 0; i < 400 && !target && !cancelled(); i++) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    target = targetInfos.find((t) => t.type === 'worker' && !knownWorkers.has(t.targetId));
    if (!target) await sleep(25);
  }
  if (!target) throw new Error('the task worker never showed up as a DevTools target');
  knownWorkers.add(target.targetId);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const waiting = new Map();
  const onMessage = (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  };
  cdp.on('Target.receivedMessageFromTarget', onMessage);
  return {
    call: (method, params = {}, timeoutMs = 3000) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(() => resolve(undefined));
        setTimeout(() => resolve(undefined), timeoutMs);
      }),
    close: async () => {
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}

const taskPhase = (page) => page.evaluate(() => window.taskPhase).catch(() => null);

/**
 * The task worker's memory, sampled over the DevTools protocol while it runs (performance.memory does not
 * exist in workers): V8 heap (usedSize) plus ArrayBuffer backing stores (backingStorageSize), every 250 ms;
 * every 2 s after a forced GC, which gives the live peak. Only during the task's 'load' phase: forced GCs
 * would disturb the timed operations that follow.
 */
async function sampleMemory(session, page, isStopped) {
  const state = { peakBytes: 0, peakLiveBytes: null, peakLiveHeapBytes: null, peakLiveBackingBytes: null, samples: 0 };
  let lastGc = 0;
  while (!isStopped()) {
    if ((await taskPhase(page))?.startsWith('measure')) break;
    const collect = Date.now() - lastGc >= 2000;
    if (collect) {
      await session.call('HeapProfiler.collectGarbage');
      lastGc = Date.now();
    }
    const usage = await session.call('Runtime.getHeapUsage');
    if (!usage || isStopped()) break;
    const heap = usage.usedSize;
    const backing = usage.backingStorageSize ?? 0;
    state.samples++;
    state.peakBytes = Math.max(state.peakBytes, heap + backing);
    if (collect && heap + backing > (state.peakLiveBytes ?? -1)) {
      state.peakLiveBytes = heap + backing;
      state.peakLiveHeapBytes = heap;
      state.peakLiveBackingBytes = backing;
    }
    await sleep(250);
  }
  return state;
}

/** CPU profiles of the task worker, one per 'measure:<what>' phase (--profile=<task id>). */
async function profileCpu(session, page, isStopped) {
  const profiles = [];
  await session.call('Profiler.enable');
  await session.call('Profiler.setSamplingInterval', { interval: 100 });
  let current = null;
  const stop = async () => {
    const result = await session.call('Profiler.stop', {}, 30_000);
    if (result?.profile) profiles.push({ phase: current, profile: result.profile });
    current = null;
  };
  while (!isStopped()) {
    const phase = await taskPhase(page);
    if (phase !== current) {
      if (current) await stop();
      if (phase?.startsWith('measure')) {
        await session.call('Profiler.start');
        current = phase;
      }
    }
    await sleep(20);
  }
  if (current) await stop();
  return profiles;
}

/** Self time per function over the profiles, the largest first. */
function summarizeProfiles(profiles, top = 20) {
  const self = new Map();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id).callFrame;
      if (frame.functionName === '(idle)') return;
      const file = frame.url
        .split('/')
        .pop()
        .replace(/-[\w-]{8}\.js$/, '.js');
      const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
      const us = profile.timeDeltas[i] ?? 0;
      self.set(name, (self.get(name) ?? 0) + us);
      total += us;
    });
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, ms: us / 1000, share: us / total }));
}

/** Two repetitions of one task, run in separate workers, as one outcome. */
function mergeOutcomes(a, b) {
  const measures = { ...a.result.measures };
  for (const [name, samples] of Object.entries(b.result.measures))
    measures[name] = [...(measures[name] ?? []), ...samples];
  return { ...a, seconds: a.seconds + b.seconds, result: { ...a.result, measures } };
}

async function runTask(page, entry, cdp, knownWorkers) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, timeout: true, error: `timed out after ${entry.timeoutMs / 1000} s` }),
      entry.timeoutMs,
    );
  });
  const started = Date.now();
  const profile = profileTasks.has(entry.id.replace(/ \(rep \d+\)$/, ''));
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
    notes.push(`${entry.id}: ${reply.result.failed}`);
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
  if (!peer && !(reply.timeout && mode === 'full')) crashes.push(`${entry.id}: ${reply.error.split('\n')[0]}`);
  return { status: reply.timeout ? 'timeout' : 'error', error: reply.error, seconds };
}

/**
 * The real app under a big workload: long tasks (> 50 ms) on the main thread from a PerformanceObserver, and
 * frames from requestAnimationFrame, from the click on "Run workload" until the status says it is done.
 */
async function uiResponsiveness(context, appUrl, scenario) {
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
      const perf = { longTasks: [], frames: [], running: true };
      window.__benchPerf = perf;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) perf.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask' });
      const tick = (t) => {
        perf.frames.push(t);
        if (perf.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(1000); // idle frame rate, for comparison
    const profiler = profileTasks.has('ui') ? await context.newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    const clickAt = await page.evaluate(() => performance.now());
    await panel.getByRole('button', { name: 'Run workload', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Workload (done|cancelled)/ })
      .waitFor({ timeout: 240_000 });
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      const file = join(tmpdir(), `lsm-lab-bench-ui-${scenario.name.replace(/\W+/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`UI main thread, CPU self time during the ${scenario.name} workload (profile saved to ${file}):`);
      for (const t of summarizeProfiles([profile], 30))
        log(`  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.ms.toFixed(1).padStart(9)} ms  ${t.fn}`);
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
        const status = document.querySelector('[role="status"]')?.textContent ?? '';
        return {
          operations,
          memtable,
          ms: end - clickAt,
          status,
          longTasks: tasks.length,
          longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
          longTaskMs: tasks.reduce((s, t) => s + t.duration, 0),
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

const VLQ = Object.fromEntries(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);

/**
 * Bytes of the minified bundle per origin (a package in node_modules, web/, engine/), from its source map: each
 * mapping segment owns the generated bytes up to the next segment on its line.
 */
function bundleOrigins(code, map) {
  const lines = code.split('\n');
  const owner = (source) => {
    const path = source.replace(/^(\.\.\/)+/, '');
    const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    return pkg ? pkg[1] : path.split('/')[0];
  };
  const bytes = new Map();
  let source = 0;
  map.mappings.split(';').forEach((line, row) => {
    let column = 0;
    const segments = [];
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = VLQ[c];
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      segments.push({ column, source: values.length > 1 ? source : -1 });
    }
    const length = lines[row]?.length ?? 0;
    segments.forEach((seg, i) => {
      const end = segments[i + 1]?.column ?? length;
      const name = seg.source >= 0 ? owner(map.sources[seg.source]) : '(unmapped)';
      bytes.set(name, (bytes.get(name) ?? 0) + Math.max(0, end - seg.column));
    });
  });
  return Object.fromEntries([...bytes.entries()].sort((a, b) => b[1] - a[1]));
}

function jsSize(appOut) {
  const assets = join(appOut, 'assets');
  const files = readdirSync(assets);
  const index = files.find((f) => /^index-.*\.js$/.test(f));
  const worker = files.find((f) => /^worker-.*\.js$/.test(f));
  if (!index) return { error: 'no assets/index-*.js in the build' };
  const bytes = readFileSync(join(assets, index));
  let origins;
  try {
    origins = bundleOrigins(bytes.toString('utf8'), JSON.parse(readFileSync(join(assets, `${index}.map`), 'utf8')));
  } catch {
    origins = undefined; // no source map: the breakdown is optional
  }
  return {
    origins,
    file: `dist/assets/${index}`,
    rawBytes: bytes.length,
    gzipBytes: gzipSync(bytes).length,
    gzip9Bytes: gzipSync(bytes, { level: 9 }).length,
    workerGzipBytes: worker ? gzipSync(readFileSync(join(assets, worker))).length : null,
  };
}

/** HEAD, marked when engine/ or web/ differ from it (the figures are of the working tree). */
function gitCommit() {
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

/** Builds, serves, opens Chromium and runs the suite `repeat` times. */
async function measure() {
  const appOut = await buildAll();
  const { module: chromiumSetup } = await runnerImport(join(root, 'test', 'chromium.ts'));
  const size = profileTasks.has('ui')
    ? { error: 'not measured: --profile=ui builds the app unminified' }
    : jsSize(appOut);
  const servers = await serve(appOut);
  log(`serving the benchmark at ${servers.benchUrl} and the app at ${servers.appUrl}`);
  const profile = mkdtempSync(join(tmpdir(), 'lsm-lab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumSetup.chromiumExecutable(),
    args: chromiumSetup.CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1366, height: 900 },
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

    const selected = planTasks(mode).filter((entry) => !only || only.some((prefix) => entry.id.startsWith(prefix)));
    for (let run = 1; run <= repeat; run++) {
      if (repeat > 1) log(`run ${run} of ${repeat}`);
      runs.push(await runSuite(page, cdp, knownWorkers, selected, context, servers));
    }
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
    await servers.bench.close();
    await servers.app.close();
  }
  return { runs, probe, size };
}

/** The whole suite once: every selected task (a group's members pair by pair), then the UI workloads. */
async function runSuite(page, cdp, knownWorkers, selected, context, servers) {
  const started = Date.now();
  const results = {};
  let ui;
  for (const step of schedule(selected)) {
    const previous = results[step.of];
    if (step.pair === 0 || !previous) {
      results[step.of] = await runTask(page, step.entry, cdp, knownWorkers);
      continue;
    }
    if (previous.status !== 'ok') continue; // failed once: not again
    const outcome = await runTask(page, step.entry, cdp, knownWorkers);
    results[step.of] = outcome.status === 'ok' ? mergeOutcomes(previous, outcome) : outcome;
  }
  if (!skipUi) {
    ui = [];
    for (const scenario of sizes(mode).ui) {
      log(
        `UI responsiveness, ${scenario.name}: ${scenario.operations.toLocaleString('en')} operations through the Workload panel`,
      );
      try {
        const measured = await uiResponsiveness(context, servers.appUrl, scenario);
        ui.push({ ...scenario, ...measured });
        log(`UI: ${measured.status.trim()} ${measured.longTasks} long tasks, ${measured.fps.toFixed(1)} fps`);
      } catch (error) {
        ui.push({ ...scenario, error: String(error?.message ?? error) });
        crashes.push(`ui ${scenario.name}: ${String(error?.message ?? error).split('\n')[0]}`);
      }
    }
  }
  return { results, ui, seconds: (Date.now() - started) / 1000, loadAverageEnd: loadavg() };
}

async function main() {
  const { runs, probe, size } = await measure();
  // Every run's figures and targets; the report's tables are the last run's, its targets the worst of all.
  const perRun = runs.map((r) => {
    const workloads = buildWorkloads(planWorkloads(mode), r.results);
    return { ...r, workloads, targets: buildTargets(workloads, r.results, r.ui, skipUi ? undefined : size) };
  });
  const last = perRun.at(-1);
  const { results, ui, workloads } = last;
  const targets = combineRuns(perRun.map((r) => r.targets));
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
  const levels = results['lsm.read']?.result?.info.levels;
  if (levels) notes.push(`w3/w4/w6 LSM layout: ${JSON.stringify(levels)} (${Object.keys(levels).length} levels).`);
  if (crashes.length) notes.push(`crashed: ${crashes.join('; ')}`);

  const timestamp = new Date(startedAt).toISOString();
  const report = {
    meta: {
      mode,
      timestamp,
      commit: gitCommit(),
      reps: sizes(mode).reps,
      pairs: sizes(mode).pairs,
      repeat,
      browser: probe?.userAgent?.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium',
      node: process.version,
      worker: probe,
      seconds: (Date.now() - startedAt) / 1000,
      loadAverage: { start: loadStart, end: loadavg() },
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
  if (crashes.length) {
    console.error(`bench: ${crashes.length} task(s) crashed:\n  ${crashes.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
