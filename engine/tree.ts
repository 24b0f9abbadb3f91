// LsmTree: the engine's front door. Writes go WAL first (flushed: durable), then the memtable; a full
// memtable becomes an SSTable in L0, committed by one manifest record; compaction merges tables down the
// levels; reads go newest to oldest. Every operation runs alone, in call order, on one serial queue: no two
// ever interleave, and every step of every operation is visible as an event.
import { WriteBatch } from './batch';
import { compareBytes, toHex } from './bytes';
import { type BatchWrite, decodeBatch, type Entry, entrySize } from './codec/record';
import { levelTargets } from './compaction/levels';
import {
  type CompactionOptions,
  type CompactionStrategy,
  type CompactionTask,
  type LevelScore,
  levelScores,
  pickCompaction,
} from './compaction/picker';
import { inRange, type KeyRange, pickBottomRewrite, pickRangeStep } from './compaction/range';
import { OutputSplitter } from './compaction/splitter';
import { corruption, ErrorCode, LsmError } from './errors';
import type { EngineEvent, EngineEventBody, EventListener, FileInfo, SkipListPath, SstableMeta } from './events';
import { sstableName, walName } from './filenames';
import { type Merged, mergeAll, mergeNewest } from './iterators';
import { checkKey, checkValue } from './limits';
import { encodeEdit, type VersionEdit } from './manifest/edit';
import { type RolledManifest, shouldRoll, snapshotEditEvent, startManifest } from './manifest/roll';
import type { Version } from './manifest/version';
import type { ManifestWriter } from './manifest/writer';
import { Memtable, SEARCH_PATH_UP_TO } from './memtable/memtable';
import { recover } from './recovery';
import { type Retention, retain, type Snapshot, SnapshotList } from './snapshot';
import type { Compression } from './sstable/block';
import { BlockCache } from './sstable/block-cache';
import { hash32 } from './sstable/bloom';
import { type BuilderOptions, SstableBuilder } from './sstable/builder';
import { DEFAULT_BLOCK_SIZE, DEFAULT_BLOOM_BITS_PER_KEY } from './sstable/format';
import { type DataBlock, type ReadExplain, recycleBlock, SstableReader } from './sstable/reader';
import { flushFile, openFile, removeFile } from './storage/io';
import type { Storage } from './storage/storage';
import { MAX_RECORD_PAYLOAD, RECORD_HEADER_SIZE, sealBatchRecord } from './wal/format';
import { WalWriter } from './wal/writer';
import { yieldToEventLoop } from './yield';

/** What can change while the database is open (setOptions); each takes effect at the next flush or compaction. */
export type Durability = 'durable' | 'group' | 'relaxed';

export interface TreeSettings {
  /**
   * When a write is acknowledged. 'durable' (default, the seed's fsync): after its WAL record is flushed.
   * 'group' (group commit): records are flushed together, every `groupCommitWrites` writes or `groupCommitMs`
   * ms, and each write is acknowledged after its group's flush: durable too, far fewer flushes when many
   * writes are in flight. 'relaxed': acknowledged once written (it survives a crashed tab or worker, since
   * write() reaches the OS), flushed within `groupCommitMs`: a power cut can lose the last acknowledged writes.
   */
  durability: Durability;
  groupCommitWrites: number;
  groupCommitMs: number;
  /** Flush the memtable to an SSTable once its entries take this many bytes. Default 4 MiB, as in the seed. */
  memtableBytes: number;
  /** Data blocks close at about this many bytes. Default 4 KiB. */
  blockSize: number;
  /** Bloom filter bits per key in new SSTables; 0 = no filter. Default 10. */
  bloomBitsPerKey: number;
  /** Block compression in new SSTables. Default 'none'. */
  compression: Compression;
  /** Default 'leveled'. */
  compaction: CompactionStrategy;
  /** Leveled: L0 files that trigger a compaction into L1. Default 4. */
  l0Trigger: number;
  /** Leveled: each level's target is this many times the one above. Default 10. */
  levelSizeRatio: number;
  /**
   * Leveled: L1's target size with static targets; with dynamic ones, the base level's target lies between
   * this ÷ levelSizeRatio and this. Default: 4 × memtableBytes.
   */
  levelBaseBytes: number | undefined;
  /**
   * Leveled: derive level targets from the last level's size (RocksDB's level_compaction_dynamic_level_bytes),
   * so that most data sits fully merged in the last level. Default true; false = LevelDB's static targets
   * (compaction/levels.ts).
   */
  dynamicLevelBytes: boolean;
  /** Leveled: compaction splits its output into files of about this size. Default: memtableBytes. */
  targetFileBytes: number | undefined;
  /**
   * Leveled: a compaction output file is closed before it overlaps more than this many times targetFileBytes
   * of the level below its output level (LevelDB's kMaxGrandParentOverlapBytes). Default 10, as LevelDB.
   */
  grandparentOverlapFactor: number;
  /** Levels L0 .. L(maxLevels - 1). Default 7. */
  maxLevels: number;
  /** Tiered: merge this many neighbouring runs of similar size. Default 4. */
  tieredMinRuns: number;
  /**
   * The manifest is rolled over (a new one holding one snapshot record) once it is past this size and more than
   * 4 times that snapshot. Default 8 KiB.
   */
  manifestRollBytes: number;
  /**
   * Verified, indexed data blocks kept in memory for point reads (LevelDB's block cache). Default 32 MiB, as
   * RocksDB's (LevelDB's is 8 MiB); 0 turns it off.
   * Read at open: changing it later has no effect until the database is opened again.
   */
  blockCacheBytes: number;
}

export interface LsmOptions extends Partial<TreeSettings> {
  /** Subscribed before recovery starts, so it sees every recovery event. */
  onEvent?: EventListener;
}

export const DEFAULT_MEMTABLE_BYTES = 4 * 1024 * 1024;

const DEFAULT_SETTINGS: TreeSettings = {
  durability: 'durable',
  groupCommitWrites: 64,
  groupCommitMs: 5,
  memtableBytes: DEFAULT_MEMTABLE_BYTES,
  blockSize: DEFAULT_BLOCK_SIZE,
  bloomBitsPerKey: DEFAULT_BLOOM_BITS_PER_KEY,
  compression: 'none',
  compaction: 'leveled',
  l0Trigger: 4,
  levelSizeRatio: 10,
  levelBaseBytes: undefined,
  dynamicLevelBytes: true,
  targetFileBytes: undefined,
  grandparentOverlapFactor: 10,
  maxLevels: 7,
  tieredMinRuns: 4,
  manifestRollBytes: 8 * 1024,
  blockCacheBytes: 32 * 1024 * 1024,
};

/** The answer to a get, with where it came from: what the UI tells the class. */
export interface Lookup {
  value: Uint8Array | undefined;
  /** 'memtable', an SSTable's file name, or null when the key was not found. */
  source: string | null;
  /** SSTables whose key range holds the key (the ones a read must consider). */
  tablesChecked: number;
  /** Of those, the ones whose bloom filter said "certainly not here". */
  bloomSkips: number;
  /** Data blocks read from storage. */
  blocksRead: number;
}

/** The engine's own picture of itself, in the same terms as the events (bytes as hex). */
export interface TreeState {
  wal: FileInfo;
  manifest: FileInfo;
  memtable: Array<{ key: string; value: string | null; seq: number }>;
  memtableBytes: number;
  /** In read order: L0 newest first, then L1, L2, ... each in key order. */
  tables: SstableMeta[];
  lastSequence: number;
}

/** Real byte counters since open, and the amplification figures they give. */
export interface TreeStats {
  /** Bytes of keys and values handed to put and delete. */
  userBytes: number;
  /** Bytes written to storage: WAL records, SSTables (flushes and compactions), manifest records. */
  storageBytesWritten: number;
  /** storageBytesWritten / userBytes. */
  writeAmplification: number;
  gets: number;
  /** Per get: SSTables whose range held the key, and data blocks read. */
  tablesPerGet: number;
  blocksPerGet: number;
  bloomSkips: number;
  /** Bytes on storage now: live SSTables, WALs and the manifest. */
  diskBytes: number;
  /** Bytes of the live keys and values (newest version of each key, deletes excluded). */
  liveBytes: number;
  /** diskBytes / liveBytes. */
  spaceAmplification: number;
  liveKeys: number;
  /** SSTable data bytes before compression, and their size on storage. */
  tableDataBytes: number;
  tableBytes: number;
  flushes: number;
  compactions: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  levels: LevelScore[];
}

/** Entries per slice when a flush, compaction or scan walks many entries; between slices the event loop runs. */
const SLICE = 512;
const SCAN_BATCH = 256;
const EMPTY = new Uint8Array(0);
/** Results a scan.end event carries for the UI to show (the scan itself returns all). */
const SCAN_RESULTS_SHOWN = 50;

export class LsmTree {
  readonly #storage: Storage;
  readonly #listeners = new Set<EventListener>();
  #settings: TreeSettings;
  #version!: Version;
  #manifest!: ManifestWriter;
  #wal!: WalWriter;
  #olderWals: string[] = [];
  #memtable!: Memtable;
  #readers!: Map<number, SstableReader>;
  #blockCache!: BlockCache<DataBlock>;
  #queue: Promise<unknown> = Promise.resolve();
  /** Operations queued or running. At 0 a read runs at once, synchronously (see #read). */
  #pending = 0;
  /** Per level, its tables in read order and their readers: rebuilt when the version changes. */
  #readPlan: { from: readonly SstableMeta[]; levels: ReadLevel[] } | undefined;
  #closed = false;
  #eventId = 0;
  /** The live snapshots (snapshot.ts): flushes and compactions keep the versions they can see. */
  readonly #snapshots = new SnapshotList();
  /** Bytes of the record that would start a new manifest; measured at the first roll check and at each roll. */
  #manifestSnapshotBytes: number | undefined;
  /** Why writes are refused, once storage failed in a way that makes writing on unsafe. */
  #readOnly: string | undefined;
  /** Writes appended but not yet flushed, waiting for their group's flush (group commit). */
  #waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  #groupTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per level, the largest key (hex) last compacted out of it: leveled compaction walks levels round-robin. */
  readonly #cursors = new Map<number, string>();
  readonly #counters = {
    userBytes: 0,
    storageBytesWritten: 0,
    gets: 0,
    tablesChecked: 0,
    blocksRead: 0,
    bloomSkips: 0,
    flushes: 0,
    compactions: 0,
    compactionBytesRead: 0,
    compactionBytesWritten: 0,
  };

  private constructor(storage: Storage, options: LsmOptions) {
    this.#storage = storage;
    const { onEvent, ...settings } = options;
    this.#settings = checkSettings({ ...DEFAULT_SETTINGS, ...definedOnly(settings) });
    if (onEvent) this.#listeners.add(onEvent);
    this.#snapshots.onRelease = (snapshot) =>
      this.#emit({ type: 'snapshot.release', seq: snapshot.seq, live: this.#snapshots.sequences() });
  }

  /** Opens (recovering) or creates the database kept in `storage`. */
  static async open(storage: Storage, options: LsmOptions = {}): Promise<LsmTree> {
    const tree = new LsmTree(storage, options);
    const state = await recover(
      storage,
      (event) => tree.#emit(event),
      tree.#settings.memtableBytes,
      tree.#listeners.size > 0,
    );
    tree.#version = state.version;
    tree.#manifest = state.manifest;
    tree.#wal = state.wal;
    tree.#olderWals = state.olderWals;
    tree.#memtable = state.memtable;
    tree.#readers = state.readers;
    tree.#blockCache = new BlockCache<DataBlock>(tree.#settings.blockCacheBytes, recycleBlock);
    for (const reader of state.readers.values()) reader.cache = tree.#blockCache;
    return tree;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get settings(): Readonly<TreeSettings> {
    return this.#settings;
  }

  /** Why the database refuses writes, or undefined while it accepts them. */
  get readOnly(): string | undefined {
    return this.#readOnly;
  }

  /** Resolves once the record is in the WAL and the WAL is flushed: then the write survives a crash. */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    checkKey(key);
    checkValue(value);
    // Copies: the caller may reuse its buffers after we return, and the memtable keeps ours.
    const { durable } = await this.#run(() => this.#write({ op: 'put', key: key.slice(), value: value.slice() }));
    await durable;
  }

  /** Writes a tombstone: the key reads as absent, and older values of it in SSTables stay hidden. */
  async delete(key: Uint8Array): Promise<void> {
    checkKey(key);
    const { durable } = await this.#run(() => this.#write({ op: 'delete', key: key.slice(), value: EMPTY }));
    await durable;
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
    const record = batch.snapshot(); // now: the caller may change the batch while this write waits its turn
    const { durable } = await this.#run(() => this.#write(record));
    await durable;
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
    return this.#read(() => this.#lookup(key, true, atSeq).value);
  }

  /** get, and where the answer came from. `trace: false` reads without emitting events or counting. */
  lookup(key: Uint8Array, options: { trace?: boolean; snapshot?: Snapshot } = {}): Promise<Lookup> {
    let atSeq: number;
    try {
      checkKey(key);
      atSeq = this.#readSequence(options.snapshot);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => this.#lookup(key, options.trace ?? true, atSeq));
  }

  /**
   * Takes a snapshot: the tree as it is now (after every write queued before this call). Reads given it
   * (`get`, `lookup`, `scan`) see exactly that, whatever is written, flushed or compacted afterwards. Release it
   * when done: until then, flushes and compactions keep the old versions it can see.
   */
  async snapshot(): Promise<Snapshot> {
    return this.#run(async () => {
      const snapshot = this.#snapshots.take(this.#version.lastSequence);
      this.#emit({ type: 'snapshot.take', seq: snapshot.seq, live: this.#snapshots.sequences() });
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
    const implicit = range.snapshot === undefined ? await this.snapshot() : undefined;
    const snapshot = range.snapshot ?? implicit!;
    try {
      let from = range.start;
      let skipFrom = false;
      let cursor: ScanCursor | undefined;
      for (;;) {
        const batch = await this.#run(async () =>
          this.#scanBatch(from, skipFrom, range.end, this.#readSequence(snapshot), cursor),
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
      await this.#flushMemtable('manual');
      await this.#compactWhileNeeded();
    });
  }

  /** Runs compactions until no level needs one (none when compaction is 'off'); resolves with how many ran. */
  async compact(): Promise<number> {
    return this.#run(() => this.#compactWhileNeeded());
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
      ...(range.start ? { start: toHex(range.start) } : {}),
      ...(range.end ? { end: toHex(range.end) } : {}),
    };
    return this.#run(async () => {
      const done: RangeCompaction = { compactions: 0, bytesRead: 0, bytesWritten: 0, entriesDropped: 0 };
      if (keys.start !== undefined && keys.end !== undefined && keys.start >= keys.end) return done;
      await this.#flushMemtable('manual');
      const tables = this.#version.newestFirst();
      const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
      const bottom = Math.max(deepest, levelTargets(tables, this.#compactionOptions()).baseLevel);
      const olderAtBottom = new Set(tables.filter((t) => t.level === bottom && inRange(t, keys)).map((t) => t.number));
      const run = async (task: CompactionTask) => {
        const step = await this.#compact(task);
        done.compactions++;
        done.bytesRead += step.bytesRead;
        done.bytesWritten += step.bytesWritten;
        done.entriesDropped += step.dropped;
      };
      for (let level = 0; level < bottom; level++) {
        for (let task = pickRangeStep(this.#version.newestFirst(), keys, level, bottom); task; ) {
          await run(task);
          task = pickRangeStep(this.#version.newestFirst(), keys, level, bottom);
        }
      }
      for (let task = pickBottomRewrite(this.#version.newestFirst(), olderAtBottom, keys, bottom); task; ) {
        olderAtBottom.delete(task.inputs[0]!.number);
        await run(task);
        task = pickBottomRewrite(this.#version.newestFirst(), olderAtBottom, keys, bottom);
      }
      return done;
    });
  }

  /** Changes settings while open. Existing SSTables keep their format; new ones use the new settings. */
  async setOptions(changes: Partial<TreeSettings>): Promise<void> {
    const next = checkSettings({ ...this.#settings, ...definedOnly(changes) });
    return this.#run(async () => {
      this.#settings = next;
    });
  }

  async setMemtableBytes(bytes: number): Promise<void> {
    return this.setOptions({ memtableBytes: bytes });
  }

  async describe(): Promise<TreeState> {
    return this.#run(async () => ({
      wal: { file: this.#wal.name, size: this.#wal.size },
      manifest: { file: this.#manifest.name, size: this.#manifest.size },
      memtable: [...this.#memtable.range()].map((e) => ({
        key: toHex(e.key),
        value: e.op === 'put' ? toHex(e.value) : null,
        seq: e.seq,
      })),
      memtableBytes: this.#memtable.bytes,
      tables: [...this.#version.newestFirst()],
      lastSequence: this.#version.lastSequence,
    }));
  }

  /**
   * Forgets cached blocks (of one file, or all), so that the next read goes to storage and verifies again.
   * Cached blocks were verified when read; the corruption lab damages bytes afterwards and wants to see it.
   */
  evictCache(file?: string): void {
    if (file) {
      for (const reader of this.#readers.values()) if (reader.name === file) reader.evictCached();
      return;
    }
    this.#blockCache = new BlockCache<DataBlock>(this.#settings.blockCacheBytes, recycleBlock);
    for (const reader of this.#readers.values()) reader.cache = this.#blockCache;
  }

  /**
   * The memtable's totals, its first `limit` entries, and the WAL it is logged in: what a view can show of
   * them without copying the whole memtable (describe() does, which is too much a few times a second).
   */
  async peekMemtable(
    limit: number,
  ): Promise<{ entries: number; bytes: number; sample: TreeState['memtable']; wal: FileInfo }> {
    return this.#run(async () => {
      const sample: TreeState['memtable'] = [];
      for (const e of this.#memtable.range()) {
        if (sample.length >= limit) break;
        sample.push({ key: toHex(e.key), value: e.op === 'put' ? toHex(e.value) : null, seq: e.seq });
      }
      const wal = { file: this.#wal.name, size: this.#wal.size };
      return { entries: this.#memtable.entries, bytes: this.#memtable.bytes, sample, wal };
    });
  }

  /** Counters and amplification. Counting live bytes scans the whole tree (quietly). */
  async stats(): Promise<TreeStats> {
    return this.#run(async () => {
      let liveBytes = 0;
      let liveKeys = 0;
      for (const { entry } of mergeNewest(this.#sources(undefined, undefined))) {
        if (entry.op !== 'put') continue;
        liveBytes += entry.key.length + entry.value.length;
        liveKeys++;
      }
      const tables = this.#version.newestFirst();
      const tableBytes = tables.reduce((sum, t) => sum + t.size, 0);
      const walBytes = this.#wal.size; // older WALs exist only between a crash and the next flush
      const diskBytes = tableBytes + walBytes + this.#manifest.size;
      const c = this.#counters;
      return {
        userBytes: c.userBytes,
        storageBytesWritten: c.storageBytesWritten,
        writeAmplification: ratio(c.storageBytesWritten, c.userBytes),
        gets: c.gets,
        tablesPerGet: ratio(c.tablesChecked, c.gets),
        blocksPerGet: ratio(c.blocksRead, c.gets),
        bloomSkips: c.bloomSkips,
        diskBytes,
        liveBytes,
        spaceAmplification: ratio(diskBytes, liveBytes),
        liveKeys,
        tableDataBytes: tables.reduce((sum, t) => sum + t.dataBytes, 0),
        tableBytes,
        flushes: c.flushes,
        compactions: c.compactions,
        compactionBytesRead: c.compactionBytesRead,
        compactionBytesWritten: c.compactionBytesWritten,
        levels: levelScores(tables, this.#compactionOptions()),
      };
    });
  }

  /** Closes every file. The memtable is not flushed: its records are in the WAL, and opening replays them. */
  async close(): Promise<void> {
    return this.#run(async () => {
      try {
        if (!this.#readOnly) this.#syncWal();
      } finally {
        // Whatever happened to the last sync, the handles go: a closed database must not hold its files.
        this.#wal.close();
        this.#manifest.close();
        for (const reader of this.#readers.values()) reader.close();
        this.#closed = true;
        this.#emit({ type: 'close' });
      }
    });
  }

  // --- internals ---------------------------------------------------------------------------------------

  /** The sequence number a read reads at: its snapshot's, or (none) every write so far. */
  #readSequence(snapshot: Snapshot | undefined): number {
    return snapshot === undefined ? Number.POSITIVE_INFINITY : this.#snapshots.check(snapshot);
  }

  #run<T>(operation: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#queue.then(() => {
      if (this.#closed) throw new LsmError(ErrorCode.Closed, 'the database is closed');
      return operation();
    });
    const finished = () => {
      this.#pending--;
    };
    this.#queue = result.then(finished, finished);
    return result.catch((error: unknown) => {
      throw this.#reported(error);
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
      return Promise.reject(this.#reported(error));
    }
  }

  /** Corruption found by an operation becomes an event too (the UI shows where), then goes to the caller. */
  #reported(error: unknown): unknown {
    if (error instanceof LsmError && error.code === ErrorCode.Corruption) {
      this.#emit({ type: 'corruption', file: error.file ?? '?', offset: error.offset ?? 0, detail: error.message });
    }
    return error;
  }

  #emit(body: EngineEventBody): void {
    if (this.#listeners.size === 0) return;
    const event = { ...body, id: ++this.#eventId } as EngineEvent;
    for (const listener of this.#listeners) listener(event);
  }

  #builderOptions(): BuilderOptions {
    const { blockSize, bloomBitsPerKey, compression } = this.#settings;
    return { blockSize, bloomBitsPerKey, compression };
  }

  #compactionOptions(): CompactionOptions {
    const s = this.#settings;
    return {
      strategy: s.compaction,
      l0Trigger: s.l0Trigger,
      levelBaseBytes: s.levelBaseBytes ?? 4 * s.memtableBytes,
      levelSizeRatio: s.levelSizeRatio,
      dynamicLevelBytes: s.dynamicLevelBytes,
      maxLevels: s.maxLevels,
      tieredMinRuns: s.tieredMinRuns,
      tieredSizeFactor: 2,
    };
  }

  /**
   * One write, or one batch of writes, in the order that makes it durable: WAL record, flush (now, or with its
   * group), memtable. A batch is one WAL record (one checksum: all or none after a crash) whose writes take
   * consecutive sequence numbers. Resolves, inside the queue, with a promise of durability that put() awaits
   * outside it, so that with group commit the next writes can join the same flush. (Wrapped in an object: an
   * async function returning a bare promise would hand back its settlement instead, and the queue would wait
   * for the group it is filling.)
   */
  async #write(write: BatchWrite | Uint8Array): Promise<{ durable: Promise<void> }> {
    if (this.#readOnly) throw new LsmError(ErrorCode.ReadOnly, `the database refuses writes: ${this.#readOnly}`);
    const first = this.#version.lastSequence + 1;
    // A batch arrives as its WAL record (batch.ts): sealed with its sequence number here, and its writes read
    // back from it as views, exactly as recovery would read them.
    const asBatch = write instanceof Uint8Array;
    if (asBatch) sealBatchRecord(write, first);
    const writes: readonly BatchWrite[] = asBatch ? decodeBatch(write, RECORD_HEADER_SIZE, write.length)! : [write];
    // Events carry bytes as hex: only worth making when someone listens (a benchmark, say, does not).
    const traced = this.#listeners.size > 0;
    const hex = traced
      ? writes.map((w) => ({ op: w.op, key: toHex(w.key), value: w.op === 'put' ? toHex(w.value) : null }))
      : [];
    // 1. The WAL first. A failed append is cut back off the log and the write fails: nothing happened.
    const now = this.#settings.durability === 'durable';
    const { offset, length } = asBatch
      ? this.#wal.appendRecord(write, now)
      : this.#wal.append({ ...write, seq: first }, now);
    this.#counters.storageBytesWritten += length;
    for (const w of writes) this.#counters.userBytes += w.key.length + w.value.length;
    if (traced) {
      const file = this.#wal.name;
      if (asBatch) this.#emit({ type: 'wal.batch', file, offset, length, seq: first, writes: hex });
      else this.#emit({ type: 'wal.append', file, offset, length, seq: first, ...hex[0]! });
    }
    // 2. Durable: flushed now (the seed's fsync), or with its group.
    let durable: Promise<void> = Promise.resolve();
    if (now) this.#syncWal();
    else durable = this.#joinGroup();
    // 3. Then the memtable, where reads will find it.
    for (let i = 0; i < writes.length; i++) {
      const { op, key, value } = writes[i]!;
      const seq = first + i;
      this.#version.lastSequence = seq;
      const height = this.#memtable.apply({ op, seq, key, value }, this.#snapshots.newest());
      if (traced) {
        this.#emit({
          type: 'memtable.insert',
          ...hex[i]!,
          seq,
          bytes: this.#memtable.bytes,
          entries: this.#memtable.entries,
          limit: this.#settings.memtableBytes,
          height,
          ...this.#searchPath(key),
        });
      }
    }
    // 4. A full memtable becomes an SSTable, and compactions follow, before the write is acknowledged: no
    //    background threads here, so every step stays visible and in order. The write itself is already
    //    safe in the WAL, so if this work fails, the write still stands and the work is tried again later.
    if (this.#memtable.bytes >= this.#settings.memtableBytes) {
      try {
        await this.#flushMemtable('threshold');
        await this.#compactWhileNeeded();
      } catch (error) {
        this.#backgroundError(error, 'flush');
      }
    }
    return { durable };
  }

  /** Flushes the WAL if anything is unflushed and settles the writes waiting for it. */
  #syncWal(): void {
    if (this.#groupTimer !== undefined) clearTimeout(this.#groupTimer);
    this.#groupTimer = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    if (this.#wal.durableSize === this.#wal.size) {
      for (const w of waiting) w.resolve();
      return;
    }
    try {
      this.#wal.flush();
    } catch (error) {
      for (const w of waiting) w.reject(error);
      // A durable-mode write whose record was cut back off the log simply failed. Anything else leaves
      // acknowledged-or-not records in doubt on storage, and writing on could break prefix consistency.
      const cutBack = (error as { walCutBack?: boolean }).walCutBack === true;
      if (!cutBack || this.#settings.durability !== 'durable') this.#goReadOnly(error, 'wal-sync');
      throw error;
    }
    this.#emit({ type: 'wal.flush', file: this.#wal.name, size: this.#wal.size });
    for (const w of waiting) w.resolve();
  }

  /** Group commit: this write waits for the group's flush, which happens when the group is full or its time is up. */
  #joinGroup(): Promise<void> {
    const relaxed = this.#settings.durability === 'relaxed';
    const settled = relaxed
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    // If the group's flush fails inside this very write, the write throws and nobody awaits `settled`:
    // its rejection is then already reported through the throw, not an unhandled one.
    settled.catch(() => {});
    if (!relaxed && this.#waiting.length >= this.#settings.groupCommitWrites) {
      this.#syncWal();
    } else if (this.#groupTimer === undefined) {
      this.#groupTimer = setTimeout(() => {
        this.#groupTimer = undefined;
        this.#run(async () => this.#syncWal()).catch(() => {});
      }, this.#settings.groupCommitMs);
    }
    return settled;
  }

  #goReadOnly(error: unknown, operation: 'flush' | 'compaction' | 'cleanup' | 'wal-sync'): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#readOnly ??= `${operation} failed (${message}); reopen the database to recover from what is on storage`;
    this.#emit({
      type: 'background.error',
      operation,
      code: error instanceof LsmError ? error.code : 'io-error',
      message,
      readOnly: true,
    });
  }

  /** Deletes a file no committed state needs; a failure is reported, not thrown. */
  async #removeQuietly(file: string): Promise<boolean> {
    try {
      await removeFile(this.#storage, file);
      return true;
    } catch (error) {
      this.#backgroundError(error, 'cleanup');
      return false;
    }
  }

  /** Work after a durable write failed: report it; stop writing only if storage may now be inconsistent. */
  #backgroundError(error: unknown, operation: 'flush' | 'compaction' | 'cleanup'): void {
    if (error instanceof LsmError && error.code === ErrorCode.Crashed) throw error;
    const unsafe = (error as { manifestCutBack?: boolean }).manifestCutBack === false;
    if (unsafe) {
      this.#goReadOnly(error, operation);
      return;
    }
    this.#emit({
      type: 'background.error',
      operation,
      code: error instanceof LsmError ? error.code : 'io-error',
      message: error instanceof Error ? error.message : String(error),
      readOnly: false,
    });
  }

  /**
   * The flush, in the order that keeps every crash recoverable:
   *   new WAL -> SSTable written and flushed -> manifest edit flushed (commit) -> old WAL deleted.
   * A crash before the commit leaves an SSTable nobody names (recovery deletes it) and the old WAL
   * (recovery replays it). A crash after it leaves an old WAL below the log number (recovery deletes it).
   */
  async #flushMemtable(reason: 'threshold' | 'manual'): Promise<void> {
    const memtable = this.#memtable;
    if (memtable.entries === 0) return;
    // Writes waiting for a group flush are settled first: the WAL they are in is about to be retired.
    this.#syncWal();
    this.#emit({ type: 'flush.begin', reason, entries: memtable.entries, bytes: memtable.bytes, wal: this.#wal.name });

    const walNumber = this.#version.nextFileNumber++;
    const newWal = new WalWriter(
      await openFile(this.#storage, walName(walNumber), { create: true }),
      walName(walNumber),
      walNumber,
      0,
    );
    this.#emit({ type: 'wal.create', file: newWal.name });

    let written: NewTable;
    try {
      // Every version a live snapshot still sees goes into the table; the others are dropped here.
      const kept: Retention = { keptForSnapshots: 0, droppedShadowed: 0, droppedTombstones: 0 };
      const snapshots = this.#snapshots.sequences();
      written = await this.#writeTable(0, retain(memtable.versions(), snapshots, false, kept));
      if (kept.keptForSnapshots > 0) {
        this.#emit({ type: 'snapshot.kept', by: 'flush', versions: kept.keptForSnapshots, snapshots });
      }
    } catch (error) {
      // Nothing is committed: carry on with the old WAL and memtable.
      newWal.close();
      await removeFile(this.#storage, newWal.name).catch(() => {});
      throw error;
    }

    const edit: VersionEdit = {
      logNumber: walNumber,
      nextFileNumber: this.#version.nextFileNumber,
      lastSequence: this.#version.lastSequence,
      added: [written.table],
      removed: [],
    };
    try {
      this.#commit(edit, [written]);
    } catch (error) {
      newWal.close();
      if ((error as { manifestCutBack?: boolean }).manifestCutBack !== false) {
        await removeFile(this.#storage, newWal.name).catch(() => {});
      }
      throw error;
    }
    this.#counters.flushes++;

    // Committed. The old WAL(s) hold nothing the SSTable lacks.
    this.#wal.close();
    const retired = [...this.#olderWals, this.#wal.name];
    this.#olderWals = [];
    for (const old of retired) {
      // A failure here is harmless: its number is below the log number, so the next recovery deletes it.
      if (await this.#removeQuietly(old)) this.#emit({ type: 'wal.remove', file: old });
    }
    this.#wal = newWal;
    this.#memtable = new Memtable();
    this.#emit({ type: 'flush.end', table: written.table.file, wal: newWal.name });
    await this.#rollManifestIfLarge();
  }

  /**
   * Writes entries (in key order) into one new SSTable at `level`, flushes it, and opens it: trailer, footer,
   * index and filter are read back and verified (LevelDB's BuildTable does the same) before any manifest
   * record may name it. A table that cannot be read back is deleted here and the error goes up, so a failed
   * flush or compaction changes nothing: a manifest never names a table the tree could not open. Not yet
   * committed.
   */
  async #writeTable(level: number, entries: Iterable<Entry>): Promise<NewTable> {
    const number = this.#version.nextFileNumber++;
    const name = sstableName(number);
    const file = await openFile(this.#storage, name, { create: true });
    try {
      const builder = new SstableBuilder(file, name, this.#builderOptions());
      let count = 0;
      for (const entry of entries) {
        builder.add(entry);
        if (++count % SLICE === 0) await yieldToEventLoop();
      }
      const built = builder.finish();
      flushFile(file, name);
      this.#counters.storageBytesWritten += built.size;
      const reader = SstableReader.open(file, name);
      if (reader.size !== built.size || reader.entries !== built.entries) {
        throw corruption(
          name,
          0,
          `reads back as ${reader.size} bytes and ${reader.entries} entries, written as ${built.size} and ${built.entries}`,
        );
      }
      const table: SstableMeta = { file: name, number, level, ...built };
      this.#emit({ type: 'sstable.write', table });
      return { table, reader };
    } catch (error) {
      file.close();
      await removeFile(this.#storage, name).catch(() => {});
      throw error;
    }
  }

  /**
   * Appends the edit to the manifest (the commit point), then applies it with the new tables' readers, which
   * #writeTable opened and verified already: once the record is on storage nothing can fail that would make
   * the tree disagree with it.
   */
  #commit(edit: VersionEdit, newTables: readonly NewTable[] = []): void {
    let written: { offset: number; length: number };
    try {
      written = this.#manifest.commit(edit);
    } catch (error) {
      for (const { reader } of newTables) reader.close();
      if ((error as { manifestCutBack?: boolean }).manifestCutBack === false) {
        // The record may be on storage after all: its files must stay for recovery to decide. Stop writing.
        this.#goReadOnly(error, 'flush');
        throw error;
      }
      // Not committed: the new files are orphans (recovery would delete them too).
      for (const table of edit.added) {
        if (!this.#version.tables.has(table.number)) removeFile(this.#storage, table.file).catch(() => {});
      }
      throw error;
    }
    this.#counters.storageBytesWritten += written.length;
    this.#version.apply(edit);
    for (const { table, reader } of newTables) {
      reader.cache = this.#blockCache;
      this.#readers.set(table.number, reader);
    }
    this.#emit({
      type: 'manifest.edit',
      file: this.#manifest.name,
      ...written,
      added: edit.added,
      removed: edit.removed.map(sstableName),
      logNumber: edit.logNumber,
      lastSequence: edit.lastSequence,
    });
  }

  async #compactWhileNeeded(): Promise<number> {
    let ran = 0;
    for (;;) {
      const task = pickCompaction(this.#version.newestFirst(), this.#compactionOptions(), this.#cursors);
      if (!task) return ran;
      await this.#compact(task);
      ran++;
    }
  }

  /**
   * One compaction, crash-safe in the same way as a flush: outputs written and flushed -> one manifest edit
   * adds the outputs and removes the inputs (commit) -> inputs deleted. A crash before the commit leaves
   * outputs nobody names; after it, inputs nobody names. Recovery deletes either.
   */
  async #compact(task: CompactionTask): Promise<CompactionDone> {
    this.#emit({
      type: 'compaction.begin',
      strategy: task.strategy,
      reason: task.reason,
      score: task.score,
      inputs: task.inputs.map((t) => t.file),
      inputLevels: task.inputLevels,
      outputLevel: task.outputLevel,
      dropTombstones: task.dropTombstones,
      trivialMove: task.trivialMove,
    });
    // The next compaction out of this level starts after the largest key this one took from it.
    const fromLevel = task.inputLevels[0]!;
    if (fromLevel > 0) {
      const taken = task.inputs.filter((t) => t.level === fromLevel);
      this.#cursors.set(
        fromLevel,
        taken.reduce((max, t) => (t.largest > max ? t.largest : max), taken[0]!.largest),
      );
    }
    const bytesRead = task.inputs.reduce((sum, t) => sum + t.size, 0);

    if (task.trivialMove) {
      const moved = { ...task.inputs[0]!, level: task.outputLevel };
      this.#commit({ ...this.#editBase(), added: [moved], removed: [moved.number] });
      this.#counters.compactions++;
      this.#emit({
        type: 'compaction.end',
        inputs: [moved.file],
        outputs: [moved.file],
        outputLevel: task.outputLevel,
        entriesRead: 0,
        entriesWritten: 0,
        droppedShadowed: 0,
        droppedTombstones: 0,
        keptForSnapshots: 0,
        bytesRead: 0,
        bytesWritten: 0,
      });
      await this.#rollManifestIfLarge();
      return { bytesRead: 0, bytesWritten: 0, dropped: 0 };
    }

    const traced = this.#listeners.size > 0;
    const progress: Retention & { entriesRead: number; entriesWritten: number; bytes: number } = {
      entriesRead: 0,
      entriesWritten: 0,
      droppedShadowed: 0,
      droppedTombstones: 0,
      keptForSnapshots: 0,
      bytes: 0,
      ...(traced ? { dropped: [] } : {}),
    };
    const snapshots = this.#snapshots.sequences();
    const surviving = this.#survivingEntries(task, snapshots, progress);
    // Leveled output is split into files of about the target size, each overlapping at most
    // grandparentOverlapFactor × that of the level below the output (compaction/splitter.ts); a tiered run
    // stays one file.
    const targetBytes = this.#settings.targetFileBytes ?? this.#settings.memtableBytes;
    const splitter =
      task.strategy === 'leveled'
        ? new OutputSplitter(
            this.#version.newestFirst().filter((t) => t.level === task.outputLevel + 1),
            targetBytes,
            this.#settings.grandparentOverlapFactor * targetBytes,
          )
        : undefined;
    let next = surviving.next();
    /** The entry the splitter said opens the next file: asked once, it goes first into that file. */
    let carried = false;
    function* upToTarget(): Generator<Entry> {
      while (!next.done) {
        const entry = next.value;
        if (!carried && splitter?.stopBefore(entry.key, entrySize(entry.key.length, entry.value.length))) {
          carried = true;
          return;
        }
        carried = false;
        yield entry;
        next = surviving.next();
      }
    }
    const outputs: NewTable[] = [];
    try {
      while (!next.done) outputs.push(await this.#writeTable(task.outputLevel, upToTarget()));
    } catch (error) {
      for (const output of outputs) {
        output.reader.close();
        await removeFile(this.#storage, output.table.file).catch(() => {});
      }
      throw error;
    }

    this.#commit(
      { ...this.#editBase(), added: outputs.map((o) => o.table), removed: task.inputs.map((t) => t.number) },
      outputs,
    );
    this.#counters.compactions++;
    this.#counters.compactionBytesRead += bytesRead;
    const bytesWritten = outputs.reduce((sum, o) => sum + o.table.size, 0);
    this.#counters.compactionBytesWritten += bytesWritten;
    for (const input of task.inputs) {
      const reader = this.#readers.get(input.number);
      reader?.evictCached();
      reader?.close();
      this.#readers.delete(input.number);
      // A failure here is harmless: no manifest record names it any more, so the next recovery deletes it.
      if (await this.#removeQuietly(input.file)) this.#emit({ type: 'sstable.remove', file: input.file });
    }
    this.#emit({
      type: 'compaction.end',
      inputs: task.inputs.map((t) => t.file),
      outputs: outputs.map((o) => o.table.file),
      outputLevel: task.outputLevel,
      entriesRead: progress.entriesRead,
      entriesWritten: progress.entriesWritten,
      droppedShadowed: progress.droppedShadowed,
      droppedTombstones: progress.droppedTombstones,
      keptForSnapshots: progress.keptForSnapshots,
      bytesRead,
      bytesWritten,
      ...(traced
        ? {
            dropped: progress.dropped ?? [],
            links: linksOf(
              outputs.map((o) => o.table),
              task.inputs,
            ),
          }
        : {}),
    });
    if (progress.keptForSnapshots > 0) {
      this.#emit({ type: 'snapshot.kept', by: 'compaction', versions: progress.keptForSnapshots, snapshots });
    }
    await this.#rollManifestIfLarge();
    return { bytesRead, bytesWritten, dropped: progress.droppedShadowed + progress.droppedTombstones };
  }

  /**
   * A bounded manifest (manifest/roll.ts): once it has grown past its threshold, a new manifest holding one
   * snapshot record takes over and the old one is deleted. Runs after a commit, when the committed state is
   * already safe, so a failure here only reports itself (or, if the snapshot record may be on storage after
   * all, stops writing) and the tree carries on with the old manifest.
   */
  async #rollManifestIfLarge(): Promise<void> {
    this.#manifestSnapshotBytes ??= snapshotRecordBytes(this.#version);
    if (!shouldRoll(this.#manifest.size, this.#manifestSnapshotBytes, this.#settings.manifestRollBytes)) return;
    const old = this.#manifest;
    let rolled: RolledManifest;
    try {
      rolled = await startManifest(this.#storage, this.#version);
    } catch (error) {
      this.#manifestSnapshotBytes = undefined;
      if (error instanceof LsmError && error.code === ErrorCode.Crashed) throw error;
      if ((error as { manifestCutBack?: boolean }).manifestCutBack === false) this.#goReadOnly(error, 'cleanup');
      else this.#backgroundError(error, 'cleanup');
      return;
    }
    const { manifest, length } = rolled;
    this.#manifest = manifest;
    this.#manifestSnapshotBytes = length;
    this.#counters.storageBytesWritten += length;
    this.#emit(snapshotEditEvent(rolled));
    old.close();
    const removed = await this.#removeQuietly(old.name);
    this.#emit({
      type: 'manifest.roll',
      from: old.name,
      to: manifest.name,
      fromSize: old.size,
      toSize: length,
      removed,
    });
  }

  /**
   * The compaction's merged input minus what it may drop (snapshot.ts, retain): versions no reader can see any
   * more, and tombstones at the bottom. Versions a live snapshot still sees stay.
   */
  *#survivingEntries(
    task: CompactionTask,
    snapshots: readonly number[],
    progress: Retention & { entriesRead: number; entriesWritten: number; bytes: number },
  ): Generator<Entry> {
    const sources = task.inputs.map((t) => this.#readers.get(t.number)!.scanFrom());
    function* counted(entries: Iterable<Entry>): Generator<Entry> {
      for (const entry of entries) {
        progress.entriesRead++;
        yield entry;
      }
    }
    for (const entry of retain(counted(mergeAll(sources)), snapshots, task.dropTombstones, progress)) {
      progress.entriesWritten++;
      progress.bytes += entrySize(entry.key.length, entry.value.length);
      if (progress.entriesWritten % SLICE === 0) {
        this.#emit({
          type: 'compaction.progress',
          entriesRead: progress.entriesRead,
          entriesWritten: progress.entriesWritten,
          bytesWritten: progress.bytes,
        });
      }
      yield entry;
    }
  }

  #editBase(): Omit<VersionEdit, 'added' | 'removed'> {
    return {
      logNumber: this.#version.logNumber,
      nextFileNumber: this.#version.nextFileNumber,
      lastSequence: this.#version.lastSequence,
    };
  }

  /**
   * One point read: the memtable, then every L0 table newest first, then in each deeper level the one table
   * whose key range holds the key. Events (and their hex) are made only when someone listens; `trace: false`
   * reads without events or counting.
   */
  #lookup(key: Uint8Array, trace: boolean, atSeq: number = Number.POSITIVE_INFINITY): Lookup {
    const events = trace && this.#listeners.size > 0;
    const keyHex = events ? toHex(key) : '';
    if (events) this.#emit({ type: 'read.begin', key: keyHex });
    let tablesChecked = 0;
    let bloomSkips = 0;
    let blocksRead = 0;
    let value: Uint8Array | undefined;
    let source: string | null = null;

    const inMemory = atSeq === Number.POSITIVE_INFINITY ? this.#memtable.get(key) : this.#memtable.getAt(key, atSeq);
    if (events) {
      const found = inMemory ? (inMemory.op === 'put' ? 'value' : 'tombstone') : 'absent';
      this.#emit({ type: 'read.memtable', key: keyHex, found, ...this.#searchPath(key) });
    }
    /** The read stopped at a tombstone here: a traced read then shows the older version it hides. */
    let stoppedAt: { level: number; index: number } | undefined;
    if (inMemory) {
      source = 'memtable';
      if (inMemory.op === 'put') value = inMemory.value.slice();
      else stoppedAt = { level: -1, index: 0 };
    } else {
      const keyHash = hash32(key);
      search: for (const level of this.#readLevels()) {
        // L0 tables overlap: each is a candidate (those out of range are ruled out without I/O). A deeper
        // level's tables do not: a binary search over their ranges names the only one that can hold the key.
        const first = level.level === 0 ? 0 : candidateIn(level.readers, key);
        const last = level.level === 0 ? level.readers.length : first + 1;
        for (let i = first; i >= 0 && i < last; i++) {
          const reader = level.readers[i]!;
          const table = level.tables[i]!;
          const explain: ReadExplain | undefined = events ? {} : undefined;
          const result = reader.get(key, keyHash, atSeq, explain);
          const where = events ? { key: keyHex, file: table.file, level: table.level } : undefined;
          if (result.found === 'out-of-range') {
            if (where) this.#emit({ type: 'read.sstable', ...where, found: 'out-of-range' });
            continue;
          }
          tablesChecked++;
          if (result.found === 'bloom-negative') {
            bloomSkips++;
            if (where) this.#emit({ type: 'read.sstable', ...where, found: 'bloom-negative', ...explain });
            continue;
          }
          blocksRead++;
          if (where) {
            const { block } = result;
            this.#emit({
              type: 'read.sstable',
              ...where,
              found: result.found,
              block: block.index,
              blockOffset: block.offset,
              blockSize: block.length,
              ...explain,
            });
          }
          if (result.found === 'absent') continue;
          source = table.file;
          if (result.found === 'value') value = result.value;
          else stoppedAt = { level: level.level, index: i };
          break search;
        }
      }
    }
    if (events) {
      const hidden = stoppedAt && this.#hiddenBy(key, stoppedAt, atSeq);
      this.#emit({
        type: 'read.end',
        key: keyHex,
        found: value !== undefined,
        value: value ? toHex(value) : null,
        source,
        tablesChecked,
        bloomSkips,
        blocksRead,
        ...(hidden ? { hidden } : {}),
      });
    }
    if (trace) {
      this.#counters.gets++;
      this.#counters.tablesChecked += tablesChecked;
      this.#counters.blocksRead += blocksRead;
      this.#counters.bloomSkips += bloomSkips;
    }
    return { value, source, tablesChecked, bloomSkips, blocksRead };
  }

  /** A traced event's skip list search path for key, while the memtable is small enough to draw. */
  #searchPath(key: Uint8Array): { path?: SkipListPath } {
    if (this.#memtable.entries > SEARCH_PATH_UP_TO) return {};
    return { path: this.#memtable.searchPath(key).map((p) => ({ lane: p.lane, key: p.key && toHex(p.key) })) };
  }

  /**
   * For a traced read that stopped at a tombstone (in the memtable: level -1): the next older version of key, in
   * the tables after that one in read order, which the tombstone hides. Reads quietly: no events, no counters.
   */
  #hiddenBy(
    key: Uint8Array,
    stoppedAt: { level: number; index: number },
    atSeq: number,
  ): { value: string | null; source: string } | undefined {
    const keyHash = hash32(key);
    for (const level of this.#readLevels()) {
      if (level.level < stoppedAt.level) continue;
      const first = level.level === 0 ? 0 : candidateIn(level.readers, key);
      const last = level.level === 0 ? level.readers.length : first + 1;
      for (let i = first; i >= 0 && i < last; i++) {
        if (level.level === stoppedAt.level && i <= stoppedAt.index) continue;
        const result = level.readers[i]!.get(key, keyHash, atSeq);
        if (result.found === 'value') return { value: toHex(result.value), source: level.tables[i]!.file };
        if (result.found === 'tombstone') return { value: null, source: level.tables[i]!.file };
      }
    }
    return undefined;
  }

  /** The tables reads consider, level by level, in read order, with their readers; cached per version. */
  #readLevels(): ReadLevel[] {
    const ordered = this.#version.newestFirst();
    if (this.#readPlan?.from === ordered) return this.#readPlan.levels;
    const levels: ReadLevel[] = [];
    for (const table of ordered) {
      let level = levels[levels.length - 1];
      if (level?.level !== table.level) {
        level = { level: table.level, tables: [], readers: [] };
        levels.push(level);
      }
      level.tables.push(table);
      level.readers.push(this.#readers.get(table.number)!);
    }
    this.#readPlan = { from: ordered, levels };
    return levels;
  }

  /**
   * The memtable (every version it keeps) and every SSTable as sorted sources from `from`, newest first (the
   * order reads use).
   */
  #sources(from: Uint8Array | undefined, end: Uint8Array | undefined): Array<Iterator<Entry>> {
    const sources: Array<Iterator<Entry>> = [this.#memtable.versions(from, end)];
    for (const table of this.#version.newestFirst()) sources.push(this.#readers.get(table.number)!.scanFrom(from));
    return sources;
  }

  /**
   * One batch of a scan: a k-way merge of the memtable and every SSTable from `from`. When several sources
   * hold a key, the newest version wins and the others are skipped; a winning tombstone hides the key.
   * The batch before's merge (`cursor`) goes on where it stopped while the memtable and the tables are the same
   * (writes since then are newer than the scan's sequence number: it skips them); after a flush or a
   * compaction, a new merge starts from `from`.
   */
  async #scanBatch(
    from: Uint8Array | undefined,
    skipFrom: boolean,
    end: Uint8Array | undefined,
    atSeq: number,
    cursor?: ScanCursor,
  ): Promise<{ pairs: Array<[Uint8Array, Uint8Array]>; done: boolean; cursor: ScanCursor }> {
    const tables = this.#version.newestFirst();
    const names = ['memtable', ...tables.map((t) => t.file)];
    this.#emit({ type: 'scan.begin', start: from ? toHex(from) : null, end: end ? toHex(end) : null, sources: names });
    const pairs: Array<[Uint8Array, Uint8Array]> = [];
    const shown: Array<{ key: string; value: string; source: string }> = [];
    let shadowed = 0;
    let tombstones = 0;
    let done = true;
    const live =
      cursor && cursor.memtable === this.#memtable && cursor.tables === tables
        ? cursor
        : { memtable: this.#memtable, tables, merge: mergeNewest(this.#sources(from, end), atSeq) };
    // next() by hand: a for-of would end the merge at the batch's break.
    for (let step = live.merge.next(); !step.done; step = live.merge.next()) {
      const merged = step.value;
      const { entry } = merged;
      if (end && compareBytes(entry.key, end) >= 0) break;
      if (skipFrom && from && compareBytes(entry.key, from) === 0) continue;
      shadowed += merged.shadowed;
      if (entry.op !== 'put') {
        tombstones++;
        continue;
      }
      pairs.push([entry.key.slice(), entry.value.slice()]);
      if (shown.length < SCAN_RESULTS_SHOWN)
        shown.push({ key: toHex(entry.key), value: toHex(entry.value), source: names[merged.source]! });
      if (pairs.length >= SCAN_BATCH) {
        done = false;
        break;
      }
    }
    this.#emit({ type: 'scan.end', results: shown, count: pairs.length, shadowed, tombstones });
    return { pairs, done, cursor: live };
  }
}

/** A scan's merge between two batches, and the memtable and tables it merges. */
interface ScanCursor {
  memtable: Memtable;
  tables: readonly SstableMeta[];
  merge: Generator<Merged>;
}

/** What one compaction did. */
interface CompactionDone {
  bytesRead: number;
  bytesWritten: number;
  /** Shadowed versions and tombstones left out of the output. */
  dropped: number;
}

/** What compactRange did. */
export interface RangeCompaction {
  compactions: number;
  bytesRead: number;
  bytesWritten: number;
  /** Shadowed versions and tombstones dropped. */
  entriesDropped: number;
}

/** A table written, flushed and opened (verified), not yet committed. */
interface NewTable {
  table: SstableMeta;
  reader: SstableReader;
}

interface ReadLevel {
  level: number;
  tables: SstableMeta[];
  readers: SstableReader[];
}

/** In a level of sorted, non-overlapping tables: the index of the one whose range holds key, or -1. */
function candidateIn(readers: readonly SstableReader[], key: Uint8Array): number {
  let low = 0;
  let high = readers.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (compareBytes(readers[mid]!.smallest, key) <= 0) low = mid;
    else high = mid - 1;
  }
  const candidate = readers[low]!;
  return compareBytes(candidate.smallest, key) <= 0 && compareBytes(key, candidate.largest) <= 0 ? low : -1;
}

/** The framed size of the snapshot record a new manifest would start with. */
function snapshotRecordBytes(version: Version): number {
  return RECORD_HEADER_SIZE + encodeEdit(version.snapshot()).length;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkSettings(s: TreeSettings): TreeSettings {
  positiveInteger(s.memtableBytes, 'memtableBytes');
  positiveInteger(s.blockSize, 'blockSize');
  positiveInteger(s.l0Trigger, 'l0Trigger');
  positiveInteger(s.maxLevels, 'maxLevels');
  positiveInteger(s.grandparentOverlapFactor, 'grandparentOverlapFactor');
  positiveInteger(s.tieredMinRuns, 'tieredMinRuns');
  positiveInteger(s.manifestRollBytes, 'manifestRollBytes');
  if (!Number.isInteger(s.blockCacheBytes) || s.blockCacheBytes < 0) {
    throw new LsmError(
      ErrorCode.InvalidArgument,
      `blockCacheBytes must be a whole number ≥ 0, got ${s.blockCacheBytes}`,
    );
  }
  if (s.levelBaseBytes !== undefined) positiveInteger(s.levelBaseBytes, 'levelBaseBytes');
  if (s.targetFileBytes !== undefined) positiveInteger(s.targetFileBytes, 'targetFileBytes');
  if (!Number.isInteger(s.bloomBitsPerKey) || s.bloomBitsPerKey < 0 || s.bloomBitsPerKey > 64) {
    throw new LsmError(
      ErrorCode.InvalidArgument,
      `bloomBitsPerKey must be an integer from 0 to 64, got ${s.bloomBitsPerKey}`,
    );
  }
  if (!(s.levelSizeRatio >= 2))
    throw new LsmError(ErrorCode.InvalidArgument, `levelSizeRatio must be at least 2, got ${s.levelSizeRatio}`);
  if (!['durable', 'group', 'relaxed'].includes(s.durability)) {
    throw new LsmError(
      ErrorCode.InvalidArgument,
      `durability must be 'durable', 'group' or 'relaxed', got ${String(s.durability)}`,
    );
  }
  positiveInteger(s.groupCommitWrites, 'groupCommitWrites');
  positiveInteger(s.groupCommitMs, 'groupCommitMs');
  if (s.compression !== 'none' && s.compression !== 'deflate') {
    throw new LsmError(
      ErrorCode.InvalidArgument,
      `compression must be 'none' or 'deflate', got ${String(s.compression)}`,
    );
  }
  if (!['off', 'leveled', 'tiered'].includes(s.compaction)) {
    throw new LsmError(
      ErrorCode.InvalidArgument,
      `compaction must be 'off', 'leveled' or 'tiered', got ${String(s.compaction)}`,
    );
  }
  return s;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new LsmError(ErrorCode.InvalidArgument, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Each output table and the input tables whose key ranges overlap its own: where its entries came from. */
function linksOf(
  outputs: readonly SstableMeta[],
  inputs: readonly SstableMeta[],
): Array<{ output: string; inputs: string[] }> {
  return outputs.map((o) => ({
    output: o.file,
    inputs: inputs.filter((i) => i.smallest <= o.largest && o.smallest <= i.largest).map((i) => i.file),
  }));
}
