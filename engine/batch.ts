// A write batch, as LevelDB's WriteBatch: several puts and deletes that db.write() commits as one. They go to
// the WAL as one record under one checksum, and are flushed once: after a crash either all of them are there
// or none is (never a prefix), and they cost one WAL write and one flush instead of one each.
//
//   const batch = new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b'));
//   await db.write(batch);
//
// As in LevelDB, a batch is its WAL record in the making: put() and delete() encode straight into one growing
// buffer (codec/batch.ts), with room left in front for the record header. db.write() takes a copy
// of those bytes, stamps the sequence number and checksum on it, appends it to the WAL as it is, and the
// memtable keeps views into it: no per-write copies, no second encoding.
import { BATCH_HEADER, BATCH_ITEM_OVERHEAD, OP_BATCH } from './codec/batch';
import { OP_DELETE, OP_PUT } from './codec/entry';
import { putU32 } from './codec/u32';
import { checkKey, checkValue } from './limits';
import { RECORD_HEADER_SIZE } from './log/format';

const START = RECORD_HEADER_SIZE + BATCH_HEADER;

export class WriteBatch {
  #rep = new Uint8Array(1024);
  #size = START;
  #count = 0;
  /** `#rep` was handed out by snapshot(): the next change writes into a new buffer (copy on write). */
  #handedOut = false;
  /** The size of the record last handed out. */
  #lastSize = 0;

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
    return this.#size - RECORD_HEADER_SIZE;
  }

  clear(): void {
    this.#size = START;
    this.#count = 0;
    if (this.#handedOut) {
      // Sized for a batch like the last one, with some room: the next snapshot's buffer then fits it closely.
      this.#rep = new Uint8Array(Math.max(1024, this.#lastSize + (this.#lastSize >> 3)));
      this.#handedOut = false;
    }
  }

  /**
   * The batch's WAL record as it stands, in a buffer of its own (the batch may change afterwards): framed, with
   * its count filled in; sequence number and checksum come when it is written (sealBatchRecord). The batch's
   * own buffer is handed over the first time (a 64 KiB batch is not copied once more on each write); a later
   * change to the batch starts a new buffer, and a second snapshot of the same bytes is a copy.
   */
  snapshot(): Uint8Array {
    // Handed over only while it is at least half full: the memtable keeps views into it, so a mostly empty
    // buffer would hold memory nobody counts.
    const handOver = !this.#handedOut && 2 * this.#size >= this.#rep.length;
    const record = handOver ? this.#rep.subarray(0, this.#size) : this.#rep.slice(0, this.#size);
    if (handOver) {
      this.#handedOut = true;
      this.#lastSize = this.#size;
    }
    putU32(record, 4, this.#size - RECORD_HEADER_SIZE);
    record[RECORD_HEADER_SIZE] = OP_BATCH;
    putU32(record, RECORD_HEADER_SIZE + 9, this.#count);
    return record;
  }

  #add(op: number, key: Uint8Array, value: Uint8Array | undefined): void {
    const valueLength = value?.length ?? 0;
    const need = BATCH_ITEM_OVERHEAD + key.length + valueLength;
    if (this.#handedOut || this.#size + need > this.#rep.length) {
      const grown = new Uint8Array(Math.max(this.#rep.length * (this.#handedOut ? 1 : 2), this.#size + need));
      grown.set(this.#rep.subarray(0, this.#size));
      this.#rep = grown;
      this.#handedOut = false;
    }
    const rep = this.#rep;
    let p = this.#size;
    rep[p] = op;
    putU32(rep, p + 1, key.length);
    rep.set(key, p + 5);
    p += 5 + key.length;
    putU32(rep, p, valueLength);
    if (value) rep.set(value, p + 4);
    this.#size = p + 4 + valueLength;
    this.#count++;
  }
}
