// A manifest record ("version edit", as LevelDB calls it): which SSTables appeared and disappeared, and
// the counters recovery needs. Framed like a WAL record (log/format.ts). Payload layout, little endian,
// in engine/README.md ("Manifest"):
//
//   log_number u32 | next_file_number u32 | last_sequence u64 |
//   added_count u32 | (level u8 | file_number u32 | file_size u32 | entry_count u32 | block_count u32 |
//                      data_bytes u32 | smallest_seq u64 | largest_seq u64 |
//                      smallest_length u32 | smallest | largest_length u32 | largest)* |
//   removed_count u32 | (file_number u32)* |
//   [write_times_tag u8 = 1 | from u64 | pair_count u32 | (sequence u64 | time_ms u64)*]
//
// The write-times section (write-times.ts) is optional: only flushes made since the write-time map exist write it.
import { corruption } from '../errors';
import type { SstableMeta } from '../events';
import { sstableName } from '../filenames';
import type { WriteTimes } from '../write-times';

/** level u8 + five u32 + two u64 + smallest_length u32, before the smallest key. */
const ADDED_FIXED_SIZE = 41;
/** The tag before the optional write-times section at the end of a record. */
const WRITE_TIMES_TAG = 1;

export interface VersionEdit {
  /** WALs numbered below this hold nothing the SSTables lack: recovery deletes them. */
  logNumber: number;
  nextFileNumber: number;
  lastSequence: number;
  added: SstableMeta[];
  removed: number[];
  /** The write times of the writes this edit made durable (a flush), or the whole map (a new manifest's snapshot). */
  writeTimes?: WriteTimes;
}

export function encodeEdit(edit: VersionEdit): Uint8Array {
  let size = 4 + 4 + 8 + 4 + 4 + 4 * edit.removed.length;
  for (const t of edit.added) size += ADDED_FIXED_SIZE + 4 + t.smallest.length + t.largest.length;
  if (edit.writeTimes) size += 1 + 8 + 4 + 16 * edit.writeTimes.pairs.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, edit.logNumber, true);
  view.setUint32(4, edit.nextFileNumber, true);
  view.setBigUint64(8, BigInt(edit.lastSequence), true);
  view.setUint32(16, edit.added.length, true);
  let p = 20;
  for (const table of edit.added) {
    const { smallest, largest } = table;
    view.setUint8(p, table.level);
    view.setUint32(p + 1, table.number, true);
    view.setUint32(p + 5, table.size, true);
    view.setUint32(p + 9, table.entries, true);
    view.setUint32(p + 13, table.blocks, true);
    view.setUint32(p + 17, table.dataBytes, true);
    view.setBigUint64(p + 21, BigInt(table.smallestSeq), true);
    view.setBigUint64(p + 29, BigInt(table.largestSeq), true);
    view.setUint32(p + 37, smallest.length, true);
    out.set(smallest, p + ADDED_FIXED_SIZE);
    p += ADDED_FIXED_SIZE + smallest.length;
    view.setUint32(p, largest.length, true);
    out.set(largest, p + 4);
    p += 4 + largest.length;
  }
  view.setUint32(p, edit.removed.length, true);
  p += 4;
  for (const number of edit.removed) {
    view.setUint32(p, number, true);
    p += 4;
  }
  if (edit.writeTimes) {
    view.setUint8(p, WRITE_TIMES_TAG);
    view.setBigUint64(p + 1, BigInt(edit.writeTimes.from), true);
    view.setUint32(p + 9, edit.writeTimes.pairs.length, true);
    p += 13;
    for (const [seq, time] of edit.writeTimes.pairs) {
      view.setBigUint64(p, BigInt(seq), true);
      view.setBigUint64(p + 8, BigInt(time), true);
      p += 16;
    }
  }
  return out;
}

/** `at` is the payload's offset in the manifest file, for error reports. */
export function decodeEdit(payload: Uint8Array, file: string, at: number): VersionEdit {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const need = (p: number, n: number) => {
    if (p + n > payload.length) throw corruption(file, at + p, 'manifest record ends early');
  };
  need(0, 20);
  const edit: VersionEdit = {
    logNumber: view.getUint32(0, true),
    nextFileNumber: view.getUint32(4, true),
    lastSequence: Number(view.getBigUint64(8, true)),
    added: [],
    removed: [],
  };
  const addedCount = view.getUint32(16, true);
  let p = 20;
  for (let i = 0; i < addedCount; i++) {
    need(p, ADDED_FIXED_SIZE);
    const level = view.getUint8(p);
    const number = view.getUint32(p + 1, true);
    const size = view.getUint32(p + 5, true);
    const entries = view.getUint32(p + 9, true);
    const blocks = view.getUint32(p + 13, true);
    const dataBytes = view.getUint32(p + 17, true);
    const smallestSeq = Number(view.getBigUint64(p + 21, true));
    const largestSeq = Number(view.getBigUint64(p + 29, true));
    const smallestLength = view.getUint32(p + 37, true);
    need(p + ADDED_FIXED_SIZE, smallestLength + 4);
    const smallest = payload.slice(p + ADDED_FIXED_SIZE, p + ADDED_FIXED_SIZE + smallestLength);
    p += ADDED_FIXED_SIZE + smallestLength;
    const largestLength = view.getUint32(p, true);
    need(p + 4, largestLength);
    const largest = payload.slice(p + 4, p + 4 + largestLength);
    p += 4 + largestLength;
    edit.added.push({
      file: sstableName(number),
      number,
      level,
      size,
      entries,
      blocks,
      dataBytes,
      smallest,
      largest,
      smallestSeq,
      largestSeq,
    });
  }
  need(p, 4);
  const removedCount = view.getUint32(p, true);
  p += 4;
  need(p, 4 * removedCount);
  for (let i = 0; i < removedCount; i++) edit.removed.push(view.getUint32(p + 4 * i, true));
  p += 4 * removedCount;
  if (p < payload.length && payload[p] === WRITE_TIMES_TAG) {
    need(p, 13);
    const from = Number(view.getBigUint64(p + 1, true));
    const count = view.getUint32(p + 9, true);
    p += 13;
    need(p, 16 * count);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < count; i++, p += 16) {
      pairs.push([Number(view.getBigUint64(p, true)), Number(view.getBigUint64(p + 8, true))]);
    }
    edit.writeTimes = { from, pairs };
  }
  if (p !== payload.length) throw corruption(file, at + p, 'manifest record has trailing bytes');
  return edit;
}
