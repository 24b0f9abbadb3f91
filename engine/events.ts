// The trace: what the engine did, step by step, as plain JSON. The UI animates these and nothing else,
// so the picture can never disagree with the engine. Bytes (keys, values) travel as lowercase hex.
// Every event is listed, with an example, in engine/README.md ("Events").

/**
 * An SSTable as the manifest names it and the engine keeps it: its number and file name as written on storage
 * (e.g. { number: 7, file: '000007.sst' }), its level, size, entries, key range (bytes) and sequence range. The
 * events and describe() show it as an SstableInfo, its keys as hex (sstableInfo makes one).
 */
export interface SstableMeta {
  file: string;
  number: number;
  level: number;
  size: number;
  entries: number;
  /** The number of data blocks. */
  blocks: number;
  /** The data blocks' bytes before compression. */
  dataBytes: number;
  smallest: Uint8Array;
  largest: Uint8Array;
  /** The range of sequence numbers inside: newer tables hold larger ones. L0 is ordered by largestSeq. */
  smallestSeq: number;
  largestSeq: number;
}

/** An SSTable as the events show it: an SstableMeta whose keys travel as hex, as every byte in an event does. */
export type SstableInfo = Omit<SstableMeta, 'smallest' | 'largest'> & { smallest: string; largest: string };

/** A file (the WAL, the manifest) and its size in bytes. */
export interface FileInfo {
  file: string;
  size: number;
}

export type Op = 'put' | 'delete';

/**
 * A skip list search, as the picture lights it: every position it stood at, in order. It starts at the head
 * (`key: null`) on the top lane, moves right while the next node's key is smaller, and drops a lane when it would
 * overshoot. Reported while the list is small enough to draw (SEARCH_PATH_UP_TO entries).
 */
export type SkipListPath = Array<{ lane: number; key: string | null }>;

/** One bloom filter probe: the filter's size in bits, the k bit positions the key hashes to, and which are set. */
export interface BloomProbe {
  bits: number;
  probes: number[];
  set: boolean[];
  /** The whole bit array (hex, bit i is bit i % 8 of byte i / 8), for a filter small enough to draw (≤ 256 bits). */
  filter?: string;
}

/** The sparse index lines around the one a read chose: `keys[i]` is the first key of block `from + i`. */
export interface IndexLookup {
  blocks: number;
  from: number;
  keys: string[];
  chosen: number;
}

/**
 * The data block a point read took (from storage, or from the block cache: `cached`), and its entries' keys (hex, in
 * order) for a block small enough to draw (BLOCK_KEYS_DRAWN entries).
 */
export interface BlockRead {
  cached: boolean;
  entries: number;
  keys?: string[];
  /** A prefix-compressed block (format 2): the entry number at each restart point, where a key is stored whole. */
  restarts?: number[];
}

/**
 * The search in a data block: each entry compared, and how its key compared with the wanted one. In a version 1
 * block, a binary search over every entry; in a prefix-compressed block (version 2), a binary search over the
 * restart points (those comparisons carry `restart`, the restart point's number), then a scan of one run.
 */
export interface BlockSearch {
  entries: number;
  compared: Array<{ entry: number; key: string; order: -1 | 0 | 1; restart?: number; run?: number }>;
  /** The entry that answered (the key's newest version the read may see), or -1. */
  at: number;
  /** A prefix-compressed block's restart-point search (absent for a version 1 block). */
  restarts?: RestartSearch;
}

/**
 * How a read searched a prefix-compressed block: the restart points (whose keys are stored whole), the ones the
 * binary search compared, and the run it then scanned entry by entry.
 */
export interface RestartSearch {
  /** The entry number at each restart point, in order: restart point r is entry points[r]. */
  points: number[];
  /** The restart points compared, in the order the binary search compared them. */
  probed: number[];
  /**
   * The run scanned: from entry `from` (restart point `restart`, the last whose key is below the wanted one, or
   * the first) to entry `to`, where the search stopped: the first key >= the wanted one (the next restart point's,
   * when the run holds none: the binary search compared it already), or the block's last entry. Each entry is
   * compared once: the run's restart point, unless it is the first, was compared by the binary search.
   */
  run: { restart: number; from: number; to: number };
}

/** An older version kept because live snapshots (`seenBy`, their sequence numbers) can still see it. */
export interface KeptVersion {
  seq: number;
  op: Op;
  value: string | null;
  seenBy: number[];
}

export type EngineEventBody =
  // --- write path ---------------------------------------------------------------------------------
  /** A record was written to the end of the WAL (not yet durable). */
  | {
      type: 'wal.append';
      file: string;
      offset: number;
      length: number;
      op: Op;
      seq: number;
      key: string;
      value: string | null;
    }
  /** A write batch was written to the end of the WAL as one record (not yet durable): writes take seq, seq+1, ... */
  | {
      type: 'wal.batch';
      file: string;
      offset: number;
      length: number;
      seq: number;
      writes: Array<{ op: Op; key: string; value: string | null }>;
    }
  /** The WAL was flushed: every record before `size` is now durable. */
  | { type: 'wal.flush'; file: string; size: number }
  /** A new, empty WAL was created for the next memtable. */
  | { type: 'wal.create'; file: string }
  /** A WAL whose records are all in a committed SSTable was deleted. */
  | { type: 'wal.remove'; file: string }
  /**
   * The memtable took a put or a tombstone; `bytes` and `entries` are its totals afterwards. `height`: how many
   * lanes of the skip list the key's node stands in (absent where recovery loaded the list in one pass).
   */
  | {
      type: 'memtable.insert';
      op: Op;
      seq: number;
      key: string;
      value: string | null;
      bytes: number;
      entries: number;
      limit: number;
      height?: number;
      /** The search that found the key's place (for a small list, SEARCH_PATH_UP_TO entries). */
      path?: SkipListPath;
      /**
       * The key's older versions the memtable keeps behind this one because a live snapshot can still see them
       * (newest first, the first KEPT_SHOWN); absent when it keeps none.
       */
      older?: KeptVersion[];
    }
  // --- flush ------------------------------------------------------------------------------------------
  /**
   * A memtable's flush begins. `frozen`: the memtable is the immutable one, frozen while nobody listened and written
   * by the flush worker (engine/background-flush.ts); the active memtable, with any writes since, is not flushed.
   */
  | {
      type: 'flush.begin';
      reason: 'threshold' | 'manual';
      entries: number;
      bytes: number;
      wal: string;
      frozen?: true;
    }
  /** An SSTable file was written and flushed. Readers cannot see it until a manifest edit names it. */
  | { type: 'sstable.write'; table: SstableInfo }
  /** A manifest record was appended and flushed: the commit point. */
  | {
      type: 'manifest.edit';
      file: string;
      offset: number;
      length: number;
      added: SstableInfo[];
      removed: string[];
      logNumber: number;
      lastSequence: number;
    }
  /** The flush is committed and its WAL retired; `frozen` as in its flush.begin. */
  | { type: 'flush.end'; table: string; wal: string; frozen?: true }
  /**
   * The manifest grew past its threshold: `to`, holding one snapshot record (its manifest.edit came just
   * before), took over from `from`, which was deleted (`removed`; if not, recovery deletes it).
   */
  | { type: 'manifest.roll'; from: string; to: string; fromSize: number; toSize: number; removed: boolean }
  // --- read path --------------------------------------------------------------------------------------
  /** `at`: the snapshot's sequence number, for a read at a snapshot (it sees no version written after it). */
  | { type: 'read.begin'; key: string; at?: number }
  /** `seq`: the sequence number of the version found (absent: none). */
  | {
      type: 'read.memtable';
      key: string;
      found: 'value' | 'tombstone' | 'absent';
      path?: SkipListPath;
      seq?: number;
    }
  // A table whose key range holds the key is read in sub-steps, each an event, then read.sstable gives its verdict:
  // read.bloom (if it has a filter), and unless the filter said no, read.index, read.block, read.compare (one per
  // entry the binary search compared).
  /** The table's bloom filter was asked: `maybe` false rules the table out without reading anything. */
  | { type: 'read.bloom'; key: string; file: string; level: number; bloom: BloomProbe; maybe: boolean }
  /** The sparse index named the one data block that can hold the key. */
  | { type: 'read.index'; key: string; file: string; level: number; index: IndexLookup }
  /** That data block was read (or found in the block cache) and its checksum verified. */
  | ({
      type: 'read.block';
      key: string;
      file: string;
      level: number;
      block: number;
      blockOffset: number;
      blockSize: number;
    } & BlockRead)
  /**
   * One step of the search in the block: entry `entry`, whose key is `with`, compared with the key. In a
   * prefix-compressed block, `restart`: the step compared restart point `restart` (the binary search over them), or
   * `run`: a step of the scan of the run that starts at restart point `run`. Neither: the binary search over every
   * entry of a version 1 block.
   */
  | {
      type: 'read.compare';
      key: string;
      file: string;
      level: number;
      entry: number;
      with: string;
      order: -1 | 0 | 1;
      restart?: number;
      run?: number;
    }
  /**
   * One SSTable whose key range holds the key, newest first (L0 tables outside the range are reported as
   * `out-of-range` too: they are the ones a student expects to be tried): the verdict, after its sub-steps above.
   * `bloom-negative`: the filter said "certainly not here", nothing read. Otherwise the sparse index named one data
   * block, which was read. It repeats what the sub-steps reported (bloom, index, search) for those who read only it.
   */
  | {
      type: 'read.sstable';
      key: string;
      file: string;
      level: number;
      found: 'out-of-range' | 'bloom-negative' | 'absent' | 'value' | 'tombstone';
      block?: number;
      blockOffset?: number;
      blockSize?: number;
      /** What the filter said, bit by bit (absent for a table without a filter, or ruled out by its range). */
      bloom?: BloomProbe;
      /** How the sparse index named the block. */
      index?: IndexLookup;
      /** The search inside the block read. */
      search?: BlockSearch;
    }
  | {
      type: 'read.end';
      key: string;
      found: boolean;
      value: string | null;
      source: string | null;
      tablesChecked: number;
      bloomSkips: number;
      blocksRead: number;
      /**
       * The read stopped at a tombstone: the next older version of the key, which the tombstone hides (`value`
       * null: an older tombstone), and where it lies. Absent when nothing older is stored.
       */
      hidden?: { value: string | null; source: string };
    }
  // --- compaction -----------------------------------------------------------------------------------
  /** The picker chose a compaction: these inputs, for this reason, into this level. */
  | {
      type: 'compaction.begin';
      strategy: 'leveled' | 'tiered';
      reason: string;
      score: number;
      inputs: string[];
      inputLevels: number[];
      outputLevel: number;
      dropTombstones: boolean;
      trivialMove: boolean;
    }
  | { type: 'compaction.progress'; entriesRead: number; entriesWritten: number; bytesWritten: number }
  | {
      type: 'compaction.end';
      inputs: string[];
      outputs: string[];
      outputLevel: number;
      entriesRead: number;
      entriesWritten: number;
      droppedShadowed: number;
      droppedTombstones: number;
      /** Older versions kept only because a live snapshot can still see them. */
      keptForSnapshots: number;
      bytesRead: number;
      bytesWritten: number;
      /** The first versions dropped (up to 12; the counts above cover all), for the picture to strike through. */
      dropped?: Array<{ key: string; seq: number; op: Op; why: 'shadowed' | 'tombstone' }>;
      /** Each output and the inputs whose key ranges it overlaps: where its entries came from. */
      links?: Array<{ output: string; inputs: string[] }>;
      /**
       * What compaction filters dropped (compaction/filter.ts), apart from the counts above: values whose key starts
       * with a filtered prefix, values past the TTL; `tombstones`: how many of them left a tombstone to hide older
       * versions; `shown`: the first 12 (when traced). Absent when no filter dropped anything.
       */
      filtered?: {
        prefix: number;
        ttl: number;
        tombstones: number;
        shown?: Array<{ key: string; seq: number; reason: 'prefix' | 'ttl' }>;
      };
    }
  /**
   * A compaction (or one step of compactRange) failed before its commit: nothing changed. The outputs it had
   * written were deleted (each told by an sstable.remove first) and its inputs stay where they were. `file` and
   * `offset`: where the corruption it met lies, when that is why it failed (its corruption event comes just before).
   */
  | {
      type: 'compaction.fail';
      inputs: string[];
      outputLevel: number;
      code: string;
      message: string;
      file?: string;
      offset?: number;
    }
  /**
   * An SSTable a committed compaction replaced was deleted. `uncommitted`: an output of a compaction that failed,
   * deleted before any manifest record named it.
   */
  | { type: 'sstable.remove'; file: string; uncommitted?: true }
  // --- snapshots (MVCC) -------------------------------------------------------------------------------
  /**
   * A snapshot was taken at sequence number `seq`; `live`: every live snapshot's seq, ascending. `implicit`: taken
   * by a scan without one, for itself (released when the scan ends).
   */
  | { type: 'snapshot.take'; seq: number; live: number[]; implicit?: true }
  /** A snapshot was released; what only it could see may now be dropped by flushes and compactions. */
  | { type: 'snapshot.release'; seq: number; live: number[]; implicit?: true }
  /**
   * A flush or compaction kept `versions` older versions because these snapshots can still see them; `shown`: the
   * first KEPT_SHOWN of them, each with the file it was written to.
   */
  | {
      type: 'snapshot.kept';
      by: 'flush' | 'compaction';
      versions: number;
      snapshots: number[];
      shown?: Array<KeptVersion & { key: string; file: string }>;
    }
  // --- scans ------------------------------------------------------------------------------------------
  /**
   * A scan batch merged these sources (newest first) from `start`, reading at sequence number `at` (its snapshot's,
   * or the implicit one taken when the scan began).
   */
  | { type: 'scan.begin'; start: string | null; end: string | null; sources: string[]; at?: number }
  /**
   * One step of the merge (the first SCAN_STEPS_SHOWN of a batch): the smallest key among the sources' cursors,
   * the version that won (`source`, `seq`; `op` delete: a tombstone, so the key is hidden) and every other version
   * of the key passed over with it: older ones (`shadowed`) and, at a snapshot, newer ones it must not see
   * (`invisible`). Each source named moved its cursor past the key.
   */
  | {
      type: 'scan.step';
      key: string;
      source: string;
      seq: number;
      op: Op;
      value: string | null;
      skipped: Array<{ source: string; seq: number; why: 'shadowed' | 'invisible' }>;
    }
  /** The batch's first results, each with the source its newest version came from, and what was skipped. */
  | {
      type: 'scan.end';
      results: Array<{ key: string; value: string; source: string }>;
      count: number;
      shadowed: number;
      tombstones: number;
    }
  // --- recovery ---------------------------------------------------------------------------------------
  /** Opening: the files found on storage. The UI resets its picture of the database to this. */
  | { type: 'recovery.begin'; files: FileInfo[] }
  /**
   * One manifest record read back (before recovery.manifest sums them up): the SSTables it added and removed, in
   * the order they were committed. Reported for a manifest of up to MANIFEST_REWRITE_RECORDS records.
   */
  | {
      type: 'recovery.edit';
      file: string;
      offset: number;
      length: number;
      added: string[];
      removed: string[];
      logNumber: number;
      lastSequence: number;
    }
  /** The manifest was replayed: the live SSTables and the first WAL still needed. */
  | {
      type: 'recovery.manifest';
      file: string;
      size: number;
      records: number;
      tables: SstableInfo[];
      logNumber: number;
      lastSequence: number;
    }
  /** A file that no committed state needs was deleted (an uncommitted SSTable, an obsolete WAL or manifest). */
  | { type: 'recovery.delete'; file: string; reason: string }
  /** One WAL record read back during replay; a memtable.insert follows. */
  | {
      type: 'recovery.replay';
      file: string;
      offset: number;
      length: number;
      op: Op;
      seq: number;
      key: string;
      value: string | null;
      /** A batch record: how many writes it holds (op, key and value are its first one's). */
      batch?: number;
    }
  /** The WAL ended in an incomplete record (a write cut short by the crash). It was cut off at `offset`. */
  | { type: 'recovery.torn-tail'; file: string; offset: number; droppedBytes: number }
  | {
      type: 'recovery.end';
      wal: string;
      walSize: number;
      replayed: number;
      memtableEntries: number;
      /** The memtable's flush threshold, so that the picture shows "0 B of 256 B" before the first write. */
      memtableLimit: number;
      /**
       * The towers of the skip list recovery loaded in one pass (its replay's memtable.insert events come before
       * the list is built, so they carry none): each key's height, for a list small enough to draw.
       */
      heights?: Array<{ key: string; height: number }>;
      tables: number;
      lastSequence: number;
      /** The storage held no database: this one was just created, empty (nothing was recovered). */
      created?: true;
    }
  // --- trouble ----------------------------------------------------------------------------------------
  /**
   * A flush, compaction or clean-up failed after the write that triggered it was already durable: the write
   * stands, the work is retried later. `readOnly`: the failure left storage in a state where writing on would
   * be unsafe, so the database now refuses writes until it is reopened.
   */
  | {
      type: 'background.error';
      operation: 'flush' | 'compaction' | 'cleanup' | 'wal-sync';
      code: string;
      message: string;
      readOnly: boolean;
    }
  /** Bytes failed a checksum or did not parse. The operation that met them failed with an LsmError. */
  | { type: 'corruption'; file: string; offset: number; detail: string }
  | { type: 'close' }
  // --- transactions (txn.ts) ------------------------------------------------------------------------------
  /**
   * A transaction began: it reads at snapshot `seq` (its snapshot.take came just before). `serializable: false`: its
   * commit will not validate its reads (snapshot isolation only).
   */
  | { type: 'txn.begin'; txn: number; seq: number; serializable?: false }
  /**
   * A put or delete went into an open transaction's private workspace: not the WAL, not the memtable; nobody else
   * sees it until the commit. `workspace`: the keys the workspace now holds.
   */
  | { type: 'txn.write'; txn: number; op: Op; key: string; value: string | null; workspace: number }
  /**
   * A transaction read from the database (not its own workspace): `key` by a get, or the range [start, end) (null:
   * unbounded) by a scan. Its commit is refused if a later write touches it. The read's own events follow.
   */
  | { type: 'txn.read'; txn: number; key?: string; range?: { start: string | null; end: string | null } }
  /**
   * A transaction committed: its workspace went to the WAL as one WriteBatch record (its wal.batch and
   * memtable.insert events came before this), `record` says where; null when it wrote nothing (read-only).
   */
  | {
      type: 'txn.commit';
      txn: number;
      writes: number;
      record: { file: string; offset: number; length: number; seq: number } | null;
    }
  /**
   * A commit was refused (serializable validation): the commit at `seq`, after the transaction began at `begin`,
   * wrote `key`, which the transaction had read, or a key inside a `range` it had scanned. Nothing was written.
   */
  | {
      type: 'txn.conflict';
      txn: number;
      begin: number;
      seq: number;
      key: string;
      range?: { start: string | null; end: string | null };
    }
  /** A transaction was abandoned (abort, or a refused commit): its workspace is gone, its snapshot released. */
  | { type: 'txn.abort'; txn: number }
  // --- repair (LsmTree.repair, engine/repair.ts) ---------------------------------------------------------
  /** Repair starts: the files it found (it trusts no manifest; it reads every table and WAL instead). */
  | { type: 'repair.begin'; files: FileInfo[] }
  /** One SSTable read end to end: kept (in level 0, as `table`), or not readable (`error`, with file and offset). */
  | {
      type: 'repair.table';
      file: string;
      kept: boolean;
      table?: SstableInfo;
      error?: RepairProblem;
      /** Not kept, but its readable blocks' entries went into a new table. */
      salvaged?: { table: string; entries: number; blocks: number; blocksLost: number };
    }
  /** One WAL read until its first bad record; its writes became `table` (null: it held none). */
  | {
      type: 'repair.wal';
      file: string;
      records: number;
      writes: number;
      table: string | null;
      recordsLost: number;
      bytesLost: number;
      error?: RepairProblem;
      tornTail?: boolean;
      setAside?: string;
    }
  /** A file repair could not read whole (or an old manifest) was copied to `to` before anything was removed. */
  | { type: 'repair.set-aside'; file: string; to: string }
  /** The new manifest's one record was written and flushed: the repair's commit point. */
  | {
      type: 'repair.manifest';
      file: string;
      offset: number;
      length: number;
      tables: number;
      lastSequence: number;
    }
  /** After the commit: a file no committed state needs (an old manifest, a WAL now in a table, a set-aside file). */
  | { type: 'repair.remove'; file: string }
  /** Repair done and the database open (recovery's events came between). */
  | {
      type: 'repair.end';
      manifest: string;
      tablesKept: number;
      tablesLost: number;
      walRecordsRecovered: number;
      walRecordsLost: number;
      merged: boolean;
    }
  /**
   * The tables found share keys with interleaved sequence numbers, which level 0's newest-first order cannot
   * settle: all were merged (newest version of each key) into `outputs`, which do not overlap.
   */
  | { type: 'repair.merge'; inputs: string[]; outputs: SstableInfo[] };

/** A typed error (LsmError) as plain data, for a report that crosses postMessage: what went wrong, and where. */
export interface RepairProblem {
  code: string;
  message: string;
  file: string;
  offset?: number;
}

/** Events carry a stable, increasing id, assigned by the tree that emitted them. */
export type EngineEvent = EngineEventBody & { id: number };
export type EngineEventType = EngineEvent['type'];
export type EventListener = (event: EngineEvent) => void;
