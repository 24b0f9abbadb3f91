// The tree's settings: what they mean, their defaults (one list, for the engine and the lab), and the checks a
// setting must pass before it is taken (at open and at setOptions). Also the two views of them the algorithms
// use: the SSTable builder's options and the compaction picker's.
import type { CompactionOptions, CompactionStrategy } from './compaction/picker';
import { ErrorCode, LsmError } from './errors';
import type { EventListener } from './events';
import type { FlushWorker } from './flush-table';
import type { Compression } from './sstable/block';
import type { BuilderOptions } from './sstable/builder';
import { DEFAULT_BLOCK_SIZE, DEFAULT_BLOOM_BITS_PER_KEY, DEFAULT_RESTART_INTERVAL } from './sstable/format';

/** When a write is acknowledged: see TreeSettings.durability. */
export type Durability = 'durable' | 'group' | 'relaxed';

/** What can change while the database is open (setOptions); each takes effect at the next flush or compaction. */
export interface TreeSettings {
  /**
   * When a write is acknowledged. 'durable' (default, the seed's fsync): after its WAL record is flushed.
   * 'group' (group commit): records are flushed together, every `groupCommitWrites` writes or `groupCommitMs`
   * ms, and each write is acknowledged after its group's flush: durable too, far fewer flushes when many
   * writes are in flight. 'relaxed': acknowledged at once; its record waits in the WAL writer's memory and is
   * written and flushed with its group within `groupCommitMs` (log/writer.ts), so a crashed tab or worker, as well
   * as a power cut, can lose the writes acknowledged in that last interval.
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
  /**
   * Compaction filter by key prefix (RocksDB's CompactionFilter, mini-lsm's week 3 day 7): compactions drop the keys
   * that start with one of these (UTF-8) prefixes, unless a live snapshot can still see them (compaction/filter.ts).
   * Default none.
   */
  filterPrefixes: string[];
  /**
   * Compaction filter by age (a TTL): compactions drop values written more than this many ms before they run, by the
   * tree's clock (LsmOptions.clock), unless a live snapshot can still see them. Write times are noted only while
   * this is set (write-times.ts): values written before it was first set never expire. Default 0: off.
   */
  filterTtlMs: number;
  /**
   * Prefix-compressed data blocks: a key is stored whole every this many entries (a restart point, which a read
   * binary-searches; the keys between store only what they do not share with the key before). Default 16, as
   * LevelDB's. Fewer: faster searches, bigger blocks.
   */
  restartInterval: number;
}

export interface LsmOptions extends Partial<TreeSettings> {
  /** Subscribed before recovery starts, so it sees every recovery event. */
  onEvent?: EventListener;
  /** The time now, in ms since the epoch: when writes are made, and when the TTL filter runs. Default Date.now. */
  clock?: () => number;
  /**
   * Where a full memtable's SSTable is written while writes go on (background-flush.ts): by default the engine's
   * own flush worker, in a browser worker on OpfsStorage, whenever nobody listens to the tree's events; false
   * keeps every flush on the write that fills the memtable, as it is when someone listens; a function starts a
   * worker of one's own (tests give an in-process one).
   */
  flushWorker?: false | (() => FlushWorker);
}

export const DEFAULT_MEMTABLE_BYTES = 4 * 1024 * 1024;

/**
 * The engine's defaults, the one list of them: the lab's store (web/store/store.ts) starts from these too,
 * changing only what it says it changes.
 */
export const DEFAULT_SETTINGS: Readonly<TreeSettings> = {
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
  filterPrefixes: [],
  filterTtlMs: 0,
  restartInterval: DEFAULT_RESTART_INTERVAL,
};

/** What a new SSTable is built with. */
export function builderOptions(settings: TreeSettings): BuilderOptions {
  const { blockSize, bloomBitsPerKey, compression, restartInterval } = settings;
  return { blockSize, bloomBitsPerKey, compression, restartInterval };
}

/** What the compaction picker is given. */
export function compactionOptions(s: TreeSettings): CompactionOptions {
  return {
    strategy: s.compaction,
    l0Trigger: s.l0Trigger,
    levelBaseBytes: s.levelBaseBytes ?? 4 * s.memtableBytes,
    levelSizeRatio: s.levelSizeRatio,
    dynamicLevelBytes: s.dynamicLevelBytes,
    maxLevels: s.maxLevels,
    tieredMinRuns: s.tieredMinRuns,
    tieredSizeFactor: 2,
    maxGrandparentOverlapBytes: s.grandparentOverlapFactor * (s.targetFileBytes ?? s.memtableBytes),
  };
}

/** The values that are set: an option passed as undefined keeps its default. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The settings, checked: a refused setting is invalid-argument, and nothing changes. */
export function checkSettings(s: TreeSettings): TreeSettings {
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
  if (!Array.isArray(s.filterPrefixes) || !s.filterPrefixes.every((p) => typeof p === 'string' && p.length > 0)) {
    throw new LsmError(ErrorCode.InvalidArgument, 'filterPrefixes must be a list of non-empty strings');
  }
  if (!Number.isInteger(s.filterTtlMs) || s.filterTtlMs < 0) {
    throw new LsmError(ErrorCode.InvalidArgument, `filterTtlMs must be a whole number ≥ 0, got ${s.filterTtlMs}`);
  }
  positiveInteger(s.restartInterval, 'restartInterval');
  return s;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new LsmError(ErrorCode.InvalidArgument, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
