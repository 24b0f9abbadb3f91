// The merge at the heart of an LSM tree: several sorted streams of entries in, one sorted stream out, and for
// a key held by several streams only the newest version (highest sequence number) survives. Scans use it over
// the memtable and every SSTable; compaction uses it over its input tables when a live snapshot or a filter needs a
// key's versions together (otherwise compaction/merge.ts merges the parsed blocks themselves).
import { compareBytes } from './bytes';
import type { Entry } from './codec/entry';

export interface Merged {
  entry: Entry;
  /** Other versions of the same key, older or not visible at the read's sequence number (they are skipped). */
  shadowed: number;
  /** Which source the newest version came from (an index into `sources`). */
  source: number;
  /** The versions passed over (when there were any): the source each lay in, and its sequence number. */
  passed?: Array<{ source: number; seq: number }>;
}

/**
 * The sources' current entries in a binary min-heap of source indices: key ascending, then sequence number
 * descending (newest first), then source index. Each step costs about 2 log2(sources) key comparisons instead of
 * one per source: a scan merges the memtable with every SSTable, dozens of them in a big tree.
 */
class MergeHeap {
  readonly #sources: Array<Iterator<Entry>>;
  /** heads[i]: source i's current entry (undefined once it is done). */
  readonly #heads: Array<Entry | undefined>;
  readonly #heap: number[] = [];

  constructor(sources: Array<Iterator<Entry>>) {
    this.#sources = sources;
    this.#heads = sources.map((source) => {
      const first = source.next();
      return first.done ? undefined : first.value;
    });
    for (let i = 0; i < sources.length; i++) {
      if (this.#heads[i] === undefined) continue;
      this.#heap.push(i);
      this.#up(this.#heap.length - 1);
    }
  }

  /** The source whose entry comes first (-1: every source is done). */
  get top(): number {
    return this.#heap.length > 0 ? this.#heap[0]! : -1;
  }

  entry(source: number): Entry {
    return this.#heads[source]!;
  }

  /** Moves the top source on to its next entry (and out of the heap when it has none). */
  advanceTop(): void {
    const heap = this.#heap;
    const i = heap[0]!;
    const next = this.#sources[i]!.next();
    if (next.done) {
      this.#heads[i] = undefined;
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    } else {
      this.#heads[i] = next.value;
    }
    this.#down(0);
  }

  #before(a: number, b: number): boolean {
    const x = this.#heads[a]!;
    const y = this.#heads[b]!;
    const order = compareBytes(x.key, y.key);
    if (order !== 0) return order < 0;
    return x.seq !== y.seq ? x.seq > y.seq : a < b;
  }

  #up(at: number): void {
    const heap = this.#heap;
    const item = heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#before(item, heap[parent]!)) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = item;
  }

  #down(at: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const item = heap[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && this.#before(heap[child + 1]!, heap[child]!)) child++;
      if (!this.#before(heap[child]!, item)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = item;
  }
}

/**
 * For each key, the newest version visible at `atSeq` (the highest sequence number ≤ it; no snapshot: the newest
 * of all). A source may hold several versions of a key (newest first, as a snapshot keeps them): all of them,
 * in every source, are passed over once the key is settled. A key with no visible version is skipped.
 */
export function* mergeNewest(
  sources: Array<Iterator<Entry>>,
  atSeq: number = Number.POSITIVE_INFINITY,
): Generator<Merged> {
  const heads = new MergeHeap(sources);
  // Every version of the key being settled (its source and sequence number), reused from key to key: only keys
  // with several versions make objects of them.
  const seenSources: number[] = [];
  const seenSeqs: number[] = [];
  for (;;) {
    let top = heads.top;
    if (top < 0) return;
    // The smallest key, and every version of it, in every source: keep the newest visible one.
    const smallest = heads.entry(top).key;
    let winner: Entry | undefined;
    let source = -1;
    let versions = 0;
    seenSources.length = 0;
    seenSeqs.length = 0;
    do {
      const entry = heads.entry(top);
      versions++;
      seenSources.push(top);
      seenSeqs.push(entry.seq);
      if (entry.seq <= atSeq && (winner === undefined || entry.seq > winner.seq)) {
        winner = entry;
        source = top;
      }
      heads.advanceTop();
      top = heads.top;
    } while (top >= 0 && compareBytes(heads.entry(top).key, smallest) === 0);
    if (winner === undefined) continue;
    if (versions === 1) {
      yield { entry: winner, shadowed: 0, source };
      continue;
    }
    const passed: Array<{ source: number; seq: number }> = [];
    for (let i = 0; i < versions; i++) {
      if (seenSeqs[i] !== winner.seq) passed.push({ source: seenSources[i]!, seq: seenSeqs[i]! });
    }
    yield { entry: winner, shadowed: versions - 1, source, passed };
  }
}

/**
 * Every version of every key, keys ascending and each key's versions newest first: compaction's input. `counts`,
 * when given, has each entry counted as it is read (a generator layer of its own cost more than the count).
 */
export function* mergeAll(sources: Array<Iterator<Entry>>, counts?: { entriesRead: number }): Generator<Entry> {
  const heads = new MergeHeap(sources);
  for (let top = heads.top; top >= 0; top = heads.top) {
    if (counts) counts.entriesRead++;
    yield heads.entry(top);
    heads.advanceTop();
  }
}
