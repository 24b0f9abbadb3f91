// The messages between the main thread (client.ts) and the worker that owns the database (worker.ts).
// One typed API; the client calls it by name, the worker implements it; errors cross as plain data and
// become LsmErrors again on the other side, code, file and offset intact.
import type { EngineEvent, FileInfo } from '../events';
import type { RangeCompaction, RepairReport, TreeSettings, TreeState, TreeStats } from '../tree';
import type { WorkloadSpec } from '../workload';

/**
 * `clockOffsetMs`: how far the engine's clock runs ahead of the real one (advanceClock), carried across the page's
 * reopens so that the clock never goes back (the TTL filter's write times stay in the past).
 */
export type OpenOptions = Partial<TreeSettings> & { memtableBytes: number; clockOffsetMs?: number };

export type OpenResult =
  | {
      status: 'open';
      /** On OPFS; else in this worker's memory. */
      persistent: boolean;
      /**
       * Why in memory although OPFS exists: the browser denied this page storage (its SecurityError's message).
       * A frame on another site with third-party storage blocked; nobody else holds the database.
       */
      denied?: string;
      state: TreeState;
      /** Opened by repair(): what it kept and what it could not read. */
      repair?: RepairReport;
    }
  /** Another tab (or worker) holds this database's lock. */
  | { status: 'locked' };

export interface GetResult {
  value: Uint8Array | null;
  source: string | null;
  tablesChecked: number;
  bloomSkips: number;
  blocksRead: number;
}

export interface VerifyResult {
  checked: number;
  found: number;
  /** Keys (hex) whose value after recovery differs from the acknowledged one. */
  missing: string[];
  /**
   * Keys (hex) that could not be read back because a checksum caught damaged bytes on their path, with what the
   * engine said: neither found nor lost, and never a wrong value.
   */
  unreadable: Array<{ key: string; error: string }>;
}

export interface ScanResult {
  count: number;
  /** The first pairs, as hex. */
  first: Array<[string, string]>;
}

export interface WorkloadResult {
  done: number;
  cancelled: boolean;
  ms: number;
}

/** Where the crash lab can make the worker die, at the next time the engine gets there. */
export type CrashPoint =
  /** During the next WAL append: only part of the record reaches the file (a torn record). */
  | 'wal-append'
  /** After the next WAL record is flushed, before the memtable sees it. */
  | 'before-memtable'
  /** In the middle of writing the next SSTable. */
  | 'mid-sstable'
  /** After the next SSTable is written and flushed, before the manifest edit that would commit it. */
  | 'before-manifest'
  /** In the middle of the next compaction's output. */
  | 'mid-compaction';

export type CrashKind = 'process' | 'power';

export interface FileListing {
  file: string;
  size: number;
}

/** What the worker can do. Every method answers with a promise of a structured-cloneable value. */
export interface WorkerApi {
  /**
   * Opens `name` on OPFS, holding its lock; in memory where there is no OPFS or the browser denies storage. With
   * `memoryFiles`, in memory on those files (what a crashed in-memory worker left: memoryFiles()).
   */
  open(name: string, options: OpenOptions, memoryFiles?: Array<[string, Uint8Array]> | null): OpenResult;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** A WriteBatch of these puts (a value) and deletes (null): one WAL record, all or nothing. */
  write(writes: Array<[Uint8Array, Uint8Array | null]>): void;
  /** `snapshot`: an id from snapshot(); read as of that snapshot. */
  get(key: Uint8Array, snapshot?: number | null): GetResult;
  /** Reads at `snapshot` (an id from snapshot()), or without one at a snapshot taken when the scan starts. */
  scan(start: Uint8Array | null, end: Uint8Array | null, snapshot?: number | null): ScanResult;
  flush(): void;
  /** Runs compactions until no level needs one; answers how many ran. */
  compact(): number;
  /** LevelDB's CompactRange over [start, end) (null: unbounded); answers what it did. */
  compactRange(start: Uint8Array | null, end: Uint8Array | null): RangeCompaction;
  /**
   * Takes a snapshot; answers its id and sequence number. Snapshots live in the worker until released, and end
   * with the database (close, reset, crash).
   */
  snapshot(): { id: number; seq: number };
  releaseSnapshot(id: number): void;
  describe(): TreeState;
  stats(): TreeStats;
  /** Reads each key quietly (no read events) and compares with what the UI saw acknowledged. */
  verify(expected: Array<[Uint8Array, Uint8Array | null]>): VerifyResult;
  setOptions(changes: Partial<TreeSettings>): void;
  /**
   * Runs a generated workload. Its single writes are not traced one by one (that would be hundreds of
   * thousands of events); flushes, compactions and `workload.progress` snapshots are.
   */
  runWorkload(spec: WorkloadSpec): WorkloadResult;
  /** Stops a running workload after the operation in progress. */
  cancelWorkload(): void;
  /**
   * Arms a crash point (null disarms). When reached, the worker emits `crash.point` and dies. `seed` chooses what
   * a power loss there damages (null: from the clock).
   */
  armCrash(point: CrashPoint | null, kind: CrashKind, seed?: number | null): void;
  /** Power loss now: unflushed writes are kept, dropped, torn or garbled (seeded); then the storage is dead. */
  powerLoss(seed: number): PowerLossSummary;
  /** Inverts every bit of one byte of a file: the corruption lab. Answers the byte before and after. */
  corrupt(file: string, offset: number): { before: number; after: number; size: number };
  files(): FileListing[];
  /**
   * Every file's bytes as written, when the files live in memory: the disk a crash leaves. The page asks for them
   * before it terminates an in-memory worker, so that recovery in the next one finds them.
   */
  memoryFiles(): Array<[string, Uint8Array]>;
  readFile(file: string): Uint8Array;
  close(): void;
  /** Closes the database, deletes its directory and opens it again, empty. */
  reset(): OpenResult;
  /**
   * Begins a transaction (serializable unless `serializable` is false); answers its id and sequence number. Like
   * snapshots, transactions live in the worker until committed or aborted, and end with the database (close,
   * reset, crash): an open one is aborted then.
   */
  txnBegin(serializable?: boolean | null): { id: number; seq: number };
  /** The value of key in transaction `id`: its own write, else the database's at its snapshot. */
  txnGet(id: number, key: Uint8Array): { value: Uint8Array | null };
  /** Scans [start, end) (null: unbounded) in transaction `id`: its workspace over its snapshot. */
  txnScan(id: number, start: Uint8Array | null, end: Uint8Array | null): ScanResult;
  /** A put (a value) or delete (null) into transaction `id`'s workspace. */
  txnWrite(id: number, key: Uint8Array, value: Uint8Array | null): void;
  /** Validates and commits transaction `id` as one WriteBatch record; an LsmError 'txn-conflict' writes nothing. */
  txnCommit(id: number): void;
  txnAbort(id: number): void;
  /**
   * As open, but through LsmTree.repair: a new manifest built from the SSTables and WALs found (for a database
   * that will not open). The result carries the repair's report.
   */
  repair(name: string, options: OpenOptions, memoryFiles?: Array<[string, Uint8Array]> | null): OpenResult;
  /** The crash lab: closes the database and deletes its manifest files, so that the next open fails. */
  deleteManifest(): string[];
  /** LevelDB's GetProperty ('stats', 'num-files-at-level<N>', ...): null for a name the engine does not know. */
  property(name: string): string | null;
  /** LevelDB's GetApproximateSizes over [start, end) (null: unbounded): bytes, from the tables' index blocks. */
  approximateSize(start: Uint8Array | null, end: Uint8Array | null): number;
  /**
   * Moves the engine's clock (its writes' times and the TTL filter's now) `ms` ahead of where it was: a lesson
   * shows values expiring without waiting. Answers how far ahead of the real clock it now runs.
   */
  advanceClock(ms: number): number;
}

export type Method = keyof WorkerApi;

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  args: Parameters<WorkerApi[M]>;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  file?: string;
  offset?: number;
}

export interface PowerLossSummary {
  /** Per file, how many unflushed writes were kept, dropped, torn or garbled. */
  files: Array<{ file: string; kept: number; dropped: number; torn: number; garbled: number; sizeAfter: number }>;
}

/** Events the worker adds to the engine's own: a workload's progress, with a glimpse of the memtable. */
export type WorkloadEvent =
  | { type: 'workload.begin'; id: number; spec: WorkloadSpec }
  | {
      type: 'workload.progress';
      id: number;
      done: number;
      total: number;
      wal: FileInfo;
      memtable: { entries: number; bytes: number; limit: number; sample: TreeState['memtable'] };
    }
  | { type: 'workload.end'; id: number; done: number; total: number; cancelled: boolean; ms: number }
  /** An armed crash point was reached: the worker's storage is dead; the page terminates the worker. */
  | {
      type: 'crash.point';
      id: number;
      point: CrashPoint;
      kind: CrashKind;
      powerLoss: PowerLossSummary | null;
      /** The file the crash cut off in mid-write (a half-written SSTable), and its size on disk afterwards. */
      torn?: { file: string; size: number };
    };

export type WorkerEvent = EngineEvent | WorkloadEvent;

export type WorkerMessage =
  | { kind: 'response'; id: number; ok: true; value: unknown }
  | { kind: 'response'; id: number; ok: false; error: SerializedError }
  /** Events arrive in batches, always before the response of the operation that caused them. */
  | { kind: 'events'; events: WorkerEvent[] };
