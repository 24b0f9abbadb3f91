// What the tree tells of itself: its picture (describe, in the events' terms, which the UI's fold of the events
// must equal; a cheap peek at the memtable) and its figures: real byte counters since open, and the amplification
// figures they give (write, read, space), per level too. The counters are bumped by the algorithms as they go;
// counting live bytes scans the tree.

import { toHex } from './bytes';
import { type LevelScore, levelScores } from './compaction/picker';
import type { FileInfo, SstableInfo } from './events';
import { mergeNewest } from './iterators';
import { sources } from './read';
import { compactionOptions } from './settings';
import type { LsmState } from './state';
import { sstableInfo } from './trace';

/** The engine's own picture of itself, in the same terms as the events (bytes as hex). */
export interface TreeState {
  wal: FileInfo;
  manifest: FileInfo;
  memtable: Array<{ key: string; value: string | null; seq: number }>;
  memtableBytes: number;
  /** In read order: L0 newest first, then L1, L2, ... each in key order. */
  tables: SstableInfo[];
  lastSequence: number;
}

export function describeTree(state: LsmState): TreeState {
  return {
    wal: { file: state.wal.name, size: state.wal.size },
    manifest: { file: state.manifest.name, size: state.manifest.size },
    memtable: [...state.memtable.range()].map((e) => ({
      key: toHex(e.key),
      value: e.op === 'put' ? toHex(e.value) : null,
      seq: e.seq,
    })),
    memtableBytes: state.memtable.bytes,
    tables: state.version.newestFirst().map(sstableInfo),
    lastSequence: state.version.lastSequence,
  };
}

/**
 * The memtable's totals, its first `limit` entries, and the WAL it is logged in: what a view can show of them
 * without copying the whole memtable (describe() does, which is too much a few times a second).
 */
export function peekMemtable(
  state: LsmState,
  limit: number,
): { entries: number; bytes: number; sample: TreeState['memtable']; wal: FileInfo } {
  const sample: TreeState['memtable'] = [];
  for (const e of state.memtable.range()) {
    if (sample.length >= limit) break;
    sample.push({ key: toHex(e.key), value: e.op === 'put' ? toHex(e.value) : null, seq: e.seq });
  }
  const wal = { file: state.wal.name, size: state.wal.size };
  return { entries: state.memtable.entries, bytes: state.memtable.bytes, sample, wal };
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
  /** Of those, the ones whose table the flush worker wrote, off the write path (background-flush.ts). */
  flushesByWorker: number;
  compactions: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  levels: LevelScore[];
}

/** Counters and amplification. Counting live bytes scans the whole tree (quietly). */
export function treeStats(state: LsmState): TreeStats {
  let liveBytes = 0;
  let liveKeys = 0;
  for (const { entry } of mergeNewest(sources(state, undefined, undefined))) {
    if (entry.op !== 'put') continue;
    liveBytes += entry.key.length + entry.value.length;
    liveKeys++;
  }
  const tables = state.version.newestFirst();
  const tableBytes = tables.reduce((sum, t) => sum + t.size, 0);
  // Older WALs exist only between a crash and the next flush, and while a memtable is flushed off the write path.
  const walBytes = state.wal.size + (state.imm?.wal.size ?? 0);
  const diskBytes = tableBytes + walBytes + state.manifest.size;
  const c = state.counters;
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
    flushesByWorker: c.flushesByWorker,
    compactions: c.compactions,
    compactionBytesRead: c.compactionBytesRead,
    compactionBytesWritten: c.compactionBytesWritten,
    levels: levelScores(tables, compactionOptions(state.settings)),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
