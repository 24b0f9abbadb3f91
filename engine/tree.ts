// LsmTree: the engine's front door. Writes go WAL first (flushed: durable), then the memtable; a full
// memtable becomes an SSTable in L0, committed by one manifest record; compaction merges tables down the
// levels; reads go newest to oldest. Every operation runs alone, in call order, on one serial queue: no two
// ever interleave, and every step of every operation is visible as an event. (With nobody listening, a full
// memtable's SSTable is built on a flush worker while the writes go on; its commit takes a turn of the queue.)
//
// This file is the public API and the queue. The algorithms live one concept per file, each taking the tree's
// state (state.ts) as their first argument: the write path (write.ts, group-commit.ts), flush (flush.ts), what
// flush and compaction share (commit.ts), compaction (compaction/execute.ts), reads (read.ts), settings
// (settings.ts), stats (stats.ts), the failure policy (failure.ts), the events (trace.ts) and transactions
// (txn.ts); a flush off the write path, with a flush worker (background-flush.ts).
import { closeBackgroundFlush, commitImmutable, newFlushWorkerState } from './background-flush';
import { WriteBatch } from './batch';
import { compactRange, compactWhileNeeded, type RangeCompaction } from './compaction/execute';
import type { KeyRange } from './compaction/range';
import { newCounters } from './counters';
import { ErrorCode, LsmError } from './errors';
import type { EventListener, FileInfo } from './events';
import { failed } from './failure';
import { flushMemtable } from './flush';
import type { FlushWorker } from './flush-table';
import { syncWal } from './group-commit';
import { approximateSize, property } from './introspect';
import { checkKey, checkValue } from './limits';
import { MAX_RECORD_PAYLOAD } from './log/format';
import { Arena } from './memtable/arena';
import { type Lookup, lookup, type ScanCursor, scanBatch } from './read';
import { recover } from './recovery';
import { RecoveryTrace } from './recovery-trace';
import { type RepairReport, repairFiles } from './repair';
import { checkSettings, DEFAULT_SETTINGS, definedOnly, type LsmOptions, type TreeSettings } from './settings';
import { type Snapshot, SnapshotList } from './snapshot';
import { type CachedBlock, recycleBlock } from './sstable/block';
import { BlockCache } from './sstable/block-cache';
import type { LsmState } from './state';
import { describeTree, peekMemtable, type TreeState, type TreeStats, treeStats } from './stats';
import type { Storage } from './storage/storage';
import { Trace } from './trace';
import { Transaction, type TxnCommit, TxnConflictError, type TxnHost, TxnRegistry } from './txn';
import { entryRecord, write } from './write';
import { replayedTimes } from './write-times';

export type { RangeCompaction } from './compaction/execute';
export type { Lookup } from './read';
export type { RepairReport } from './repair';
export {
  DEFAULT_MEMTABLE_BYTES,
  DEFAULT_SETTINGS,
  type Durability,
  type LsmOptions,
  type TreeSettings,
} from './settings';
export type { TreeState, TreeStats } from './stats';

const EMPTY = new Uint8Array(0);

export class LsmTree {
  readonly #trace = new Trace();
  /** The live snapshots; made before recovery, so that the tree's state can take them over. */
  readonly #snapshots = new SnapshotList();
  /** Where every write's WAL record is encoded, and the memtable's keys and values then lie (arena.ts). */
  readonly #arena = new Arena();
  /** The settings it opens with; setOptions changes the state's (state.settings). */
  readonly #settings: TreeSettings;
  /** Everything the algorithms share (state.ts); set once recovery has opened the files. */
  #state!: LsmState;
  #queue: Promise<unknown> = Promise.resolve();
  /** Operations queued or running. At 0 a read runs at once, synchronously (see #read). */
  #pending = 0;
  #closed = false;
  #repairReport: RepairReport | undefined;
  /** LsmOptions.clock. */
  readonly #clock: () => number;
  /** LsmOptions.flushWorker. */
  readonly #flushWorker: false | (() => FlushWorker) | undefined;

  private constructor(options: LsmOptions) {
    const { onEvent, clock, flushWorker, ...settings } = options;
    this.#clock = clock ?? Date.now;
    this.#flushWorker = flushWorker;
    this.#settings = checkSettings({ ...DEFAULT_SETTINGS, ...definedOnly(settings) });
    if (onEvent) this.#trace.subscribe(onEvent);
    this.#snapshots.onRelease = (snapshot) =>
      this.#trace.snapshotReleased(snapshot.seq, this.#snapshots.sequences(), snapshot.implicit);
  }

  /** Opens (recovering) or creates the database kept in `storage`. */
  static async open(storage: Storage, options: LsmOptions = {}): Promise<LsmTree> {
    const tree = new LsmTree(options);
    await tree.#recover(storage);
    return tree;
  }

  /**
   * LevelDB's RepairDB, then open: builds a new manifest from the SSTables and WALs found in `storage`, trusting no
   * manifest (engine/repair.ts), and opens the result. For a database that will not open (its manifest deleted,
   * truncated or damaged, a table damaged). The tree's `repairReport` says what was kept and what was lost.
   */
  static async repair(storage: Storage, options: LsmOptions = {}): Promise<LsmTree> {
    const tree = new LsmTree(options);
    const report = await repairFiles(storage, tree.#settings, tree.#trace);
    await tree.#recover(storage);
    tree.#repairReport = report;
    tree.#trace.emit({
      type: 'repair.end',
      manifest: report.manifest,
      tablesKept: report.tablesKept.length,
      tablesLost: report.tablesLost.length,
      walRecordsRecovered: report.walRecordsRecovered,
      walRecordsLost: report.walRecordsLost,
      merged: report.merged,
    });
    return tree;
  }

  /** What repair kept and lost, on a tree LsmTree.repair opened (undefined on one LsmTree.open opened). */
  get repairReport(): RepairReport | undefined {
    return this.#repairReport;
  }

  /** Recovery (recovery.ts) on this new tree: the state every operation then works on. */
  async #recover(storage: Storage): Promise<void> {
    const trace = this.#trace;
    const recovered = await recover(storage, new RecoveryTrace(trace), this.#settings.memtableBytes);
    const blockCache = new BlockCache<CachedBlock>(this.#settings.blockCacheBytes, recycleBlock);
    for (const reader of recovered.readers.values()) reader.cache = blockCache;
    this.#state = {
      storage,
      trace,
      settings: this.#settings,
      version: recovered.version,
      manifest: recovered.manifest,
      manifestSnapshotBytes: undefined,
      wal: recovered.wal,
      olderWals: recovered.olderWals,
      memtable: recovered.memtable,
      imm: undefined,
      flusher: newFlushWorkerState(this.#flushWorker, storage),
      arena: this.#arena,
      readers: recovered.readers,
      blockCache,
      readPlan: undefined,
      snapshots: this.#snapshots,
      readOnly: undefined,
      waiting: [],
      groupTimer: undefined,
      cursors: new Map(),
      removals: new Set(),
      counters: newCounters(),
      enqueue: (operation) => this.#run(operation),
      txns: new TxnRegistry(),
      clock: this.#clock,
      pendingTimes: this.#settings.filterTtlMs > 0 ? replayedTimes(recovered.memtable, this.#clock()) : undefined,
    };
  }

  subscribe(listener: EventListener): () => void {
    return this.#trace.subscribe(listener);
  }

  get settings(): Readonly<TreeSettings> {
    return this.#state.settings;
  }

  /** Why the database refuses writes, or undefined while it accepts them. */
  get readOnly(): string | undefined {
    return this.#state.readOnly;
  }

  /** Resolves once the record is in the WAL and the WAL is flushed: then the write survives a crash. */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    checkKey(key);
    checkValue(value);
    // Encoded now, into the arena: the caller may reuse its buffers after we return, and the memtable keeps ours.
    await this.#write(entryRecord(this.#arena, 'put', key, value));
  }

  /** Writes a tombstone: the key reads as absent, and older values of it in SSTables stay hidden. */
  async delete(key: Uint8Array): Promise<void> {
    checkKey(key);
    await this.#write(entryRecord(this.#arena, 'delete', key, EMPTY));
  }

  /**
   * Commits a WriteBatch: its puts and deletes, in order, as one WAL record and one flush. Atomic: after a
   * crash, all of them are there or none is. Resolves when the record is durable (per `durability`). The
   * batch may be reused or cleared as soon as this is called.
   */
  async write(batch: WriteBatch): Promise<void> {
    if (!(batch instanceof WriteBatch)) throw new TypeError('write() takes a WriteBatch');
    if (batch.byteLength > MAX_RECORD_PAYLOAD) {
      throw new LsmError(
        ErrorCode.InvalidArgument,
        `batch is ${batch.byteLength} bytes; one WAL record holds at most ${MAX_RECORD_PAYLOAD}: split it`,
      );
    }
    if (batch.count === 0) return;
    // Copied now, into the arena: the caller may change the batch while this write waits its turn.
    await this.#write(batch.walRecord((length) => this.#arena.alloc(length)));
  }

  /** The value of key, newest version; with `snapshot`, the value it had when the snapshot was taken. */
  get(key: Uint8Array, options: { snapshot?: Snapshot } = {}): Promise<Uint8Array | undefined> {
    let atSeq: number;
    try {
      checkKey(key);
      atSeq = this.#readSequence(options.snapshot);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => lookup(this.#state, key, true, atSeq).value);
  }

  /**
   * get, and where the answer came from. `trace: false` reads without emitting events or counting; `events: false`
   * counts the read in the stats but emits no events (a workload's reads).
   */
  lookup(key: Uint8Array, options: { trace?: boolean; events?: boolean; snapshot?: Snapshot } = {}): Promise<Lookup> {
    let atSeq: number;
    try {
      checkKey(key);
      atSeq = this.#readSequence(options.snapshot);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => lookup(this.#state, key, options.trace ?? true, atSeq, options.events ?? true));
  }

  /**
   * Takes a snapshot: the tree as it is now (after every write queued before this call). Reads given it
   * (`get`, `lookup`, `scan`) see exactly that, whatever is written, flushed or compacted afterwards. Release it
   * when done: until then, flushes and compactions keep the old versions it can see.
   */
  snapshot(): Promise<Snapshot> {
    return this.#takeSnapshot(false);
  }

  /** `implicit`: a scan's own, said so in its events. */
  #takeSnapshot(implicit: boolean): Promise<Snapshot> {
    return this.#run(async () => {
      const snapshot = this.#snapshots.take(this.#state.version.lastSequence, implicit);
      this.#trace.snapshotTaken(snapshot.seq, this.#snapshots.sequences(), implicit);
      return snapshot;
    });
  }

  /**
   * Pairs with start <= key < end, in key order, deletes hidden, as of one moment: `snapshot`'s, or, without
   * one, the moment the scan starts (an implicit snapshot, released when the scan ends or is abandoned with
   * `break`/`return`). Read in batches: each batch is one queued operation, so a long scan never holds up
   * writes, and none of them shows up in it.
   */
  async *scan(
    range: { start?: Uint8Array; end?: Uint8Array; snapshot?: Snapshot } = {},
  ): AsyncGenerator<[Uint8Array, Uint8Array]> {
    if (range.start !== undefined) checkKey(range.start);
    if (range.end !== undefined) checkKey(range.end);
    if (range.snapshot !== undefined) this.#readSequence(range.snapshot);
    const implicit = range.snapshot === undefined ? await this.#takeSnapshot(true) : undefined;
    const snapshot = range.snapshot ?? implicit!;
    try {
      let from = range.start;
      let skipFrom = false;
      let cursor: ScanCursor | undefined;
      for (;;) {
        const batch = await this.#run(async () =>
          scanBatch(this.#state, from, skipFrom, range.end, this.#readSequence(snapshot), cursor),
        );
        for (const pair of batch.pairs) yield pair;
        if (batch.done) return;
        from = batch.pairs[batch.pairs.length - 1]![0];
        skipFrom = true;
        cursor = batch.cursor;
      }
    } finally {
      implicit?.release();
    }
  }

  /** Memtable -> SSTable now (nothing happens when the memtable is empty), then any compaction that needs doing. */
  async flush(): Promise<void> {
    return this.#run(async () => {
      await this.#work('flush', () => flushMemtable(this.#state, 'manual'));
      await this.#work('compaction', () => compactWhileNeeded(this.#state));
    });
  }

  /**
   * Resolves once the memtable being flushed off the write path, if any (background-flush.ts), is committed as an
   * SSTable, and the compactions that called for are done: what RocksDB's WaitForCompact waits for. The writes
   * themselves are durable before that, in the WAL.
   */
  async waitForBackgroundWork(): Promise<void> {
    return this.#run(async () => {
      await this.#work('flush', () => commitImmutable(this.#state));
      await this.#work('compaction', () => compactWhileNeeded(this.#state));
    });
  }

  /** Runs compactions until no level needs one (none when compaction is 'off'); resolves with how many ran. */
  async compact(): Promise<number> {
    return this.#run(() => this.#work('compaction', () => compactWhileNeeded(this.#state)));
  }

  /**
   * LevelDB's CompactRange: flushes the memtable, then pushes every SSTable overlapping [start, end) down, level
   * by level, to the last level that holds data (compaction/range.ts), dropping shadowed versions and, where
   * nothing older can lie below, tombstones. No bounds: the whole tree. This is how deleted space comes back
   * when no level "needs" a compaction by its score. Each step is a compaction like any other (same events,
   * same crash safety); resolves with what they did.
   */
  async compactRange(range: { start?: Uint8Array; end?: Uint8Array } = {}): Promise<RangeCompaction> {
    if (range.start !== undefined) checkKey(range.start);
    if (range.end !== undefined) checkKey(range.end);
    const keys: KeyRange = {
      ...(range.start ? { start: range.start.slice() } : {}),
      ...(range.end ? { end: range.end.slice() } : {}),
    };
    // The memtable's flush first, on its own, so that its failure is called a flush's (compactRange's own flush
    // then finds the memtable empty and does nothing). An empty range does nothing at all, no flush either.
    const empty = keys.start !== undefined && keys.end !== undefined && keys.start >= keys.end;
    return this.#run(async () => {
      if (!empty) await this.#work('flush', () => flushMemtable(this.#state, 'manual'));
      return this.#work('compaction', () => compactRange(this.#state, keys));
    });
  }

  /** Changes settings while open. Existing SSTables keep their format; new ones use the new settings. */
  async setOptions(changes: Partial<TreeSettings>): Promise<void> {
    const next = checkSettings({ ...this.#state.settings, ...definedOnly(changes) });
    return this.#run(async () => {
      this.#state.settings = next;
    });
  }

  async setMemtableBytes(bytes: number): Promise<void> {
    return this.setOptions({ memtableBytes: bytes });
  }

  /** The engine's own picture of itself, in the events' terms: what the UI's fold of the events must equal. */
  async describe(): Promise<TreeState> {
    return this.#run(async () => describeTree(this.#state));
  }

  /**
   * Forgets cached blocks (of one file, or all), so that the next read goes to storage and verifies again.
   * Cached blocks were verified when read; the corruption lab damages bytes afterwards and wants to see it.
   */
  evictCache(file?: string): void {
    if (file) {
      for (const reader of this.#state.readers.values()) if (reader.name === file) reader.evictCached();
      return;
    }
    this.#state.blockCache = new BlockCache<CachedBlock>(this.#state.settings.blockCacheBytes, recycleBlock);
    for (const reader of this.#state.readers.values()) reader.cache = this.#state.blockCache;
  }

  /**
   * The memtable's totals, its first `limit` entries, and the WAL it is logged in: what a view can show of
   * them without copying the whole memtable (describe() does, which is too much a few times a second).
   */
  async peekMemtable(
    limit: number,
  ): Promise<{ entries: number; bytes: number; sample: TreeState['memtable']; wal: FileInfo }> {
    return this.#run(async () => peekMemtable(this.#state, limit));
  }

  /**
   * Counters and amplification. Counting live bytes scans the whole tree, quietly: a damaged block fails the call
   * with its typed error (file and offset) but announces no corruption event, which tells of what an operation
   * found. A page asks for stats on a timer of its own; what it asked must not show up among a get's events.
   */
  async stats(): Promise<TreeStats> {
    return this.#run(async () => treeStats(this.#state), false);
  }

  /**
   * Begins a transaction (txn.ts): it reads at a snapshot taken now (after every write queued before this call)
   * through a private workspace that holds its own writes; commit() validates its reads (serializable) and writes
   * the workspace as one WriteBatch record, or refuses with TxnConflict and writes nothing. `serializable: false`:
   * snapshot isolation only (mini-lsm's default), no validation at commit: write skew can happen.
   */
  transaction(options: { serializable?: boolean } = {}): Promise<Transaction> {
    const serializable = options.serializable ?? true;
    return this.#run(async () => {
      const snapshot = this.#snapshots.take(this.#state.version.lastSequence);
      this.#trace.snapshotTaken(snapshot.seq, this.#snapshots.sequences(), false);
      const id = this.#state.txns.begin(snapshot.seq);
      this.#trace.emit({ type: 'txn.begin', txn: id, seq: snapshot.seq, ...(serializable ? {} : { serializable }) });
      return new Transaction(id, snapshot, this.#txnHost, serializable);
    });
  }

  /**
   * A property, by LevelDB's name (GetProperty), with or without its `leveldb.` prefix: 'stats' (per level: files,
   * size, and the time and bytes of the flushes and compactions that wrote into it, as leveldb.stats prints),
   * 'num-files-at-level<N>', 'sstables', 'approximate-memory-usage'. Undefined for a name it does not know.
   */
  async property(name: string): Promise<string | undefined> {
    return this.#run(async () => property(this.#state, name));
  }

  /**
   * LevelDB's GetApproximateSizes: about how many bytes of SSTables hold the keys in [start, end) (no bound: the
   * tree's start or end), from the tables' index blocks alone. The memtable is not counted.
   */
  async approximateSize(range: { start?: Uint8Array; end?: Uint8Array } = {}): Promise<number> {
    if (range.start !== undefined) checkKey(range.start);
    if (range.end !== undefined) checkKey(range.end);
    return this.#run(async () => approximateSize(this.#state, range.start, range.end));
  }

  /** Closes every file. The memtable is not flushed: its records are in the WAL, and opening replays them. */
  async close(): Promise<void> {
    return this.#run(async () => {
      try {
        if (!this.#state.readOnly) syncWal(this.#state);
      } finally {
        // A memtable being flushed off the write path is committed (or, failing that, left to its WALs).
        await closeBackgroundFlush(this.#state);
        // Obsolete files still being deleted (they fail quietly: a file left is the next recovery's to delete).
        await Promise.all(this.#state.removals);
        // Whatever happened to the last sync, the handles go: a closed database must not hold its files.
        this.#state.wal.close();
        this.#state.manifest.close();
        for (const reader of this.#state.readers.values()) reader.close();
        this.#closed = true;
        this.#arena.treeClosed();
        this.#trace.closed();
      }
    });
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** The sequence number a read reads at: its snapshot's, or (none) every write so far. */
  #readSequence(snapshot: Snapshot | undefined): number {
    return snapshot === undefined ? Number.POSITIVE_INFINITY : this.#snapshots.check(snapshot);
  }

  /**
   * A flush or compaction the caller asked for: its failure goes to the caller, and failure.ts decides whether the
   * tree may write on after it.
   */
  async #work<T>(operation: 'flush' | 'compaction', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      failed(this.#state, error, operation, true);
      throw error;
    }
  }

  /** An operation in its turn. `announce`: a corruption it meets is also told as a corruption event. */
  #run<T>(operation: () => Promise<T>, announce = true): Promise<T> {
    this.#pending++;
    const result = this.#queue.then(() => {
      if (this.#closed) throw new LsmError(ErrorCode.Closed, 'the database is closed');
      return operation();
    });
    const finished = () => {
      this.#pending--;
    };
    this.#queue = result.then(finished, finished);
    if (!announce) return result;
    return result.catch((error: unknown) => {
      this.#trace.corruption(error);
      throw error;
    });
  }

  /**
   * A read: when nothing is queued or running it runs now, synchronously (reads use synchronous file handles),
   * which is exactly what its turn in the queue would have been, minus a few promise hops that cost more than
   * a warm get itself. Otherwise it takes its turn like any operation.
   */
  #read<T>(operation: () => T): Promise<T> {
    if (this.#pending > 0) return this.#run(async () => operation());
    if (this.#closed) return Promise.reject(new LsmError(ErrorCode.Closed, 'the database is closed'));
    try {
      return Promise.resolve(operation());
    } catch (error) {
      this.#trace.corruption(error);
      return Promise.reject(error);
    }
  }

  /** What transactions use of the tree (txn.ts). */
  readonly #txnHost: TxnHost = {
    get: (key, snapshot) => this.get(key, { snapshot }),
    scan: (range) => this.scan(range),
    commit: (commit) => this.#commitTransaction(commit),
    end: (id, aborted) => {
      this.#state.txns.end(id);
      if (aborted) this.#trace.emit({ type: 'txn.abort', txn: id });
    },
    emit: (body) => this.#trace.emit(body),
    tracing: () => this.#trace.on,
  };

  /**
   * A transaction's commit: validation and its record's write in ONE queued operation, so that no other write can
   * come between the check and the write; then waits, outside the queue, until the record is durable.
   */
  async #commitTransaction(commit: TxnCommit): Promise<void> {
    let record: Uint8Array | undefined;
    if (commit.batch) {
      if (commit.batch.byteLength > MAX_RECORD_PAYLOAD) {
        this.#txnHost.end(commit.id, true);
        throw new LsmError(
          ErrorCode.InvalidArgument,
          `transaction ${commit.id} writes ${commit.batch.byteLength} bytes; one WAL record holds at most ${MAX_RECORD_PAYLOAD}`,
        );
      }
      record = commit.batch.walRecord((length) => this.#arena.alloc(length));
    }
    const { durable } = await this.#run(async () => {
      const state = this.#state;
      try {
        if (!record) {
          this.#trace.emit({ type: 'txn.commit', txn: commit.id, writes: 0, record: null });
          return { durable: Promise.resolve() };
        }
        const conflict = commit.serializable && state.txns.validate(commit.begin, commit.reads, commit.ranges);
        if (conflict) {
          this.#trace.emit({ type: 'txn.conflict', txn: commit.id, begin: commit.begin, ...conflict });
          throw new TxnConflictError(commit.id, commit.begin, conflict);
        }
        const written = await write(state, record);
        const writes = commit.batch!.count;
        this.#trace.emit({ type: 'txn.commit', txn: commit.id, writes, record: written.appended });
        return written;
      } catch (error) {
        this.#trace.emit({ type: 'txn.abort', txn: commit.id });
        throw error;
      } finally {
        state.txns.end(commit.id);
      }
    }).finally(() => {
      if (record) this.#arena.settle(record); // refused, or failed before the memtable took it
    });
    await durable;
  }

  /** One write's or batch's WAL record, on the queue (write.ts); then waits, outside the queue, until durable. */
  async #write(record: Uint8Array): Promise<void> {
    try {
      const { durable } = await this.#run(() => write(this.#state, record));
      await durable;
    } finally {
      this.#arena.settle(record); // a write that failed before the memtable took it (write.ts settles the others)
    }
  }
}
