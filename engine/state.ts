// The state of an open tree, in one documented object shared by the files that make up its algorithms (mini-lsm's
// LsmStorageState): the write path (write.ts, group-commit.ts), flush (flush.ts), commit (commit.ts), compaction
// (compaction/execute.ts) and reads (read.ts) each take it as their first argument. Only LsmTree (tree.ts) makes
// one, after recovery, and every function that changes it runs on the tree's serial queue, one at a time.

import type { Counters } from './counters';
import type { SstableMeta } from './events';
import type { FlushReply, FlushWorker } from './flush-table';
import type { Version } from './manifest/version';
import type { ManifestWriter } from './manifest/writer';
import type { Arena, ArenaGeneration } from './memtable/arena';
import type { Memtable } from './memtable/memtable';
import type { TreeSettings } from './settings';
import type { SnapshotList } from './snapshot';
import type { CachedBlock } from './sstable/block';
import type { BlockCache } from './sstable/block-cache';
import type { SstableReader } from './sstable/reader';
import type { Storage } from './storage/storage';
import type { Trace } from './trace';
import type { TxnRegistry } from './txn';
import type { WalWriter } from './wal/writer';
import type { WriteTimes } from './write-times';

export interface LsmState {
  readonly storage: Storage;
  /** Who listens, and every event the tree makes. */
  readonly trace: Trace;
  settings: TreeSettings;
  /** What the manifest says: the live tables by level, log number, next file number, last sequence number. */
  version: Version;
  manifest: ManifestWriter;
  /** Bytes of the record that would start a new manifest; measured at the first roll check and at each roll. */
  manifestSnapshotBytes: number | undefined;
  /** The WAL the memtable's writes are logged in. */
  wal: WalWriter;
  /** Replayed WALs older than `wal`: their records are in the memtable, so they go at the next flush. */
  olderWals: string[];
  memtable: Memtable;
  /** A full memtable on its way to an SSTable off the write path, still read (background-flush.ts, LevelDB's imm_). */
  imm: Immutable | undefined;
  /** The flush worker that writes it (background-flush.ts). */
  readonly flusher: FlushWorkerState;
  /** Where the WAL records lie that the memtable's entries view (memtable/arena.ts): the flush gives it back. */
  readonly arena: Arena;
  /** An open, verified reader per live table, by file number. */
  readers: Map<number, SstableReader>;
  blockCache: BlockCache<CachedBlock>;
  /** Per level, its tables in read order and their readers: rebuilt when the version changes (read.ts). */
  readPlan: { from: readonly SstableMeta[]; levels: ReadLevel[] } | undefined;
  /** The live snapshots (snapshot.ts): flushes and compactions keep the versions they can see. */
  readonly snapshots: SnapshotList;
  /** Why writes are refused, once storage failed in a way that makes writing on unsafe (failure.ts). */
  readOnly: string | undefined;
  /** Writes appended but not yet flushed, waiting for their group's flush (group commit). */
  waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  groupTimer: ReturnType<typeof setTimeout> | undefined;
  /** Per level, the largest key (hex) last compacted out of it: leveled compaction walks levels round-robin. */
  readonly cursors: Map<number, Uint8Array>;
  /**
   * Deletions of files no committed state needs that nobody waits for (commit.ts, removeObsolete): the tree's close
   * waits for them, so that a closed tree leaves only the files its manifest names.
   */
  readonly removals: Set<Promise<void>>;
  /** Real byte counters since open (stats.ts). */
  readonly counters: Counters;
  /** Queues an operation on the tree's serial queue (the group commit timer's flush takes its turn there). */
  readonly enqueue: <T>(operation: () => Promise<T>) => Promise<T>;
  /** The open transactions, and the keys written since the oldest of them began: what commits validate against. */
  readonly txns: TxnRegistry;
  /** The time now, in ms (LsmOptions.clock): when writes are made, and when the TTL filter runs. */
  readonly clock: () => number;
  /** When the memtable's writes were made (write-times.ts): the next flush's edit carries them to the manifest. */
  pendingTimes: WriteTimes | undefined;
}

/** One level's tables in read order, with their readers. */
export interface ReadLevel {
  level: number;
  tables: SstableMeta[];
  readers: SstableReader[];
}

/** A full memtable on its way to an SSTable, still read (LevelDB's imm_). */
export interface Immutable {
  readonly memtable: Memtable;
  /** The WAL that logged it (and any older ones replayed into it): retired when its table is committed. */
  readonly wal: WalWriter;
  readonly olderWals: readonly string[];
  /** The WAL the writes after the switch go to: the commit's log number. */
  readonly logNumber: number;
  readonly tableNumber: number;
  readonly pendingTimes: WriteTimes | undefined;
  /** The arena chunks its records lie in: given back at the commit. */
  readonly generation: ArenaGeneration;
  /** The flush worker's answer. */
  readonly built: Promise<FlushReply>;
  /** When it was frozen (µs): the flush's time in the level's work figures runs from here to the commit. */
  readonly started: number;
  /** The worker's table failed: the next attempt writes the table on the tree's own thread. */
  workerFailed: boolean;
}

/** The tree's flush worker: started at its first background flush. */
export interface FlushWorkerState {
  worker: FlushWorker | undefined;
  /** How to start one: LsmOptions.flushWorker, or the engine's own where it can (engineFlushWorker). */
  start: (() => FlushWorker) | undefined;
  /** Whether the tree stops it when it closes: not the engine's own, which every tree in this worker shares. */
  readonly owned: boolean;
}
