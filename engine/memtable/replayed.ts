// The writes a WAL replay found, kept as columns (one typed array per field) rather than an object per write.
//
// Recovery holds every write of the logs it replays (tens of thousands) until they sit in the memtable, and the
// memtable holds them until its flush. As objects (a LoggedEntry each, codec/entry.ts) they were what the young
// generation's collector copied in every replay, twice (into the survivor space, then into the old generation),
// and the old generation's collector traced afterwards: 50,000 replayed writes made about 5 MB of survivors and a
// collection of 10-12 ms inside each replay. As columns they are five typed arrays, which no collector reads, and
// one array of references to the log's bytes (the same buffer for every write of a log). The memtable keeps a
// replayed write as its index here and makes a LoggedEntry only when the write is read (Memtable.of).

import { BATCH_HEADER, BATCH_ITEM_OVERHEAD, batchCount, batchItemEnd, OP_BATCH } from '../codec/batch';
import { ENTRY_OVERHEAD, type Entry, encodeEntry, entryEnd, entrySize, LoggedEntry, OP_PUT } from '../codec/entry';
import { u32 } from '../codec/u32';

export class ReplayedWrites {
  /** How many writes are held; write i is at index i of every column. */
  count = 0;
  /** Write i's key is bytes[i][keyAt[i], keyAt[i] + keyLength[i]); its value follows the value's u32 length. */
  readonly bytes: Uint8Array[] = [];
  op: Uint8Array;
  seq: Float64Array;
  keyAt: Int32Array;
  keyLength: Int32Array;
  valueLength: Int32Array;

  constructor(capacity = 1024) {
    this.op = new Uint8Array(capacity);
    this.seq = new Float64Array(capacity);
    this.keyAt = new Int32Array(capacity);
    this.keyLength = new Int32Array(capacity);
    this.valueLength = new Int32Array(capacity);
  }

  /**
   * Writes `entries` into a buffer of their own, encoded as a WAL record's entries are, and holds them: the
   * columns of writes that never were in a log (tests, and anyone loading a memtable from entries in hand).
   */
  static of(entries: readonly Entry[]): ReplayedWrites {
    let size = 0;
    for (const entry of entries) size += entrySize(entry.key.length, entry.value.length);
    const bytes = new Uint8Array(size);
    const writes = new ReplayedWrites(Math.max(1, entries.length));
    let at = 0;
    for (const entry of entries) {
      const end = encodeEntry(entry, bytes, at);
      writes.#push(bytes, bytes[at]!, entry.seq, at + 13, entry.key.length, entry.value.length);
      at = end;
    }
    return writes;
  }

  /**
   * Holds the writes of one WAL record's payload, `bytes[at, end)`: one entry, or a batch (codec/batch.ts).
   * Returns how many it held, or 0 when the payload is not one well-formed entry or batch filling it exactly (the
   * caller reports corruption with its file and offset); then it holds none of them.
   */
  addPayload(bytes: Uint8Array, at: number, end: number): number {
    if (bytes[at] !== OP_BATCH) {
      if (entryEnd(bytes, at, end) !== end) return 0;
      const keyLength = u32(bytes, at + 9);
      const seq = u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32;
      this.#push(bytes, bytes[at]!, seq, at + 13, keyLength, end - at - ENTRY_OVERHEAD - keyLength);
      return 1;
    }
    const count = batchCount(bytes, at, end);
    if (count === 0) return 0;
    const first = u32(bytes, at + 1) + u32(bytes, at + 5) * 2 ** 32;
    const before = this.count;
    let p = at + BATCH_HEADER;
    for (let i = 0; i < count; i++) {
      const next = batchItemEnd(bytes, p, end);
      if (next < 0) break;
      const keyLength = u32(bytes, p + 1);
      this.#push(bytes, bytes[p]!, first + i, p + 5, keyLength, next - p - BATCH_ITEM_OVERHEAD - keyLength);
      p = next;
    }
    if (p !== end || this.count - before !== count) {
      this.count = before;
      this.bytes.length = before;
      return 0;
    }
    return count;
  }

  /** Write i as an entry, its key and value views made when read. */
  entry(i: number): LoggedEntry {
    return new LoggedEntry(
      this.op[i] === OP_PUT ? 'put' : 'delete',
      this.seq[i]!,
      this.bytes[i]!,
      this.keyAt[i]!,
      this.keyLength[i]!,
      this.valueLength[i]!,
    );
  }

  /** The bytes write i takes encoded in an SSTable (what a memtable's size counts). */
  size(i: number): number {
    return entrySize(this.keyLength[i]!, this.valueLength[i]!);
  }

  #push(bytes: Uint8Array, op: number, seq: number, keyAt: number, keyLength: number, valueLength: number): void {
    const i = this.count;
    if (i === this.op.length) this.#grow(i * 2);
    this.bytes.push(bytes);
    this.op[i] = op;
    this.seq[i] = seq;
    this.keyAt[i] = keyAt;
    this.keyLength[i] = keyLength;
    this.valueLength[i] = valueLength;
    this.count = i + 1;
  }

  #grow(capacity: number): void {
    this.op = grown(this.op, new Uint8Array(capacity));
    this.seq = grown(this.seq, new Float64Array(capacity));
    this.keyAt = grown(this.keyAt, new Int32Array(capacity));
    this.keyLength = grown(this.keyLength, new Int32Array(capacity));
    this.valueLength = grown(this.valueLength, new Int32Array(capacity));
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
