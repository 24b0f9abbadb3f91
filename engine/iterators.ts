// The merge at the heart of an LSM tree: several sorted streams of entries in, one sorted stream out, and for
// a key held by several streams only the newest version (highest sequence number) survives. Scans use it over
// the memtable and every SSTable; compaction uses it over its input tables.
import { compareBytes } from './bytes';
import type { Entry } from './codec/entry';

export interface Merged {
  entry: Entry;
  /** Other versions of the same key, older or not visible at the read's sequence number (they are skipped). */
  shadowed: number;
  /** Which source the newest version came from (an index into `sources`). */
  source: number;
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
  const heads = sources.map((source) => source.next());
  for (;;) {
    // The smallest key among the heads.
    let smallest: Uint8Array | undefined;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      if (smallest === undefined || compareBytes(head.value.key, smallest) < 0) smallest = head.value.key;
    }
    if (smallest === undefined) return;
    // Every version of it, in every source: keep the newest visible one, pass over the rest.
    let winner: Entry | undefined;
    let source = -1;
    let versions = 0;
    for (let i = 0; i < heads.length; i++) {
      let head = heads[i]!;
      while (!head.done && compareBytes(head.value.key, smallest) === 0) {
        const entry = head.value;
        versions++;
        if (entry.seq <= atSeq && (winner === undefined || entry.seq > winner.seq)) {
          winner = entry;
          source = i;
        }
        head = sources[i]!.next();
      }
      heads[i] = head;
    }
    if (winner !== undefined) yield { entry: winner, shadowed: versions - 1, source };
  }
}

/** Every version of every key, keys ascending and each key's versions newest first: compaction's input. */
export function* mergeAll(sources: Array<Iterator<Entry>>): Generator<Entry> {
  const heads = sources.map((source) => source.next());
  for (;;) {
    let winner = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (head.done) continue;
      if (winner < 0) {
        winner = i;
        continue;
      }
      const best = (heads[winner] as IteratorYieldResult<Entry>).value;
      const order = compareBytes(head.value.key, best.key);
      if (order < 0 || (order === 0 && head.value.seq > best.seq)) winner = i;
    }
    if (winner < 0) return;
    yield (heads[winner] as IteratorYieldResult<Entry>).value;
    heads[winner] = sources[winner]!.next();
  }
}
