// The worker that owns one database on OPFS: the dispatcher. Each request from the page (client.ts, over the
// protocol in protocol.ts) is answered by one handler below; the concerns around them live apart: event batching
// (events.ts), the database's Web Lock (locks.ts), the crash lab's crash points (crash-points.ts), the workload
// runner (workload-runner.ts) and the durability check (verify.ts). Every file operation goes through a
// FaultyStorage (storage/faulty.ts), the crash lab's wrapper: it knows what is unflushed, and can fail.
import { WriteBatch } from '../batch';
import { toHex } from '../bytes';
import { ErrorCode, LsmError } from '../errors';
import type { EngineEvent } from '../events';
import type { Snapshot } from '../snapshot';
import { FaultyStorage } from '../storage/faulty';
import { MemoryStorage } from '../storage/memory';
import { OpfsStorage } from '../storage/opfs';
import type { Storage } from '../storage/storage';
import { LsmTree } from '../tree';
import type { Transaction } from '../txn';
import { CrashPoints, summarize } from './crash-points';
import { EventBatcher } from './events';
import { DatabaseLock } from './locks';
import type { OpenOptions, OpenResult, Request, SerializedError, WorkerApi, WorkerMessage } from './protocol';
import { verify } from './verify';
import { WorkloadRunner } from './workload-runner';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Pairs a scan returns to the page (its count covers all). */
const SCAN_PAIRS_RETURNED = 50;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

const events = new EventBatcher(post);

/** What this worker holds, in one place. */
const host = {
  tree: undefined as LsmTree | undefined,
  faulty: undefined as FaultyStorage | undefined,
  databaseName: '',
  options: { memtableBytes: 1024 } as OpenOptions,
  /** The files are on OPFS (else in memory: a browser without sync access handles, or one that denies storage). */
  persistent: false,
  /** The files, when they live in this worker's memory: the page asks for them when it crashes the worker. */
  memory: undefined as MemoryStorage | undefined,
  lock: new DatabaseLock(),
  crashPoints: new CrashPoints(
    (event) => events.add(event),
    () => events.flush(),
  ),
  workload: new WorkloadRunner(events),
  /** Snapshots the page holds, by id (a Snapshot object cannot cross postMessage). They end with the tree. */
  snapshots: new Map<number, Snapshot>(),
  nextSnapshotId: 1,
  /** Open transactions, by their id (a Transaction cannot cross postMessage either). They end with the tree. */
  txns: new Map<number, Transaction>(),
  /** How far the engine's clock runs ahead of the real one (advanceClock; the page carries it across reopens). */
  clockOffsetMs: 0,
};

/** Aborts every open transaction: the database they read is closing. */
function abortTransactions(): void {
  for (const txn of host.txns.values()) txn.abort();
  host.txns.clear();
}

function requireTxn(id: number): Transaction {
  const txn = host.txns.get(id);
  if (!txn) {
    throw new LsmError(
      ErrorCode.TxnFinished,
      `no open transaction ${id} (committed, aborted, or the database reopened)`,
    );
  }
  return txn;
}

/**
 * Opens the tree on OPFS, or in memory: on `memoryFiles` when the page hands them over (the files a crashed worker
 * left), on empty memory where the browser has no OPFS sync access handles.
 */
async function openTree(memoryFiles?: Array<[string, Uint8Array]>, repair = false): Promise<OpenResult> {
  let storage: Storage;
  if (!memoryFiles && OpfsStorage.isSupported()) {
    storage = await OpfsStorage.open(host.databaseName);
    host.persistent = true;
    host.memory = undefined;
  } else {
    host.memory = MemoryStorage.withFiles(memoryFiles ?? []);
    storage = host.memory;
    host.persistent = false;
  }
  const faulty = new FaultyStorage(storage);
  host.faulty = faulty;
  host.crashPoints.attach(faulty);
  host.snapshots.clear();
  host.txns.clear();
  const { clockOffsetMs: _, ...rest } = host.options;
  const options = {
    ...rest,
    onEvent: (event: EngineEvent) => host.crashPoints.watch(event),
    clock: () => Date.now() + host.clockOffsetMs,
  };
  host.tree = repair ? await LsmTree.repair(faulty, options) : await LsmTree.open(faulty, options);
  const report = host.tree.repairReport;
  return {
    status: 'open',
    persistent: host.persistent,
    state: await host.tree.describe(),
    ...(report ? { repair: report } : {}),
  };
}

function requireFaulty(): FaultyStorage {
  if (!host.faulty) throw new LsmError(ErrorCode.Closed, 'the database is not open');
  return host.faulty;
}

function requireSnapshot(id: number): Snapshot {
  const snapshot = host.snapshots.get(id);
  if (!snapshot)
    throw new LsmError(ErrorCode.InvalidArgument, `no live snapshot ${id} (released, or the database reopened)`);
  return snapshot;
}

function requireTree(): LsmTree {
  if (!host.tree) throw new LsmError(ErrorCode.Closed, 'the database is not open');
  return host.tree;
}

type Handlers = { [M in keyof WorkerApi]: (...args: Parameters<WorkerApi[M]>) => Promise<ReturnType<WorkerApi[M]>> };

/** open and repair: the lock, then the tree (repaired first, for repair). */
async function openOrRepair(
  name: string,
  openOptions: OpenOptions,
  memoryFiles: Array<[string, Uint8Array]> | null | undefined,
  repair: boolean,
): Promise<OpenResult> {
  if (host.tree) throw new LsmError(ErrorCode.InvalidArgument, 'this worker already has a database open');
  host.databaseName = name;
  host.options = openOptions;
  host.clockOffsetMs = Math.max(host.clockOffsetMs, openOptions.clockOffsetMs ?? 0);
  // Files in memory belong to this worker alone: there is nothing for another tab to fight over, no lock.
  if (memoryFiles) return openTree(memoryFiles, repair);
  try {
    if (!(await host.lock.acquire(name))) return { status: 'locked' };
    try {
      return await openTree(undefined, repair);
    } catch (error) {
      host.lock.release();
      throw error;
    }
  } catch (error) {
    // The browser denies this page storage (a frame on another site, third-party storage blocked): nobody holds
    // the database, there is just no disk here. The engine runs in memory, and the page says why.
    if (!(error instanceof LsmError && error.code === ErrorCode.StorageDenied)) throw error;
    const opened = await openTree([]);
    return opened.status === 'open' ? { ...opened, denied: error.message } : opened;
  }
}

const handlers: Handlers = {
  async open(name, openOptions, memoryFiles) {
    return openOrRepair(name, openOptions, memoryFiles, false);
  },
  async put(key, value) {
    await requireTree().put(key, value);
  },
  async delete(key) {
    await requireTree().delete(key);
  },
  async write(writes) {
    const batch = new WriteBatch();
    for (const [key, value] of writes) {
      if (value === null) batch.delete(key);
      else batch.put(key, value);
    }
    await requireTree().write(batch);
  },
  async get(key, snapshot) {
    const result = await requireTree().lookup(key, snapshot == null ? {} : { snapshot: requireSnapshot(snapshot) });
    // A buffer of its own: a get's value shares a slab with others (value-copy.ts), and posting it would copy that.
    return { ...result, value: result.value?.slice() ?? null };
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
      if (first.length < SCAN_PAIRS_RETURNED) first.push([toHex(key), toHex(value)]);
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
    const id = host.nextSnapshotId++;
    host.snapshots.set(id, snapshot);
    return { id, seq: snapshot.seq };
  },
  async releaseSnapshot(id) {
    host.snapshots.get(id)?.release();
    host.snapshots.delete(id);
  },
  async stats() {
    return requireTree().stats();
  },
  async setOptions(changes) {
    host.options = { ...host.options, ...changes };
    await requireTree().setOptions(changes);
  },
  async runWorkload(spec) {
    return host.workload.run(requireTree(), spec);
  },
  async cancelWorkload() {
    host.workload.cancel();
  },
  async armCrash(point, kind, seed) {
    requireFaulty();
    host.crashPoints.arm(point, kind, seed ?? undefined);
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
    host.tree?.evictCache(file); // a block read before the flip was verified then: make the next read see the flip
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
  async memoryFiles() {
    if (!host.memory) throw new LsmError(ErrorCode.InvalidArgument, 'the files are on OPFS, not in memory');
    return host.memory.copyFiles();
  },
  async verify(expected) {
    return verify(requireTree(), expected);
  },
  async close() {
    abortTransactions();
    await host.tree?.close();
    host.tree = undefined;
    host.lock.release();
  },
  async reset() {
    abortTransactions();
    await host.tree?.close().catch(() => {});
    host.tree = undefined;
    if (host.persistent) await OpfsStorage.destroy(host.databaseName);
    return openTree(host.persistent ? undefined : []);
  },
  async txnBegin(serializable) {
    const txn = await requireTree().transaction({ serializable: serializable ?? true });
    host.txns.set(txn.id, txn);
    return { id: txn.id, seq: txn.seq };
  },
  async txnGet(id, key) {
    return { value: (await requireTxn(id).get(key))?.slice() ?? null };
  },
  async txnScan(id, start, end) {
    const first: Array<[string, string]> = [];
    let count = 0;
    const range = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
    for await (const [key, value] of requireTxn(id).scan(range)) {
      if (first.length < SCAN_PAIRS_RETURNED) first.push([toHex(key), toHex(value)]);
      count++;
    }
    return { count, first };
  },
  async txnWrite(id, key, value) {
    if (value === null) requireTxn(id).delete(key);
    else requireTxn(id).put(key, value);
  },
  async txnCommit(id) {
    const txn = requireTxn(id);
    try {
      await txn.commit();
    } finally {
      // Committed, or refused (which aborts it): either way it is finished, and the worker lets go of it.
      host.txns.delete(id);
    }
  },
  async txnAbort(id) {
    host.txns.get(id)?.abort();
    host.txns.delete(id);
  },
  async repair(name, openOptions, memoryFiles) {
    return openOrRepair(name, openOptions, memoryFiles, true);
  },
  async deleteManifest() {
    const storage = requireFaulty();
    // Closed first: the tree holds the manifest open, and would write to it again.
    await host.tree?.close();
    host.tree = undefined;
    const removed: string[] = [];
    for (const file of await storage.list()) {
      if (!file.startsWith('MANIFEST-')) continue;
      await storage.remove(file);
      removed.push(file);
    }
    return removed;
  },
  async property(name) {
    return (await requireTree().property(name)) ?? null;
  },
  async approximateSize(start, end) {
    return requireTree().approximateSize({ ...(start ? { start } : {}), ...(end ? { end } : {}) });
  },
  async advanceClock(ms) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new LsmError(ErrorCode.InvalidArgument, `the clock only moves ahead, by a finite number of ms, not ${ms}`);
    }
    host.clockOffsetMs += ms;
    return host.clockOffsetMs;
  },
};

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
    events.flush();
    post({ kind: 'response', id, ok: true, value });
  } catch (error) {
    events.flush();
    post({ kind: 'response', id, ok: false, error: serialize(error) });
  }
};
