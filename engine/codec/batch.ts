// The batch codec (WAL only): several writes as one WAL record payload.
//
// A write batch is one WAL record holding several writes, applied all or none: its one checksum covers them
// all, so a crash leaves the whole record or a torn tail that recovery cuts off whole. Layout (LevelDB's
// WriteBatch, fixed-width):
//
//   op u8 = 3 | first sequence u64 | count u32 | count × (op u8 | key_length u32 | key | value_length u32 | value)
//
// The i-th write has sequence first + i. SSTables never hold op 3: a batch is unpacked into the memtable.
// WriteBatch (batch.ts) encodes it; decodeBatch reads it, for db.write() and for recovery alike.

import type { Op } from '../events';
import { type Entry, OP_PUT, writeEnd } from './entry';
import { putU32, u32 } from './u32';

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
 * Writes a batch payload's header into `payload[0, BATCH_HEADER)`: op 3 and the count. The first sequence number
 * stays 0 until the write path stamps it (stampSequence, codec/entry.ts); the writes follow the header.
 */
export function putBatchHeader(payload: Uint8Array, count: number): void {
  payload[0] = OP_BATCH;
  payload.fill(0, 1, 9);
  putU32(payload, 9, count);
}

/** A batch payload's count of writes, or 0 when `bytes[at, end)` cannot be a batch (too short, not op 3, no writes). */
export function batchCount(bytes: Uint8Array, at: number, end: number): number {
  if (end - at < BATCH_HEADER || bytes[at] !== OP_BATCH) return 0;
  const count = u32(bytes, at + 9);
  return count > (end - at - BATCH_HEADER) / BATCH_ITEM_OVERHEAD ? 0 : count;
}

/**
 * Where the batch's write at `p` ends (op u8 | key_length u32 | key | value_length u32 | value), or -1 when it
 * does not parse within `bytes[p, end)`. decodeBatch and a WAL replay's columns (memtable/replayed.ts) both ask it.
 */
export function batchItemEnd(bytes: Uint8Array, p: number, end: number): number {
  return end - p < BATCH_ITEM_OVERHEAD ? -1 : writeEnd(bytes, p, p + 1, end);
}

/**
 * The entries of a batch record's payload (views into `bytes`), or undefined when it is not a well-formed
 * batch filling `bytes[at, end)` exactly (the caller reports corruption with its file and offset).
 */
export function decodeBatch(bytes: Uint8Array, at: number, end: number): Entry[] | undefined {
  const count = batchCount(bytes, at, end);
  if (count === 0) return undefined;
  const first = u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32;
  const entries: Entry[] = [];
  let p = at + BATCH_HEADER;
  for (let i = 0; i < count; i++) {
    const next = batchItemEnd(bytes, p, end);
    if (next < 0) return undefined;
    const valueAt = p + 5 + u32(bytes, p + 1);
    const op = bytes[p] === OP_PUT ? 'put' : 'delete';
    entries.push({ op, seq: first + i, key: bytes.subarray(p + 5, valueAt), value: bytes.subarray(valueAt + 4, next) });
    p = next;
  }
  return p === end ? entries : undefined;
}
