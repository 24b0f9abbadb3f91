// The worker that owns one database on OPFS. It holds a Web Lock named after the database for as long as
// the database is open, so a second tab is told "locked" instead of fighting over files; the lock dies
// with this worker (terminate() releases it in under a millisecond, docs/platform.md).
import { equalBytes, toHex } from '../bytes';
import { ErrorCode, LsmError } from '../errors';
import type { EngineEvent } from '../events';
import type { Snapshot } from '../snapshot';
import { FaultyStorage, type PowerLossReport } from '../storage/faulty';
import { MemoryStorage } from '../storage/memory';
import { OpfsStorage } from '../storage/opfs';
import type { Storage } from '../storage/storage';
import { LsmTree } from '../tree';
import { workloadOps } from '../workload';
import type {
  CrashKind,
  CrashPoint,
  OpenOptions,
  OpenResult,
  PowerLossSummary,
  Request,
  SerializedError,
  WorkerApi,
  WorkerEvent,
  WorkerMessage,
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let tree: LsmTree | undefined;
/** Every file operation goes through the crash lab's wrapper: it knows what is unflushed, and can fail. */
let faulty: FaultyStorage | undefined;
let armed: { point: CrashPoint; kind: CrashKind } | undefined;
let databaseName = '';
let options: OpenOptions = { memtableBytes: 1024 };
let persistent = false;
let releaseLock: (() => void) | undefined;

// --- event batching: one postMessage per batch, flushed before every response and every 16 ms --------
let pending: WorkerEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
/** While a workload runs, single writes and reads are not traced one by one (see WorkerApi.runWorkload). */
let quiet = false;
const QUIET_TYPES = new Set<EngineEvent['type']>([
  'wal.append',
  'wal.batch',
  'wal.flush',
  'memtable.insert',
  'read.begin',
  'read.memtable',
  'read.sstable',
  'read.end',
]);
let workloadCancelled = false;

/**
 * While a workload runs, events go out at most every QUIET_BATCH_MS: the page draws a workload at most ten
 * times a second anyway, and every message costs its main thread a store update and a render.
 */
const QUIET_BATCH_MS = 100;

function onEvent(event: WorkerEvent): void {
  if (quiet && QUIET_TYPES.has(event.type as EngineEvent['type'])) return;
  pending.push(event);
  timer ??= setTimeout(flushEvents, quiet ? QUIET_BATCH_MS : 16);
}
function flushEvents(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0) return;
  post({ kind: 'events', events: pending });
  pending = [];
}
function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

/** Crash points that fire on an engine event: the process dies right there, mid-operation. */
let compactionStarted = false;
function watchForCrashPoint(event: EngineEvent): void {
  onEvent(event);
  if (!armed || !faulty) return;
  const { point } = armed;
  if (point === 'mid-compaction' && event.type === 'compaction.begin' && !event.trivialMove && !compactionStarted) {
    compactionStarted = true;
    faulty.tearNextWrite('.sst');
    return;
  }
  const now =
    (point === 'before-memtable' && event.type === 'wal.flush') ||
    (point === 'before-manifest' && event.type === 'sstable.write');
  if (!now) return;
  let report: PowerLossReport | undefined;
  if (armed.kind === 'power') report = faulty.powerLoss(Date.now() & 0x7fffffff);
  else faulty.die();
  crashPointReached(report);
  // Stop the engine in its tracks, as a dead process would: nothing after this line of its runs.
  throw new Error(`crash point reached: ${point}`);
}

function crashPointReached(report: PowerLossReport | undefined): void {
  if (!armed) return;
  const { point, kind } = armed;
  armed = undefined;
  compactionStarted = false;
  const cut = faulty?.lastTorn;
  // After a power loss the torn file may have kept more or less of itself: the report says how much.
  const size = cut && (report?.files.find((f) => f.file === cut.file)?.sizeAfter ?? cut.size);
  const torn = cut && size !== undefined && size > 0 ? { torn: { file: cut.file, size } } : {};
  onEvent({ type: 'crash.point', id: 0, point, kind, powerLoss: report ? summarize(report) : null, ...torn });
  flushEvents();
}

function summarize(report: PowerLossReport): PowerLossSummary {
  return {
    files: report.files.map((f) => ({
      file: f.file,
      kept: f.writes.filter((w) => w === 'keep').length,
      dropped: f.writes.filter((w) => w === 'drop').length,
      torn: f.writes.filter((w) => w === 'torn').length,
      garbled: f.writes.filter((w) => w === 'garbage').length,
      sizeAfter: f.sizeAfter,
    })),
  };
}

function requireFaulty(): FaultyStorage {
  if (!faulty) throw new LsmError(ErrorCode.Closed, 'the database is not open');
  return faulty;
}

function lockName(name: string): string {
  return `lsm-lab:${name}`;
}

/**
 * Resolves true once we hold the database's lock, false if someone else keeps holding it. A worker that was
 * just terminated releases its lock a moment later, so a few retries tell "a crash a millisecond ago" apart
 * from "another tab".
 */
async function acquireLock(name: string): Promise<boolean> {
  if (!navigator.locks) return true;
  // Up to about 3 s: a worker terminated in the middle of synchronous work (a flush writing an SSTable) runs on for
  // up to ~2 s before Chromium stops it (its forcible-termination delay), and holds the lock until then.
  for (let wait = 25; wait <= 1600; wait *= 2) {
    if (await tryLock(name)) return true;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return tryLock(name);
}

function tryLock(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    navigator.locks
      .request(lockName(name), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => {
          releaseLock = release;
        });
      })
      .catch(() => resolve(false));
  });
}

async function openTree(): Promise<OpenResult> {
  let storage: Storage;
  if (OpfsStorage.isSupported()) {
    storage = await OpfsStorage.open(databaseName);
    persistent = true;
  } else {
    storage = new MemoryStorage();
    persistent = false;
  }
  faulty = new FaultyStorage(storage);
  faulty.onCrash = (report) => crashPointReached(report);
  armed = undefined;
  snapshots.clear();
  tree = await LsmTree.open(faulty, { ...options, onEvent: (event) => watchForCrashPoint(event) });
  return { status: 'open', persistent, state: await tree.describe() };
}

/** Snapshots the page holds, by id (a Snapshot object cannot cross postMessage). They end with the tree. */
const snapshots = new Map<number, Snapshot>();
let nextSnapshotId = 1;

function requireSnapshot(id: number): Snapshot {
  const snapshot = snapshots.get(id);
  if (!snapshot)
    throw new LsmError(ErrorCode.InvalidArgument, `no live snapshot ${id} (released, or the database reopened)`);
  return snapshot;
}

function requireTree(): LsmTree {
  if (!tree) throw new LsmError(ErrorCode.Closed, 'the database is not open');
  return tree;
}

type Handlers = { [M in keyof WorkerApi]: (...args: Parameters<WorkerApi[M]>) => Promise<ReturnType<WorkerApi[M]>> };

const handlers: Handlers = {
  async open(name, openOptions) {
    if (tree) throw new LsmError(ErrorCode.InvalidArgument, 'this worker already has a database open');
    databaseName = name;
    options = openOptions;
    if (!(await acquireLock(name))) return { status: 'locked' };
    try {
      return await openTree();
    } catch (error) {
      releaseLock?.();
      throw error;
    }
  },
  async put(key, value) {
    await requireTree().put(key, value);
  },
  async delete(key) {
    await requireTree().delete(key);
  },
  async get(key, snapshot) {
    const result = await requireTree().lookup(key, snapshot == null ? {} : { snapshot: requireSnapshot(snapshot) });
    return { ...result, value: result.value ?? null };
  },
  async scan(start, end, snapshot) {
    const first: Array<[string, string]> = [];
    let count = 0;
    const range = {
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(snapshot == null ? {} : { snapshot: requireSnapshot(snapshot) }),
    };
    for await (const [key, value] of requireTree().scan(range)) {
      if (first.length < 50) first.push([toHex(key), toHex(value)]);
      count++;
    }
    return { count, first };
  },
  async flush() {
    await requireTree().flush();
  },
  async compact() {
    return requireTree().compact();
  },
  async compactRange(start, end) {
    return requireTree().compactRange({ ...(start ? { start } : {}), ...(end ? { end } : {}) });
  },
  async snapshot() {
    const snapshot = await requireTree().snapshot();
    const id = nextSnapshotId++;
    snapshots.set(id, snapshot);
    return { id, seq: snapshot.seq };
  },
  async releaseSnapshot(id) {
    snapshots.get(id)?.release();
    snapshots.delete(id);
  },
  async stats() {
    return requireTree().stats();
  },
  async setOptions(changes) {
    options = { ...options, ...changes };
    await requireTree().setOptions(changes);
  },
  async runWorkload(spec) {
    const db = requireTree();
    const started = performance.now();
    workloadCancelled = false;
    quiet = true;
    onEvent({ type: 'workload.begin', id: 0, spec });
    let done = 0;
    let lastProgress = started;
    let reported = -1;
    try {
      for (const op of workloadOps(spec)) {
        if (workloadCancelled) break;
        if (op.op === 'put') await db.put(op.key, op.value);
        else if (op.op === 'delete') await db.delete(op.key);
        else await db.lookup(op.key);
        done++;
        // Let messages in (a cancel, or a terminate()) and report progress a few times a second.
        if (done % 64 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
        const now = performance.now();
        if (now - lastProgress > 150 || done === spec.operations) {
          lastProgress = now;
          reported = done;
          onEvent(await progressEvent(db, done, spec.operations));
        }
      }
    } finally {
      quiet = false;
    }
    const ms = performance.now() - started;
    // The last count, unless it was just reported (the log said "2,000 of 2,000 operations done" twice).
    if (reported !== done) onEvent(await progressEvent(db, done, spec.operations));
    onEvent({ type: 'workload.end', id: 0, done, total: spec.operations, cancelled: workloadCancelled, ms });
    return { done, cancelled: workloadCancelled, ms };
  },
  async cancelWorkload() {
    workloadCancelled = true;
  },
  async armCrash(point, kind) {
    const storage = requireFaulty();
    storage.clearFaults();
    compactionStarted = false;
    armed = point ? { point, kind } : undefined;
    storage.powerLossSeed = point && kind === 'power' ? Date.now() & 0x7fffffff : undefined;
    if (point === 'wal-append') storage.tearNextWrite('.log');
    if (point === 'mid-sstable') storage.tearNextWrite('.sst');
  },
  async powerLoss(seed) {
    return summarize(requireFaulty().powerLoss(seed));
  },
  async corrupt(file, offset) {
    const storage = requireFaulty();
    const [before] = await storage.peek(file, offset, 1);
    if (before === undefined) throw new LsmError(ErrorCode.InvalidArgument, `${file} has no byte ${offset}`);
    const after = before ^ 0xff;
    await storage.poke(file, offset, new Uint8Array([after]));
    tree?.evictCache(file); // a block read before the flip was verified then: make the next read see the flip
    return { before, after, size: await storage.size(file) };
  },
  async files() {
    const storage = requireFaulty();
    const names = await storage.list();
    const listing = [];
    for (const file of names) listing.push({ file, size: await storage.size(file) });
    return listing;
  },
  async readFile(file) {
    const storage = requireFaulty();
    return storage.peek(file, 0, await storage.size(file));
  },
  async describe() {
    return requireTree().describe();
  },
  async verify(expected) {
    const db = requireTree();
    const missing: string[] = [];
    const unreadable: Array<{ key: string; error: string }> = [];
    for (const [key, value] of expected) {
      let actual: Uint8Array | undefined;
      try {
        ({ value: actual } = await db.lookup(key, { trace: false }));
      } catch (error) {
        // A checksum caught damage (the corruption lab's flipped byte): report it, do not call it lost or found.
        if (error instanceof LsmError && error.code === ErrorCode.Corruption) {
          unreadable.push({ key: toHex(key), error: error.message });
          continue;
        }
        throw error;
      }
      const same = value === null ? actual === undefined : actual !== undefined && equalBytes(actual, value);
      if (!same) missing.push(toHex(key));
    }
    return {
      checked: expected.length,
      found: expected.length - missing.length - unreadable.length,
      missing,
      unreadable,
    };
  },
  async close() {
    await tree?.close();
    tree = undefined;
    releaseLock?.();
  },
  async reset() {
    await tree?.close().catch(() => {});
    tree = undefined;
    if (persistent) await OpfsStorage.destroy(databaseName);
    return openTree();
  },
};

async function progressEvent(db: LsmTree, done: number, total: number): Promise<WorkerEvent> {
  const { wal, ...memtable } = await db.peekMemtable(40);
  return {
    type: 'workload.progress',
    id: 0,
    done,
    total,
    wal,
    memtable: { ...memtable, limit: db.settings.memtableBytes },
  };
}

function serialize(error: unknown): SerializedError {
  if (error instanceof LsmError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.offset === undefined ? {} : { offset: error.offset }),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

scope.onmessage = async (message: MessageEvent<Request>) => {
  const { id, method, args } = message.data;
  try {
    const handler = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await handler(...args);
    flushEvents();
    post({ kind: 'response', id, ok: true, value });
  } catch (error) {
    flushEvents();
    post({ kind: 'response', id, ok: false, error: serialize(error) });
  }
};
