// The DevTools protocol side of a task: a session on the task's own worker, its memory sampled while it loads,
// and CPU profiles of its measured phases, summed up as self time per function.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DevTools session on the worker of the task that is starting (the first worker target not seen before),
 * attached in the old non-flat mode so that Playwright's own CDP session can carry its messages.
 */
export async function taskWorkerSession(cdp, knownWorkers, cancelled) {
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

export const taskPhase = (page) => page.evaluate(() => window.taskPhase).catch(() => null);

/**
 * The task worker's memory, sampled over the DevTools protocol while it runs (performance.memory does not
 * exist in workers): V8 heap (usedSize) plus ArrayBuffer backing stores (backingStorageSize), every 250 ms;
 * every 2 s after a forced GC, which gives the live peak. Only during the task's 'load' phase: forced GCs
 * would disturb the timed operations that follow.
 */
export async function sampleMemory(session, page, isStopped) {
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
export async function profileCpu(session, page, isStopped) {
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
export function summarizeProfiles(profiles, top = 20) {
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

/**
 * The stretches of a main-thread profile with no idle sample for at least `minMs` (what the long-task observer
 * counts, give or take a sample), each with its self time per function and the outer JS frames (the task's entry
 * points: a timer, a message, a frame callback) below which its time went. The aggregate alone cannot say which
 * work makes a task long.
 */
export function busyStretches(profile, minMs = 50, top = 6) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (frame) =>
    `${frame.functionName || '(anonymous)'} ${frame.url
      .split('/')
      .pop()
      .replace(/-[\w-]{8}\.js$/, '.js')}:${frame.lineNumber + 1}`;
  /** The outermost frame under (root) with a URL: the entry point of the task the sample belongs to. */
  const entry = (id) => {
    let outer;
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (frame.url) outer = frame;
    }
    return outer ? name(outer) : byId.get(id).callFrame.functionName || '(native)';
  };
  const stretches = [];
  let current;
  let t = profile.startTime;
  const close = () => {
    if (current && current.ms >= minMs) stretches.push(current);
    current = undefined;
  };
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') {
      close();
      return;
    }
    current ??= { atMs: (t - profile.startTime) / 1000, ms: 0, self: new Map(), entries: new Map() };
    current.ms += us / 1000;
    const self = name(frame);
    current.self.set(self, (current.self.get(self) ?? 0) + us / 1000);
    const outer = entry(id);
    current.entries.set(outer, (current.entries.get(outer) ?? 0) + us / 1000);
  });
  close();
  const largest = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, ms]) => `${fn} ${ms.toFixed(0)} ms`);
  return stretches.map((s) => ({ atMs: s.atMs, ms: s.ms, self: largest(s.self), entries: largest(s.entries) }));
}
