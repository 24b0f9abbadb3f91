// The entry encoding shared by WAL records and SSTable data blocks: an SSTable entry is a WAL payload,
// sorted. Layout (little endian), documented in engine/README.md ("Entry"):
//
//   op u8 | sequence u64 | key_length u32 | key | value_length u32 | value
//
// op is 1 for a put, 2 for a delete (a tombstone; its value is empty).
import type { Op } from '../events';

export const OP_PUT = 1;
export const OP_DELETE = 2;
/** op (1) + sequence (8) + key_length (4) + value_length (4) */
export const ENTRY_OVERHEAD = 17;

export interface Entry {
  op: Op;
  seq: number;
  key: Uint8Array;
  /** Empty for a delete. */
  value: Uint8Array;
}

export function entrySize(keyLength: number, valueLength: number): number {
  return ENTRY_OVERHEAD + keyLength + valueLength;
}

/** Writes the entry into `out` at `at`; returns the offset just past it. */
export function encodeEntry(entry: Entry, out: Uint8Array, at: number): number {
  // Byte by byte, not through a DataView and a BigInt: every write and every flushed entry passes here.
  out[at] = entry.op === 'put' ? OP_PUT : OP_DELETE;
  putU32(out, at + 1, entry.seq >>> 0); // sequence numbers stay below 2^53: two u32 halves hold them exactly
  putU32(out, at + 5, Math.floor(entry.seq / 2 ** 32));
  putU32(out, at + 9, entry.key.length);
  out.set(entry.key, at + 13);
  const p = at + 13 + entry.key.length;
  putU32(out, p, entry.value.length);
  out.set(entry.value, p + 4);
  return p + 4 + entry.value.length;
}

/** Little-endian u32 at `at`. */
export function putU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value;
  out[at + 1] = value >>> 8;
  out[at + 2] = value >>> 16;
  out[at + 3] = value >>> 24;
}

/**
 * Reads one entry at `at` within `bytes[at, end)`. Returns undefined when the bytes do not hold a
 * well-formed entry (the caller turns that into a corruption report with its file and offset).
 * Key and value are views into `bytes`, not copies.
 */
export function decodeEntry(bytes: Uint8Array, at: number, end: number): { entry: Entry; next: number } | undefined {
  if (end - at < ENTRY_OVERHEAD) return undefined;
  // Read byte by byte rather than through a DataView and a BigInt: this runs once per entry of every WAL
  // replay and SSTable read, and those two allocations cost more than the decoding itself.
  const opByte = bytes[at];
  if (opByte !== OP_PUT && opByte !== OP_DELETE) return undefined;
  const seq = u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32;
  const keyLength = u32(bytes, at + 9);
  if (at + 13 + keyLength + 4 > end) return undefined;
  const key = bytes.subarray(at + 13, at + 13 + keyLength);
  const valueAt = at + 13 + keyLength;
  const valueLength = u32(bytes, valueAt);
  if (valueAt + 4 + valueLength > end) return undefined;
  if (opByte === OP_DELETE && valueLength !== 0) return undefined;
  const value = bytes.subarray(valueAt + 4, valueAt + 4 + valueLength);
  return { entry: { op: opByte === OP_PUT ? 'put' : 'delete', seq, key, value }, next: valueAt + 4 + valueLength };
}

/** Little-endian u32 at `at`. */
export function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

// --- batches (WAL only) ---------------------------------------------------------------------------------------
//
// A write batch is one WAL record holding several writes, applied all or none: its one checksum covers them
// all, so a crash leaves the whole record or a torn tail that recovery cuts off whole. Layout (LevelDB's
// WriteBatch, fixed-width):
//
//   op u8 = 3 | first sequence u64 | count u32 | count × (op u8 | key_length u32 | key | value_length u32 | value)
//
// The i-th write has sequence first + i. SSTables never hold op 3: a batch is unpacked into the memtable.
// WriteBatch (batch.ts) encodes it; decodeBatch reads it, for db.write() and for recovery alike.

export const OP_BATCH = 3;
/** op (1) + first sequence (8) + count (4) */
export const BATCH_HEADER = 13;
/** op (1) + key_length (4) + value_length (4), per write in a batch */
export const BATCH_ITEM_OVERHEAD = 9;

export interface BatchWrite {
  op: Op;
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * The entries of a batch record's payload (views into `bytes`), or undefined when it is not a well-formed
 * batch filling `bytes[at, end)` exactly (the caller reports corruption with its file and offset).
 */
export function decodeBatch(bytes: Uint8Array, at: number, end: number): Entry[] | undefined {
  if (end - at < BATCH_HEADER || bytes[at] !== OP_BATCH) return undefined;
  const first = u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32;
  const count = u32(bytes, at + 9);
  if (count === 0 || count > (end - at - BATCH_HEADER) / BATCH_ITEM_OVERHEAD) return undefined;
  const entries: Entry[] = [];
  let p = at + BATCH_HEADER;
  for (let i = 0; i < count; i++) {
    if (end - p < BATCH_ITEM_OVERHEAD) return undefined;
    const opByte = bytes[p];
    if (opByte !== OP_PUT && opByte !== OP_DELETE) return undefined;
    const keyLength = u32(bytes, p + 1);
    const valueAt = p + 5 + keyLength;
    if (valueAt + 4 > end) return undefined;
    const valueLength = u32(bytes, valueAt);
    const next = valueAt + 4 + valueLength;
    if (next > end || (opByte === OP_DELETE && valueLength !== 0)) return undefined;
    entries.push({
      op: opByte === OP_PUT ? 'put' : 'delete',
      seq: first + i,
      key: bytes.subarray(p + 5, valueAt),
      value: bytes.subarray(valueAt + 4, next),
    });
    p = next;
  }
  return p === end ? entries : undefined;
}
