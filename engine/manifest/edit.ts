// A manifest record ("version edit", as LevelDB calls it): which SSTables appeared and disappeared, and
// the counters recovery needs. Framed like a WAL record (wal/format.ts). Payload layout, little endian,
// in engine/README.md ("Manifest"):
//
//   log_number u32 | next_file_number u32 | last_sequence u64 |
//   added_count u32 | (level u8 | file_number u32 | file_size u32 | entry_count u32 | block_count u32 |
//                      smallest_length u32 | smallest | largest_length u32 | largest)* |
//   removed_count u32 | (file_number u32)*
import { fromHex, toHex } from '../bytes';
import { corruption } from '../errors';
import type { SstableMeta } from '../events';
import { sstableName } from '../filenames';

export interface VersionEdit {
  /** WALs numbered below this hold nothing the SSTables lack: recovery deletes them. */
  logNumber: number;
  nextFileNumber: number;
  lastSequence: number;
  added: SstableMeta[];
  removed: number[];
}

export function encodeEdit(edit: VersionEdit): Uint8Array {
  const added = edit.added.map((t) => ({ table: t, smallest: fromHex(t.smallest), largest: fromHex(t.largest) }));
  let size = 4 + 4 + 8 + 4 + 4 + 4 * edit.removed.length;
  for (const a of added) size += 1 + 4 * 6 + a.smallest.length + a.largest.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, edit.logNumber, true);
  view.setUint32(4, edit.nextFileNumber, true);
  view.setBigUint64(8, BigInt(edit.lastSequence), true);
  view.setUint32(16, added.length, true);
  let p = 20;
  for (const { table, smallest, largest } of added) {
    view.setUint8(p, table.level);
    view.setUint32(p + 1, table.number, true);
    view.setUint32(p + 5, table.size, true);
    view.setUint32(p + 9, table.entries, true);
    view.setUint32(p + 13, table.blocks, true);
    view.setUint32(p + 17, smallest.length, true);
    out.set(smallest, p + 21);
    p += 21 + smallest.length;
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
    need(p, 21);
    const level = view.getUint8(p);
    const number = view.getUint32(p + 1, true);
    const size = view.getUint32(p + 5, true);
    const entries = view.getUint32(p + 9, true);
    const blocks = view.getUint32(p + 13, true);
    const smallestLength = view.getUint32(p + 17, true);
    need(p + 21, smallestLength + 4);
    const smallest = toHex(payload.subarray(p + 21, p + 21 + smallestLength));
    p += 21 + smallestLength;
    const largestLength = view.getUint32(p, true);
    need(p + 4, largestLength);
    const largest = toHex(payload.subarray(p + 4, p + 4 + largestLength));
    p += 4 + largestLength;
    edit.added.push({ file: sstableName(number), number, level, size, entries, blocks, smallest, largest });
  }
  need(p, 4);
  const removedCount = view.getUint32(p, true);
  p += 4;
  need(p, 4 * removedCount);
  for (let i = 0; i < removedCount; i++) edit.removed.push(view.getUint32(p + 4 * i, true));
  p += 4 * removedCount;
  if (p !== payload.length) throw corruption(file, at + p, 'manifest record has trailing bytes');
  return edit;
}
