// A write batch, as LevelDB's WriteBatch: several puts and deletes that db.write() commits as one. They go to
// the WAL as one record under one checksum, and are flushed once: after a crash either all of them are there
// or none is (never a prefix), and they cost one WAL write and one flush instead of one each.
//
//   const batch = new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b'));
//   await db.write(batch);
//
// As in LevelDB, a batch is its WAL record's payload in the making: put() and delete() encode straight into one
// growing buffer (codec/batch.ts). db.write() copies those bytes into a record in the tree's arena
// (memtable/arena.ts), stamps the sequence number on the copy, has the log seal it (log/format.ts), appends it to
// the WAL as it is, and the memtable keeps views into it: one copy, no per-write copies, no second encoding. The
// batch keeps its own buffer for the next writes: clear() and refill it, nothing is allocated again.
import { BATCH_HEADER, BATCH_ITEM_OVERHEAD, putBatchHeader } from './codec/batch';
import { OP_DELETE, OP_PUT } from './codec/entry';
import { putU32 } from './codec/u32';
import { checkKey, checkValue } from './limits';
import { newRecord, recordPayload } from './log/format';

export class WriteBatch {
  /** The payload so far: room for the batch header (filled in by walRecord), then the writes, encoded. */
  #payload = new Uint8Array(1024);
  #size = BATCH_HEADER;
  #count = 0;

  /** Adds a put. Key and value are checked now and copied into the batch: the caller may reuse its buffers. */
  put(key: Uint8Array, value: Uint8Array): this {
    checkKey(key);
    checkValue(value);
    this.#add(OP_PUT, key, value);
    return this;
  }

  /** Adds a delete (a tombstone for the key). */
  delete(key: Uint8Array): this {
    checkKey(key);
    this.#add(OP_DELETE, key, undefined);
    return this;
  }

  /** Writes in the batch. Later writes to the same key win, as if written one after another. */
  get count(): number {
    return this.#count;
  }

  /** Bytes of the WAL record payload this batch makes. */
  get byteLength(): number {
    return this.#size;
  }

  /** Empties the batch; its buffer stays, for the next writes. */
  clear(): void {
    this.#size = BATCH_HEADER;
    this.#count = 0;
  }

  /**
   * A copy of the batch's WAL record as it stands, in a buffer of its own from `alloc` (db.write() passes its
   * arena's): framed (log/format.ts), its payload complete but for the first sequence number, and not yet sealed;
   * both come when it is written (write.ts). The batch may change afterwards without touching the copy.
   */
  walRecord(alloc?: (length: number) => Uint8Array): Uint8Array {
    const record = newRecord(this.#size, alloc);
    const payload = recordPayload(record);
    payload.set(this.#payload.subarray(BATCH_HEADER, this.#size), BATCH_HEADER);
    putBatchHeader(payload, this.#count);
    return record;
  }

  #add(op: number, key: Uint8Array, value: Uint8Array | undefined): void {
    const valueLength = value?.length ?? 0;
    const need = BATCH_ITEM_OVERHEAD + key.length + valueLength;
    if (this.#size + need > this.#payload.length) {
      const grown = new Uint8Array(Math.max(this.#payload.length * 2, this.#size + need));
      grown.set(this.#payload.subarray(0, this.#size));
      this.#payload = grown;
    }
    const payload = this.#payload;
    let p = this.#size;
    payload[p] = op;
    putU32(payload, p + 1, key.length);
    payload.set(key, p + 5);
    p += 5 + key.length;
    putU32(payload, p, valueLength);
    if (value) payload.set(value, p + 4);
    this.#size = p + 4 + valueLength;
    this.#count++;
  }
}
