// How the class relay (scripts/class-relay.mjs) holds up as a class grows: `npm run bench:class`
// (`-- --students=300` for one size, `-- --quick` for 50 students and 50 entries).
//
// The relay runs in a child process of its own, so that its CPU time and peak memory can be read from /proc. One
// teacher (in this process) appends entries to the log at about 20 a second; the students, real y-websocket
// clients, are spread over two child processes (the machine has two cores) and note when each entry arrives. Per
// class size: latency from the teacher's append to each student's copy (every entry × every student), whether
// every student got every entry, the relay's CPU and peak RSS, and how long a student who joins once the log holds
// 500 entries takes to catch up. Loopback only; every process is killed at the end; a run ends within 3 minutes.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const RATE_PER_SECOND = 20;
const LATE_LOG = 500;
const RUN_LIMIT_MS = 180_000;
const BREAKS_AT_MS = 1000;

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name, value ?? 'true'];
  }),
);

/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every 20 ms until it holds or `ms` pass; says which.
 * @param {() => boolean} check
 * @param {number} ms
 */
async function until(check, ms) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await pause(20);
  }
  return true;
}

/**
 * A y-websocket client as the app runs one.
 * @param {string} url
 * @param {string} room
 * @param {string} [key]
 */
function client(url, room, key) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: /** @type {any} */ (WebSocket),
    disableBc: true,
    params: key === undefined ? {} : { key },
  });
  return { doc, provider, log: doc.getArray('log') };
}

// ---------------------------------------------------------------------------------------------------------------
// Child: the relay.
if (args.role === 'relay') {
  const { startRelay } = await import('../scripts/class-relay.mjs');
  const relay = await startRelay({ port: 0, log: () => {} });
  process.send?.({ type: 'listening', url: relay.url });
  process.on('message', (/** @type {any} */ message) => {
    if (message.type === 'stats') process.send?.({ type: 'stats', stats: relay.stats() });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Child: a share of the students.
if (args.role === 'students') {
  // y-websocket's client adds a process 'exit' listener per provider (it says goodbye to the room).
  process.setMaxListeners(0);
  /** @type {{ log: Y.Array<any>, provider: WebsocketProvider, doc: Y.Doc, seen: number }[]} */
  const students = [];
  /** @type {number[]} */
  const latencies = [];
  let timed = 0;
  /** @type {Record<string, number>} close codes the students' sockets saw (each is followed by a reconnect) */
  const closes = {};
  process.on('message', async (/** @type {any} */ message) => {
    if (message.type === 'connect') {
      timed = message.timed;
      for (let i = 0; i < message.count; i += 25) {
        /** @type {typeof students} */
        const batch = [];
        for (let j = i; j < Math.min(i + 25, message.count); j++) {
          const student = { ...client(message.url, message.room), seen: 0 };
          student.provider.awareness.setLocalState({ role: 'student', following: true });
          student.log.observe((event) => {
            const now = Date.now();
            for (const change of event.changes.delta) {
              for (const entry of /** @type {any[]} */ (change.insert ?? [])) {
                if (student.seen < timed) latencies.push(now - entry.t);
                student.seen++;
              }
            }
          });
          student.provider.on('connection-close', (/** @type {any} */ event) => {
            closes[event?.code] = (closes[event?.code] ?? 0) + 1;
          });
          students.push(student);
          batch.push(student);
        }
        await until(() => batch.every((s) => s.provider.synced), 30_000);
      }
      process.send?.({ type: 'connected', synced: students.filter((s) => s.provider.synced).length });
    } else if (message.type === 'progress') {
      process.send?.({ type: 'progress', least: Math.min(...students.map((s) => s.seen)) });
    } else if (message.type === 'report') {
      process.send?.({ type: 'report', latencies, closes });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The driver.
if (args.role === undefined) {
  const quick = args.quick === 'true';
  const sizes = quick ? [50] : args.students ? [Number(args.students)] : [100, 300, 600, 1000];
  const entries = quick ? 50 : 200;
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  const limit = setTimeout(() => {
    console.error(`bench:class: over ${RUN_LIMIT_MS / 1000} s, stopping`);
    killAll();
    process.exit(1);
  }, RUN_LIMIT_MS);

  /** @param {string} role */
  function child(role) {
    const proc = fork(fileURLToPath(import.meta.url), [`--role=${role}`], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(proc);
    return proc;
  }

  /**
   * The next message of `type` from `proc`, after sending `request` (if any).
   * @param {import('node:child_process').ChildProcess} proc
   * @param {string} type
   * @param {object} [request]
   * @returns {Promise<any>}
   */
  function ask(proc, type, request) {
    return new Promise((resolve) => {
      /** @param {any} message */
      const listener = (message) => {
        if (message.type !== type) return;
        proc.off('message', listener);
        resolve(message);
      };
      proc.on('message', listener);
      if (request) proc.send(request);
    });
  }

  /** @param {number} pid */
  function cpuTicks(pid) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  }
  /**
   * Time the process's main thread spent ready to run but waiting for a core (ms): on a busy machine latency grows
   * with it, whatever the relay does.
   * @param {number} pid
   */
  function waitedMs(pid) {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  }
  /** @param {number} pid */
  function peakRssMiB(pid) {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  }
  /**
   * @param {number[]} sorted
   * @param {number} q
   */
  const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

  /** @param {number} students */
  async function runSize(students) {
    const relay = child('relay');
    const { url } = await ask(relay, 'listening');
    const key = `bench key ${students}`;
    const { roomIdOf } = await import('../scripts/class-relay.mjs');
    const room = `room-${await roomIdOf(key)}`;
    const teacher = client(url, room, key);
    teacher.provider.awareness.setLocalState({ role: 'teacher' });
    await until(() => teacher.provider.synced, 10_000);

    const started = Date.now();
    const shares = [Math.ceil(students / 2), Math.floor(students / 2)].filter((n) => n > 0);
    const workers = shares.map(() => child('students'));
    const connected = await Promise.all(
      workers.map((w, i) => ask(w, 'connected', { type: 'connect', url, room, count: shares[i], timed: entries })),
    );
    const synced = connected.reduce((sum, c) => sum + c.synced, 0);
    const connectMs = Date.now() - started;
    await until(() => teacher.provider.awareness.getStates().size >= students + 1, 10_000);
    const awarenessAtTeacher = teacher.provider.awareness.getStates().size - 1;

    /** The fewest entries any student holds. */
    const leastSeen = async () =>
      Math.min(
        ...(await Promise.all(workers.map((w) => ask(w, 'progress', { type: 'progress' })))).map((p) => p.least),
      );
    /** @param {number} target @param {number} ms */
    const allHold = async (target, ms) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if ((await leastSeen()) >= target) return true;
        await pause(50);
      }
      return false;
    };

    // The timed part: one entry every 50 ms.
    const cpuBefore = cpuTicks(/** @type {number} */ (relay.pid));
    const studentCpuBefore = workers.map((w) => cpuTicks(/** @type {number} */ (w.pid)));
    const waitedBefore = [relay, ...workers].map((p) => waitedMs(/** @type {number} */ (p.pid)));
    const loadBefore = os.loadavg()[0];
    const timeBefore = performance.now();
    for (let i = 0; i < entries; i++) {
      teacher.log.push([{ k: 'op', op: { op: 'put', key: `k${i}`, value: 'v' }, t: Date.now() }]);
      await pause(Math.max(0, timeBefore + ((i + 1) * 1000) / RATE_PER_SECOND - performance.now()));
    }
    const complete = await allHold(entries, 15_000);
    const seconds = (performance.now() - timeBefore) / 1000;
    /** @param {number} ticks */
    const percent = (ticks) => Math.round((ticks / ticksPerSecond / seconds) * 100);
    const relayTicks = cpuTicks(/** @type {number} */ (relay.pid)) - cpuBefore;
    const cpuPercent = percent(relayTicks);
    // The students' processes too: when they are busy, the latency is theirs, not the relay's.
    const studentsCpuPercent = workers.map((w, i) =>
      percent(cpuTicks(/** @type {number} */ (w.pid)) - /** @type {number} */ (studentCpuBefore[i])),
    );
    // Run-queue wait as a share of the timed part, per process (relay first).
    const waitingPercent = [relay, ...workers].map((p, i) =>
      Math.round(
        ((waitedMs(/** @type {number} */ (p.pid)) - /** @type {number} */ (waitedBefore[i])) / 1000 / seconds) * 100,
      ),
    );
    const reports = await Promise.all(workers.map((w) => ask(w, 'report', { type: 'report' })));
    const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const pairs = latencies.length;
    /** @type {Record<string, number>} */
    const studentCloses = {};
    for (const r of reports)
      for (const [code, n] of Object.entries(r.closes)) studentCloses[code] = (studentCloses[code] ?? 0) + n;
    const relayStats = (await ask(relay, 'stats', { type: 'stats' })).stats;

    // Fill the log to 500 entries (10 to a transaction), then time a student who joins now.
    for (let i = entries; i < LATE_LOG; i += 10) {
      teacher.doc.transact(() => {
        for (let j = i; j < Math.min(i + 10, LATE_LOG); j++) {
          teacher.log.push([{ k: 'op', op: { op: 'put', key: `k${j}`, value: 'v' }, t: Date.now() }]);
        }
      });
      await pause(50);
    }
    await allHold(LATE_LOG, 15_000);
    const lateStart = performance.now();
    const late = client(url, room);
    const caughtUp = await until(() => late.log.length >= LATE_LOG, 15_000);
    const lateJoinerMs = caughtUp ? Math.round(performance.now() - lateStart) : null;
    const rssMiB = peakRssMiB(/** @type {number} */ (relay.pid));

    late.provider.destroy();
    teacher.provider.destroy();
    for (const proc of [relay, ...workers]) proc.kill('SIGKILL');
    const result = {
      students,
      synced,
      awarenessAtTeacher,
      connectMs,
      entries,
      pairs,
      expectedPairs: students * entries,
      complete: complete && pairs === students * entries,
      p50Ms: quantile(latencies, 0.5),
      p95Ms: quantile(latencies, 0.95),
      maxMs: latencies.at(-1) ?? null,
      relayCpuPercent: cpuPercent,
      // The relay's CPU time per entry delivered to a student: unlike latency, a busy machine hardly changes it.
      relayCpuUsPerDelivery: pairs > 0 ? Math.round((relayTicks / ticksPerSecond / pairs) * 1e6) : null,
      studentsCpuPercent,
      waitingForCpuPercent: waitingPercent,
      loadAverage: Math.round(loadBefore * 10) / 10,
      relayPeakRssMiB: rssMiB,
      lateJoinerMs,
      studentCloses,
      relayStats,
    };
    return { ...result, breaks: !result.complete || !(result.p95Ms < BREAKS_AT_MS) };
  }

  const results = [];
  for (const students of sizes) {
    process.stderr.write(`bench:class: ${students} students…\n`);
    results.push(await runSize(students));
  }
  clearTimeout(limit);
  killAll();

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    ratePerSecond: RATE_PER_SECOND,
    breaksAt: `p95 >= ${BREAKS_AT_MS} ms or an entry missing at a student`,
    sizes: results,
  };
  const file = join(HERE, 'results', quick ? 'class-quick.json' : 'class.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const rows = results.map(
    (r) =>
      `| ${r.students} | ${r.p50Ms} | ${r.p95Ms} | ${r.maxMs} | ${r.complete ? 'all' : `${r.pairs}/${r.expectedPairs}`} | ` +
      `${r.relayCpuPercent} % | ${r.relayCpuUsPerDelivery} µs | ${r.studentsCpuPercent.join(' + ')} % | ${r.relayPeakRssMiB} MiB | ${r.lateJoinerMs ?? 'never'} | ${r.loadAverage} | ${r.breaks ? 'yes' : 'no'} |`,
  );
  console.log(
    [
      `${results[0]?.entries} entries at ${RATE_PER_SECOND}/s; latency from the teacher's append to each student's copy (ms)`,
      '',
      "| Students | p50 | p95 | max | Delivered | Relay CPU | Relay CPU per delivery | Student processes' CPU | Relay peak RSS | Late joiner, 500 entries (ms) | Machine load | Breaks |",
      '| ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
      ...rows,
    ].join('\n'),
  );
  const broken = results.find((r) => r.breaks);
  console.log(broken ? `\nBreaks at ${broken.students} students.` : '\nNo size broke.');
  console.log(`Written to ${file}`);
  process.exit(0);
}
