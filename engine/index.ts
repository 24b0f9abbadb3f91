// The engine's public surface. Byte formats, recovery rules and guarantees: engine/README.md.
export { WriteBatch } from './batch';
export { compareBytes, decodeUtf8, fromHex, toHex, utf8 } from './bytes';
export { crc32c } from './codec/crc32c';
export type { CompactionStrategy, LevelScore } from './compaction/picker';
export type { LevelWork } from './counters';
export { ErrorCode, LsmError } from './errors';
export type {
  BlockRead,
  BlockSearch,
  BloomProbe,
  EngineEvent,
  EngineEventBody,
  EngineEventType,
  EventListener,
  FileInfo,
  IndexLookup,
  KeptVersion,
  Op,
  RepairProblem,
  SkipListPath,
  SstableInfo,
  SstableMeta,
} from './events';
export type { FlushReply, FlushRequest, FlushWorker } from './flush-table';
export { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits';
export { mulberry32 } from './random';
export { LOST_PREFIX, type RepairReport } from './repair';
export { Snapshot } from './snapshot';
export type { Compression } from './sstable/block';
export { MemoryStorage } from './storage/memory';
export type { Storage, StorageFile } from './storage/storage';
export {
  DEFAULT_MEMTABLE_BYTES,
  DEFAULT_SETTINGS,
  type Durability,
  type Lookup,
  type LsmOptions,
  LsmTree,
  type RangeCompaction,
  type TreeSettings,
  type TreeState,
  type TreeStats,
} from './tree';
export { type HexRange, Transaction, TxnConflictError } from './txn';
export { DEFAULT_WORKLOAD, type KeyDistribution, type WorkloadOp, type WorkloadSpec, workloadOps } from './workload';
export { yieldToEventLoop } from './yield';
