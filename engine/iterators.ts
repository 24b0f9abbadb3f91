// The merge at the heart of an LSM tree: several sorted streams of entries in, one sorted stream out, and for
// a key held by several streams only the newest version (highest sequence number) survives. Scans use it over
// the memtable and every SSTable; compaction uses it over its input tables.
import { compareBytes } from './bytes';
import type { Entry } from './codec/record';

export interface Merged {
  entry: Entry;
  /** Older versions of the same key that the newest one shadows (they are skipped). */
  shadowed: number;
  /** Which source the newest version came from (an index into `sources`). */
  source: number;
}

export function* mergeNewest(sources: Array<Iterator<Entry>>): Generator<Merged> {
  const heads = sources.map((source) => source.next());
  for (;;) {
    // The smallest key among the heads; among equal keys, the highest sequence number.
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
    const entry = (heads[winner] as IteratorYieldResult<Entry>).value;
    let shadowed = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!head.done && compareBytes(head.value.key, entry.key) === 0) {
        heads[i] = sources[i]!.next();
        shadowed++;
      }
    }
    yield { entry, shadowed, source: winner };
  }
}
