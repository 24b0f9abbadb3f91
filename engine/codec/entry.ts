// The entry codec, shared by WAL records and SSTable data blocks: an SSTable entry is a WAL payload,
// sorted. Layout (little endian), documented in engine/README.md ("Entry"):
//
//   op u8 | sequence u64 | key_length u32 | key | value_length u32 | value
//
// op is 1 for a put, 2 for a delete (a tombstone; its value is empty).
import type { Op } from '../events';
import { putU32, u32 } from './u32';

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

/**
 * Where the entry at `at` ends, or -1 when `bytes[at, end)` does not begin with a well-formed entry. The one
 * place an entry's layout is checked: decodeEntry and a WAL replay's columns (memtable/replayed.ts) both ask it.
 */
export function entryEnd(bytes: Uint8Array, at: number, end: number): number {
  return end - at < ENTRY_OVERHEAD ? -1 : writeEnd(bytes, at, at + 9, end);
}

/**
 * Where a write ends whose op byte is at `opAt` and whose key length is at `keyLengthAt` (key, value length u32 and
 * value follow it), or -1 when it does not parse within `end`: a put or a delete, lengths inside the range, a
 * delete's value empty. An entry (sequence number between op and key length) and a batch's write (none) share it.
 */
export function writeEnd(bytes: Uint8Array, opAt: number, keyLengthAt: number, end: number): number {
  const opByte = bytes[opAt];
  if (opByte !== OP_PUT && opByte !== OP_DELETE) return -1;
  const valueAt = keyLengthAt + 4 + u32(bytes, keyLengthAt);
  if (valueAt + 4 > end) return -1;
  const valueLength = u32(bytes, valueAt);
  const next = valueAt + 4 + valueLength;
  if (next > end || (opByte === OP_DELETE && valueLength !== 0)) return -1;
  return next;
}

/**
 * Reads one entry at `at` within `bytes[at, end)`. Returns undefined when the bytes do not hold a
 * well-formed entry (the caller turns that into a corruption report with its file and offset).
 * Key and value are views into `bytes`, not copies.
 */
export function decodeEntry(bytes: Uint8Array, at: number, end: number): Entry | undefined {
  // Read byte by byte rather than through a DataView and a BigInt: this runs once per entry of every SSTable
  // read, and those two allocations cost more than the decoding itself.
  const next = entryEnd(bytes, at, end);
  if (next < 0) return undefined;
  const valueAt = at + 13 + u32(bytes, at + 9);
  return {
    op: bytes[at] === OP_PUT ? 'put' : 'delete',
    seq: u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32,
    key: bytes.subarray(at + 13, valueAt),
    value: bytes.subarray(valueAt + 4, next),
  };
}

/**
 * An entry that stays where it lies in a log's bytes: its key and value are views made when asked for. What a
 * replayed write becomes when the memtable reads it (memtable/replayed.ts keeps the writes themselves as columns,
 * with no object each): a read of one key makes one object, not three.
 */
export class LoggedEntry implements Entry {
  constructor(
    readonly op: Op,
    readonly seq: number,
    /** The log's bytes: the key is bytes[keyAt, keyAt + keyLength), the value follows its u32 length. */
    readonly bytes: Uint8Array,
    readonly keyAt: number,
    readonly keyLength: number,
    readonly valueLength: number,
  ) {}

  get key(): Uint8Array {
    return this.bytes.subarray(this.keyAt, this.keyAt + this.keyLength);
  }

  get value(): Uint8Array {
    const at = this.keyAt + this.keyLength + 4;
    return this.bytes.subarray(at, at + this.valueLength);
  }
}

/** The length of an entry's key, without making a LoggedEntry's view of it. */
export function keyLength(entry: Entry): number {
  return entry instanceof LoggedEntry ? entry.keyLength : entry.key.length;
}

/** The length of an entry's value, without making a LoggedEntry's view of it. */
export function valueLength(entry: Entry): number {
  return entry instanceof LoggedEntry ? entry.valueLength : entry.value.length;
}

/**
 * A log record's payload that is one entry: the entry when it fills bytes[at, end) exactly, undefined when it
 * does not parse or leaves bytes over (repair reports that as corruption).
 */
export function decodeWholeEntry(bytes: Uint8Array, at: number, end: number): Entry | undefined {
  return entryEnd(bytes, at, end) === end ? decodeEntry(bytes, at, end) : undefined;
}

/**
 * Stamps the sequence number into a WAL payload that is one entry or a batch (codec/batch.ts): both start
 * op u8 | sequence u64, the batch's being its first write's. The write path encodes a payload before it knows its
 * sequence number (when the write is called) and stamps it when the write takes its turn; the log then seals the
 * record (log/format.ts).
 */
export function stampSequence(payload: Uint8Array, firstSeq: number): void {
  putU32(payload, 1, firstSeq >>> 0);
  putU32(payload, 5, Math.floor(firstSeq / 2 ** 32));
}
