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
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint8(at, entry.op === 'put' ? OP_PUT : OP_DELETE);
  view.setBigUint64(at + 1, BigInt(entry.seq), true);
  view.setUint32(at + 9, entry.key.length, true);
  out.set(entry.key, at + 13);
  let p = at + 13 + entry.key.length;
  view.setUint32(p, entry.value.length, true);
  out.set(entry.value, p + 4);
  p += 4 + entry.value.length;
  return p;
}

/**
 * Reads one entry at `at` within `bytes[at, end)`. Returns undefined when the bytes do not hold a
 * well-formed entry (the caller turns that into a corruption report with its file and offset).
 * Key and value are views into `bytes`, not copies.
 */
export function decodeEntry(bytes: Uint8Array, at: number, end: number): { entry: Entry; next: number } | undefined {
  if (end - at < ENTRY_OVERHEAD) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const opByte = view.getUint8(at);
  if (opByte !== OP_PUT && opByte !== OP_DELETE) return undefined;
  const seq = Number(view.getBigUint64(at + 1, true));
  const keyLength = view.getUint32(at + 9, true);
  if (at + 13 + keyLength + 4 > end) return undefined;
  const key = bytes.subarray(at + 13, at + 13 + keyLength);
  const valueAt = at + 13 + keyLength;
  const valueLength = view.getUint32(valueAt, true);
  if (valueAt + 4 + valueLength > end) return undefined;
  if (opByte === OP_DELETE && valueLength !== 0) return undefined;
  const value = bytes.subarray(valueAt + 4, valueAt + 4 + valueLength);
  return { entry: { op: opByte === OP_PUT ? 'put' : 'delete', seq, key, value }, next: valueAt + 4 + valueLength };
}
