// The view model: everything the picture draws, as plain immutable data, and the empty picture a run starts from.
// Built only from the engine's events (apply.ts), so that it can never show what the engine did not do.
import type { BlockSearch, BloomProbe, IndexLookup, KeptVersion, SkipListPath, SstableInfo } from '@lsm-lab/engine';
import type { TimelineEvent } from '../timeline';

export interface WalRecordView {
  offset: number;
  length: number;
  op: 'put' | 'delete';
  seq: number;
  key: string;
  value: string | null;
  /** A write batch's record (WriteBatch): how many writes it holds; op, key and value are its first one's. */
  batch?: number;
  /** Flushed to storage: survives power loss. */
  durable: boolean;
  /** Read back by recovery rather than appended in this session. */
  replayed: boolean;
}

export interface WalView {
  file: string;
  size: number;
  durableSize: number;
  /** The most recent records only (the file may hold many more). */
  records: WalRecordView[];
  totalRecords: number;
}

export interface MemtableEntryView {
  key: string;
  value: string | null;
  seq: number;
  /** How many skip-list lanes the key's node stands in, as the engine reported it. */
  height?: number;
  /** Older versions of the key kept behind this one for snapshots (newest first), as the engine reported them. */
  older?: KeptVersion[];
}

/** A version a flush or compaction kept in a table because snapshots (`seenBy`) could still see it. */
export interface KeptMark extends KeptVersion {
  key: string;
}

export interface TableView extends SstableInfo {
  /** Named by a flushed manifest record. Until then readers cannot see it. */
  committed: boolean;
  /** Which memtable it was flushed from: lets the animation morph one into the other. */
  generation: number;
}

/** What one SSTable told a Get, once its sub-steps are done. */
export type SstableFound = 'out-of-range' | 'bloom-negative' | 'absent' | 'value' | 'tombstone';

/**
 * The sub-step of a Get inside one SSTable shown last, in the order the reader takes them: its bloom filter asked,
 * its sparse index asked, the block read, the binary search in the block (one comparison after another), then the
 * verdict (`done`).
 */
export type ProbePhase = 'bloom' | 'index' | 'block' | 'search' | 'done';

export type ReadStep =
  | { where: 'memtable'; found: 'value' | 'tombstone' | 'absent' }
  | {
      where: 'sstable';
      file: string;
      level: number;
      /** The verdict; `probing` until the engine gave it (the sub-steps before it are being shown). */
      found: SstableFound | 'probing';
      phase: ProbePhase;
      block?: number;
      /** What the engine reported of the probe so far: the filter's bits, the index lines, the block read. */
      bloom?: BloomProbe;
      index?: IndexLookup;
      blockSize?: number;
      /** The block came from the block cache: no I/O. */
      cached?: boolean;
      /** How many entries the block holds, and their keys when few enough to draw. */
      entries?: number;
      keys?: string[];
      /** The binary search's comparisons so far, in the order it made them. */
      compared: BlockSearch['compared'];
      /** Once the verdict is in: the entry that answered, or -1. */
      at?: number;
      /**
       * A prefix-compressed block: the entry number at each restart point (from read.block), and once the verdict
       * is in, the run its search scanned. Comparisons with a `restart` were the restart points' binary search.
       */
      restartPoints?: number[];
      run?: { restart: number; from: number; to: number };
    };

export interface ReadView {
  key: string;
  steps: ReadStep[];
  done: boolean;
  found: boolean;
  value: string | null;
  source: string | null;
  tablesChecked: number;
  bloomSkips: number;
  blocksRead: number;
  /** The read stopped at a tombstone: the older version it hides, and where that lies. */
  hidden: { value: string | null; source: string } | null;
  /** Another operation began since: the Reads panel keeps it, the picture stops pointing at it. */
  stale: boolean;
  /** A read at a snapshot: its sequence number. */
  at: number | null;
  /** The sequence number of the version the memtable answered with. */
  memtableSeq: number | null;
}

export interface CompactionView {
  strategy: 'leveled' | 'tiered';
  reason: string;
  inputs: string[];
  outputLevel: number;
  trivialMove: boolean;
  dropTombstones: boolean;
  entriesRead: number;
  entriesWritten: number;
  outputs: string[];
  done: boolean;
  droppedShadowed: number;
  droppedTombstones: number;
  /** The first versions the merge dropped, as the engine named them. */
  dropped: Array<{ key: string; seq: number; op: 'put' | 'delete'; why: 'shadowed' | 'tombstone' }>;
  /** Each output and the inputs it came from (their key ranges overlap). */
  links: Array<{ output: string; inputs: string[] }>;
  /** Older versions the merge kept because live snapshots still see them. */
  keptForSnapshots: number;
  /** The versions its inputs held for snapshots (marked on their cards), as they stood when it began. */
  inputsKept: KeptMark[];
  /** What compaction filters dropped, apart from the counts above (compaction.end's `filtered`). */
  filtered: FilteredView;
  /** It failed before its commit (compaction.fail): nothing changed. `file`, `offset`: the corruption it met. */
  failed: { message: string; file?: string; offset?: number } | null;
}

/** Values a compaction's filters dropped, by reason; `tombstones`: how many left a tombstone to hide older versions. */
export interface FilteredView {
  prefix: number;
  ttl: number;
  tombstones: number;
  shown: Array<{ key: string; seq: number; reason: 'prefix' | 'ttl' }>;
}

/** One manifest record drawn in the manifest's box: what it committed. */
export interface ManifestRecordView {
  offset: number;
  length: number;
  added: string[];
  removed: string[];
  /** During a recovery: read back already (records not yet read are drawn faint). */
  read: boolean;
}

/** One step of a scan's merge, as the engine reported it (scan.step). */
export interface ScanStepView {
  key: string;
  source: string;
  seq: number;
  op: 'put' | 'delete';
  value: string | null;
  skipped: Array<{ source: string; seq: number; why: 'shadowed' | 'invisible' }>;
}

export interface ScanView {
  start: string | null;
  end: string | null;
  sources: string[];
  /** The sequence number it reads at (its snapshot's), when the engine said. */
  at: number | null;
  /** The merge's steps shown so far (the first few of the batch). */
  steps: ScanStepView[];
  /** Where each source's cursor stands: the last key it moved past (absent: not moved yet). */
  cursors: Record<string, string>;
  /** Another operation began since: the cursors are no longer drawn. */
  stale: boolean;
  results: Array<{ key: string; value: string; source: string }>;
  count: number;
  shadowed: number;
  tombstones: number;
  done: boolean;
}

/** What the last event touched, so that the picture can point at it. */
export type Focus =
  | { kind: 'wal'; file: string; offset?: number }
  | { kind: 'memtable'; key?: string }
  | { kind: 'sstable'; file: string }
  | { kind: 'manifest' }
  | { kind: 'none' };

export interface RecoveryView {
  replayed: number;
  tornTails: Array<{ file: string; offset: number; droppedBytes: number }>;
  deleted: Array<{ file: string; reason: string }>;
  /** The WALs recovery has read from (their records are exactly the replayed ones once it is done). */
  read: string[];
  /** Where the read cursor is: the WAL record replayed last. */
  cursor: { file: string; offset: number } | null;
  done: boolean;
}

export interface ViewModel {
  /** Oldest first; the last one is the WAL being written. */
  wals: WalView[];
  memtable: {
    /** Every entry, in key order, when each write was traced; during a workload, the first few only. */
    entries: MemtableEntryView[];
    /** How many entries the engine's memtable holds. */
    total: number;
    bytes: number;
    limit: number;
    generation: number;
    flushing: boolean;
    /**
     * The entries are a workload's snapshot (the engine's first few, replaced several times a second), not
     * traced one by one: from the first `workload.progress` until the memtable is flushed or lost.
     */
    sampled: boolean;
    /** The skip list search the engine reported last (a get's or an insert's), lit in the drawing. */
    search: { key: string; path: SkipListPath; kind: 'get' | 'insert' } | null;
  };
  /** Newest first, the order a read tries them. */
  tables: TableView[];
  manifest: {
    file: string;
    size: number;
    records: number;
    /** Its newest records (MANIFEST_RECORDS_DRAWN), oldest first. */
    log: ManifestRecordView[];
  };
  lastSequence: number;
  read: ReadView | null;
  recovery: RecoveryView | null;
  crashed: { lostEntries: number; kind: 'process' | 'power' } | null;
  /** The crash point that fired, in the lab's words. */
  crashPoint: string | null;
  /** A file the crash cut off in mid-write (a half-written SSTable), on disk until recovery deletes it. */
  tornFile: { file: string; size: number } | null;
  corruption: { file: string; offset: number; detail: string } | null;
  /** The last background failure (a flush or compaction after a durable write), and whether writes stopped. */
  trouble: { operation: string; message: string; readOnly: boolean } | null;
  compaction: CompactionView | null;
  compactions: number;
  scan: ScanView | null;
  /** The live snapshots' sequence numbers, ascending (one per snapshot: two taken at once are both there). */
  snapshots: number[];
  /** The snapshot a scan without one took for itself, while it runs. */
  scanSnapshot: number | null;
  /** The last snapshot taken or released, to point at. */
  snapshotEvent: { kind: 'take' | 'release'; seq: number } | null;
  /** Per table file: the versions it holds for snapshots, as its flush or compaction named them. */
  kept: Record<string, KeptMark[]>;
  focus: Focus;
  /** Set when a flush turns memtable generation N into an SSTable. */
  flushingGeneration: number | null;
  /** The last workload as far as the picture has shown it: the Workload panel says "finished" only once drawn. */
  workload: WorkloadView | null;
  /** Open transactions, oldest first, each with its private workspace. */
  txns: TxnView[];
  /** The WAL record the last transaction commit wrote (its wal.batch), marked in the WAL. */
  txnRecord: { txn: number; file: string; offset: number } | null;
  /** The last commit refused by validation: the key (hex) a later write changed, and the scanned range it lay in. */
  txnConflict: { txn: number; key: string; range: { start: string | null; end: string | null } | null } | null;
}

/** An open transaction: the sequence number it reads at, and its workspace (key order, hex), as txn.write said. */
export interface TxnView {
  id: number;
  seq: number;
  serializable: boolean;
  workspace: Array<{ key: string; op: 'put' | 'delete'; value: string | null }>;
  /** What it read from the database, in order (hex): keys, and scanned ranges (null: unbounded). */
  reads: Array<{ key: string } | { start: string | null; end: string | null }>;
}

export interface WorkloadView {
  done: number;
  total: number;
  /** Its end has been shown: finished, cancelled, or cut short by a crash. */
  ended: 'finished' | 'cancelled' | 'crashed' | null;
}

export const initialView: ViewModel = {
  wals: [],
  memtable: {
    entries: [],
    total: 0,
    bytes: 0,
    limit: 0,
    generation: 0,
    flushing: false,
    sampled: false,
    search: null,
  },
  tables: [],
  manifest: { file: '', size: 0, records: 0, log: [] },
  lastSequence: 0,
  read: null,
  recovery: null,
  crashed: null,
  crashPoint: null,
  tornFile: null,
  corruption: null,
  trouble: null,
  compaction: null,
  compactions: 0,
  scan: null,
  snapshots: [],
  scanSnapshot: null,
  snapshotEvent: null,
  kept: {},
  focus: { kind: 'none' },
  flushingGeneration: null,
  workload: null,
  txns: [],
  txnRecord: null,
  txnConflict: null,
};

/** The events of the given types: what each part's reducer takes. */
export type EventOf<Type extends TimelineEvent['type']> = Extract<TimelineEvent, { type: Type }>;
