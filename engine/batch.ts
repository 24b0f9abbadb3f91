// A write batch, as LevelDB's WriteBatch: several puts and deletes that db.write() commits as one. They go to
// the WAL as one record under one checksum, and are flushed once: after a crash either all of them are there
// or none is (never a prefix), and they cost one WAL write and one flush instead of one each.
//
//   const batch = new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b'));
//   await db.write(batch);
import type { BatchWrite } from './codec/record';
import { BATCH_HEADER, BATCH_ITEM_OVERHEAD } from './codec/record';
import { checkKey, checkValue } from './limits';

const EMPTY = new Uint8Array(0);

export class WriteBatch {
  readonly #writes: BatchWrite[] = [];
  #bytes = BATCH_HEADER;

  /** Adds a put. Key and value are checked now and copied: the caller may reuse its buffers. */
  put(key: Uint8Array, value: Uint8Array): this {
    checkKey(key);
    checkValue(value);
    this.#add({ op: 'put', key: key.slice(), value: value.slice() });
    return this;
  }

  /** Adds a delete (a tombstone for the key). */
  delete(key: Uint8Array): this {
    checkKey(key);
    this.#add({ op: 'delete', key: key.slice(), value: EMPTY });
    return this;
  }

  /** Writes in the batch. Later writes to the same key win, as if written one after another. */
  get count(): number {
    return this.#writes.length;
  }

  /** Bytes of the WAL record payload this batch makes. */
  get byteLength(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#writes.length = 0;
    this.#bytes = BATCH_HEADER;
  }

  /** The writes, in order (a copy of the list: the batch may be reused once write() has taken it). */
  writes(): BatchWrite[] {
    return this.#writes.slice();
  }

  #add(write: BatchWrite): void {
    this.#writes.push(write);
    this.#bytes += BATCH_ITEM_OVERHEAD + write.key.length + write.value.length;
  }
}
