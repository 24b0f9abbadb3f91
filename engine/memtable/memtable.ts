// The memtable: the newest writes, in memory, sorted. A put or delete lands here after its WAL record is
// durable. When `bytes` reaches the threshold the tree flushes it into an SSTable and starts a new one.
// A delete is kept as a tombstone: it must hide older values of the key that sit in SSTables.
import type { Entry } from '../codec/record';
import { entrySize } from '../codec/record';
import { SkipList } from './skiplist';

export class Memtable {
  readonly #list = new SkipList<Entry>();
  #bytes = 0;

  /** The bytes these entries take encoded in an SSTable: what the flush threshold is measured in. */
  get bytes(): number {
    return this.#bytes;
  }

  get entries(): number {
    return this.#list.size;
  }

  /** Newest wins: an entry for a key already here replaces it (its sequence number is higher). */
  apply(entry: Entry): void {
    const replaced = this.#list.set(entry.key, entry);
    if (replaced) this.#bytes -= entrySize(replaced.key.length, replaced.value.length);
    this.#bytes += entrySize(entry.key.length, entry.value.length);
  }

  /** The entry for key (a put or a tombstone), or undefined when the memtable knows nothing of it. */
  get(key: Uint8Array): Entry | undefined {
    return this.#list.get(key);
  }

  *range(start?: Uint8Array, end?: Uint8Array): Generator<Entry> {
    for (const [, entry] of this.#list.range(start, end)) yield entry;
  }
}
