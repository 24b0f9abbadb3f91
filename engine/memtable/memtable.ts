// The memtable: the newest writes, in memory, sorted. A put or delete lands here after its WAL record is appended:
// already flushed in 'durable' mode, still waiting for its group's flush in 'group' and 'relaxed' mode (write.ts).
// When `bytes` reaches the threshold the tree flushes it into an SSTable and starts a new one.
// A delete is kept as a tombstone: it must hide older values of the key that sit in SSTables.
// A newer write of a key replaces the older one, unless a live snapshot can still see the older one: then the
// older version stays, chained behind the newer (newest first), until a flush writes only what is still needed.

import type { Entry } from '../codec/entry';
import { entrySize, keyLength, LoggedEntry, valueLength } from '../codec/entry';
import { type KeysInPlace, newestPerKey } from './key-order';
import { SkipList } from './skiplist';

/** Up to this many entries, events carry skip list search paths: the list is small enough to draw. */
export const SEARCH_PATH_UP_TO = 16;

/** A memtable entry, and the older versions of its key that snapshots still need (newest first). */
type Versioned = Entry & { older?: Versioned };

export class Memtable {
  readonly #list = new SkipList<Versioned>();
  #bytes = 0;
  #recordBytes = 0;

  /** The bytes these entries take encoded in an SSTable: what the flush threshold is measured in. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Bytes of the WAL records applied to this memtable since it began. Its entries are views into those records
   * (memtable/arena.ts), so a record stays in memory while any entry of it is live, and overwrites leave `bytes`
   * flat while this grows: the tree flushes on it too, past a bound (write.ts), as LevelDB flushes on its
   * arena's size.
   */
  get recordBytes(): number {
    return this.#recordBytes;
  }

  /** Counts a WAL record whose writes were applied here (see recordBytes). */
  holdRecord(length: number): void {
    this.#recordBytes += length;
  }

  get entries(): number {
    return this.#list.size;
  }

  /**
   * Newest wins: an entry for a key already here replaces it (its sequence number is higher). `keepFor`: the
   * newest live snapshot's sequence number; a replaced version at or below it can still be seen, so it is kept
   * behind the new one (and still counts in `bytes`: the flush may write it). Returns the height of the key's
   * tower in the skip list (how many lanes its node stands in), which the picture draws.
   */
  apply(entry: Entry, keepFor?: number): number {
    const versioned: Versioned = entry; // the tree hands over a fresh object: it becomes the list's own
    const replaced = this.#list.set(entry.key, versioned);
    if (replaced) {
      if (keepFor !== undefined && replaced.seq <= keepFor) {
        versioned.older = replaced;
      } else {
        // No snapshot sees the replaced version; the older ones kept behind it may still be seen.
        this.#bytes -= entrySize(keyLength(replaced), valueLength(replaced));
        if (replaced.older) versioned.older = replaced.older;
      }
    }
    this.#bytes += entrySize(entry.key.length, entry.value.length);
    return this.#list.lastHeight;
  }

  /**
   * A memtable holding what applying `entries` in order would leave (newest wins): sorted by key, stably, so
   * that of equal keys the last one (the newest) is kept, then loaded in one pass. What recovery does with a
   * replayed log: the same result as apply() per entry, several times faster.
   */
  static of(entries: readonly Entry[]): Memtable {
    // Keys and sizes read in replay order (the order the entries lie in memory), so that the key-ordered pass
    // below touches no entry: in key order every entry would be a cache miss, and that cost more than the sort.
    // A replayed entry's key is read where it lies in the log (LoggedEntry): no view of it is made.
    // (Arrays grown by push: new Array(n) of a large n makes a slow dictionary-mode array in V8.)
    const n = entries.length;
    const all: KeysInPlace = { bytes: [], at: new Int32Array(n), length: new Int32Array(n) };
    const sizes = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const entry = entries[i]!;
      if (entry instanceof LoggedEntry) {
        all.bytes.push(entry.bytes);
        all.at[i] = entry.keyAt;
      } else {
        all.bytes.push(entry.key);
      }
      all.length[i] = keyLength(entry);
      sizes[i] = entrySize(all.length[i]!, valueLength(entry));
    }
    // Of each key's writes, the last (the newest), in key order.
    const newest = newestPerKey(all);
    const m = newest.length;
    const keys: KeysInPlace = { bytes: [], at: new Int32Array(m), length: new Int32Array(m) };
    const latest: Entry[] = [];
    const memtable = new Memtable();
    for (let i = 0; i < m; i++) {
      const j = newest[i]!;
      keys.bytes.push(all.bytes[j]!);
      keys.at[i] = all.at[j]!;
      keys.length[i] = all.length[j]!;
      latest.push(entries[j]!);
      memtable.#bytes += sizes[j]!;
    }
    memtable.#list.load(keys, latest);
    return memtable;
  }

  /** The skip list's search for key, position by position (see SkipList.searchPath). */
  searchPath(key: Uint8Array): Array<{ lane: number; key: Uint8Array | null }> {
    return this.#list.searchPath(key);
  }

  /** The height of key's tower in the skip list (0: not here). */
  heightOf(key: Uint8Array): number {
    return this.#list.heightOf(key);
  }

  /** The entry for key (a put or a tombstone), or undefined when the memtable knows nothing of it. */
  get(key: Uint8Array): Entry | undefined {
    return this.#list.get(key);
  }

  /** The newest version of key with a sequence number ≤ seq (a snapshot's read), or undefined. */
  getAt(key: Uint8Array, seq: number): Entry | undefined {
    let version = this.#list.get(key);
    while (version && version.seq > seq) version = version.older;
    return version;
  }

  /** Key's versions kept, newest first (the first `limit`): the newest, then those snapshots still need. */
  chain(key: Uint8Array, limit: number): Entry[] {
    const chain: Entry[] = [];
    for (let version: Versioned | undefined = this.#list.get(key); version && chain.length < limit; ) {
      chain.push(version);
      version = version.older;
    }
    return chain;
  }

  /** The newest version of each key, in key order. */
  *range(start?: Uint8Array, end?: Uint8Array): Generator<Entry> {
    for (const [, entry] of this.#list.range(start, end)) yield entry;
  }

  /** Every version kept, keys in order and each key's versions newest first: what a flush writes. */
  *versions(start?: Uint8Array, end?: Uint8Array): Generator<Entry> {
    for (const [, entry] of this.#list.range(start, end)) {
      for (let version: Versioned | undefined = entry; version; version = version.older) yield version;
    }
  }
}
