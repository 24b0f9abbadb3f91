// Where a compaction closes one output file and starts the next. Two rules, both LevelDB's:
//  - at about the target file size (targetFileBytes), so files stay small enough to move and merge cheaply;
//  - before the file would overlap more than `maxOverlapBytes` of the level below its output level (the
//    "grandparents"; LevelDB's kMaxGrandParentOverlapBytes = 10 × the target file size, checked by
//    Compaction::ShouldStopBefore). Without it, one output file can span dozens of files below, and the
//    compaction that later pushes it down must read them all: a latency spike that grows with the data.
// A file only ever ends between two different keys, so every version of a key lands in the same file.
import type { SstableMeta } from '../events';
import { compareRange } from '../sstable/prefix-block';

export class OutputSplitter {
  readonly #grandparents: ReadonlyArray<{ largest: Uint8Array; size: number }>;
  readonly #targetBytes: number;
  readonly #maxOverlapBytes: number;
  /** The next grandparent the keys have not passed yet. */
  #next = 0;
  /** Bytes of grandparents the current output file has passed entirely. */
  #overlapped = 0;
  #bytes = 0;
  /** No entry has been shown yet: the first one opens the first file, and passes no grandparent. */
  #first = true;
  /** The key of the entry before: last[0, lastLength), a copy (a compaction's merge reuses its key buffers). */
  #last = new Uint8Array(64);
  #lastLength = 0;

  /** `grandparents`: the tables of the level below the output level, in key order (none: no overlap rule). */
  constructor(grandparents: readonly SstableMeta[], targetBytes: number, maxOverlapBytes: number) {
    this.#grandparents = grandparents.map((t) => ({ largest: t.largest, size: t.size }));
    this.#targetBytes = targetBytes;
    this.#maxOverlapBytes = maxOverlapBytes;
  }

  /**
   * Called with each entry, in order, before it is added: its key is key[0, keyLength). True: close the current
   * file first and put this entry in a new one.
   */
  stopBefore(key: Uint8Array, entryBytes: number, keyLength = key.length): boolean {
    const newKey = !this.#first && compareRange(key, keyLength, this.#last, this.#lastLength) !== 0;
    const stop = this.#step(key, keyLength, entryBytes, newKey);
    if (this.#last.length < keyLength) this.#last = new Uint8Array(Math.max(keyLength, 2 * this.#last.length));
    for (let i = 0; i < keyLength; i++) this.#last[i] = key[i]!;
    this.#lastLength = keyLength;
    return stop;
  }

  /**
   * stopBefore for a merge that never hands on two versions of one key (the merge over blocks keeps only the
   * newest): every entry after the first has a key of its own, so there is no key to compare or copy. A tenth
   * of a compaction's time went to that compare and copy.
   */
  stopBeforeNewKey(key: Uint8Array, keyLength: number, entryBytes: number): boolean {
    return this.#step(key, keyLength, entryBytes, !this.#first);
  }

  #step(key: Uint8Array, keyLength: number, entryBytes: number, newKey: boolean): boolean {
    // Walk past the grandparents that end before this key: the current file overlaps each of them.
    const first = this.#first;
    this.#first = false;
    while (this.#next < this.#grandparents.length) {
      const grandparent = this.#grandparents[this.#next]!;
      if (compareRange(key, keyLength, grandparent.largest, grandparent.largest.length) <= 0) break;
      if (!first) this.#overlapped += grandparent.size;
      this.#next++;
    }
    const stop = newKey && (this.#bytes >= this.#targetBytes || this.#overlapped > this.#maxOverlapBytes);
    if (stop) {
      this.#bytes = 0;
      this.#overlapped = 0;
    }
    this.#bytes += entryBytes;
    return stop;
  }
}
