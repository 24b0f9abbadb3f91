// A write batch, as LevelDB's WriteBatch: several puts and deletes that db.write() commits as one. They go to
// the WAL as one record under one checksum, and are flushed once: after a crash either all of them are there
// or none is (never a prefix), and they cost one WAL write and one flush instead of one each.
//
//   const batch = new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b'));
//   await db.write(batch);
//
// As in LevelDB, a batch is its WAL record in the making: put() and delete() encode straight into one growing
// buffer (codec/batch.ts), with room left in front for the record header. db.write() copies those bytes into the
// tree's arena (memtable/arena.ts), stamps the sequence number and checksum on the copy, appends it to the WAL as
// it is, and the memtable keeps views into it: one copy, no per-write copies, no second encoding. The batch
// keeps its own buffer for the next writes: clear() and refill it, nothing is allocated again.
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

  /** Empties the batch; its buffer stays, for the next writes. */
  clear(): void {
    this.#size = START;
    this.#count = 0;
  }

  /**
   * The batch's WAL record as it stands, copied into a buffer of its own from `alloc` (db.write() passes its
   * arena's): framed, with its count filled in; sequence number and checksum come when it is written
   * (sealRecord, codec/entry.ts). The batch may change afterwards without touching the copy.
   */
  snapshot(alloc: (length: number) => Uint8Array = (length) => new Uint8Array(length)): Uint8Array {
    const record = alloc(this.#size);
    record.set(this.#rep.subarray(0, this.#size));
    putU32(record, 4, this.#size - RECORD_HEADER_SIZE);
    record[RECORD_HEADER_SIZE] = OP_BATCH;
    putU32(record, RECORD_HEADER_SIZE + 9, this.#count);
    return record;
  }

  #add(op: number, key: Uint8Array, value: Uint8Array | undefined): void {
    const valueLength = value?.length ?? 0;
    const need = BATCH_ITEM_OVERHEAD + key.length + valueLength;
    if (this.#size + need > this.#rep.length) {
      const grown = new Uint8Array(Math.max(this.#rep.length * 2, this.#size + need));
      grown.set(this.#rep.subarray(0, this.#size));
      this.#rep = grown;
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
