// The memtable: the newest writes, in memory, sorted. A put or delete lands here after its WAL record is appended:
// already flushed in 'durable' mode, still waiting for its group's flush in 'group' and 'relaxed' mode (write.ts).
// When `bytes` reaches the threshold the tree flushes it into an SSTable and starts a new one.
// A delete is kept as a tombstone: it must hide older values of the key that sit in SSTables.
// A newer write of a key replaces the older one, unless a live snapshot can still see the older one: then the
// older version stays, chained behind the newer (newest first), until a flush writes only what is still needed.

import type { Entry } from '../codec/entry';
import { entrySize, keyLength, valueLength } from '../codec/entry';
import { type KeysInPlace, newestPerKey } from './key-order';
import type { ReplayedWrites } from './replayed';
import { SkipList } from './skiplist';

/** Up to this many entries, events carry skip list search paths: the list is small enough to draw. */
export const SEARCH_PATH_UP_TO = 16;

/** A memtable entry, and the older versions of its key that snapshots still need (newest first). */
type Versioned = Entry & { older?: Versioned };

/**
 * What the skip list holds per key: the entry, or, for a write recovery loaded (Memtable.of), its index in the
 * replay's columns, made an entry when read.
 */
type Slot = Versioned | number;

export class Memtable {
  readonly #list = new SkipList<Slot>();
  /** The writes recovery loaded this memtable with (see Slot). */
  #replayed: ReplayedWrites | undefined;
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
    if (typeof replaced === 'number') {
      // A replayed write: no snapshot can see it unless one was taken since recovery.
      if (keepFor !== undefined && this.#replayed!.seq[replaced]! <= keepFor) versioned.older = this.#entry(replaced);
      else this.#bytes -= this.#replayed!.size(replaced);
    } else if (replaced) {
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
   * A memtable holding what applying `writes` in order would leave (newest wins): sorted by key, stably, so
   * that of equal keys the last one (the newest) is kept, then loaded in one pass. What recovery does with a
   * replayed log: the same result as apply() per entry, several times faster. The memtable keeps the columns and
   * holds each write as its index in them: no object per write until it is read.
   */
  static of(writes: ReplayedWrites): Memtable {
    // Keys read where they lie in the log, in replay order (the order they lie in memory): no view of any is made.
    const all: KeysInPlace = { bytes: writes.bytes, at: writes.keyAt, length: writes.keyLength };
    // Of each key's writes, the last (the newest), in key order.
    const newest = newestPerKey(all);
    const m = newest.length;
    const keys: KeysInPlace = { bytes: [], at: new Int32Array(m), length: new Int32Array(m) };
    const memtable = new Memtable();
    memtable.#replayed = writes;
    let bytes = 0;
    for (let i = 0; i < m; i++) {
      const j = newest[i]!;
      keys.bytes.push(all.bytes[j]!);
      keys.at[i] = all.at[j]!;
      keys.length[i] = all.length[j]!;
      bytes += entrySize(all.length[j]!, writes.valueLength[j]!);
    }
    memtable.#bytes = bytes;
    // The indices are the values: small integers, which the collector neither copies one by one nor traces.
    memtable.#list.load(keys, newest);
    return memtable;
  }

  /** The entry a slot holds. */
  #entry(slot: Slot): Versioned {
    return typeof slot === 'number' ? this.#replayed!.entry(slot) : slot;
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
    const slot = this.#list.get(key);
    return slot === undefined ? undefined : this.#entry(slot);
  }

  /** The newest version of key with a sequence number ≤ seq (a snapshot's read), or undefined. */
  getAt(key: Uint8Array, seq: number): Entry | undefined {
    const slot = this.#list.get(key);
    let version = slot === undefined ? undefined : this.#entry(slot);
    while (version && version.seq > seq) version = version.older;
    return version;
  }

  /** Key's versions kept, newest first (the first `limit`): the newest, then those snapshots still need. */
  chain(key: Uint8Array, limit: number): Entry[] {
    const chain: Entry[] = [];
    const slot = this.#list.get(key);
    for (let version = slot === undefined ? undefined : this.#entry(slot); version && chain.length < limit; ) {
      chain.push(version);
      version = version.older;
    }
    return chain;
  }

  /** The newest version of each key, in key order. */
  *range(start?: Uint8Array, end?: Uint8Array): Generator<Entry> {
    for (const [, slot] of this.#list.range(start, end)) yield this.#entry(slot);
  }

  /** Every version kept, keys in order and each key's versions newest first: what a flush writes. */
  *versions(start?: Uint8Array, end?: Uint8Array): Generator<Entry> {
    for (const [, slot] of this.#list.range(start, end)) {
      for (let version: Versioned | undefined = this.#entry(slot); version; version = version.older) yield version;
    }
  }
}
