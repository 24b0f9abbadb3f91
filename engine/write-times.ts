// When each write was made, for the expiry (TTL) compaction filter (compaction/filter.ts): not a field in every entry
// but a map from sequence numbers to times, as RocksDB's SeqnoToTimeMapping. Sequence numbers already survive flush
// and compaction untouched, so a version's write time is found from its sequence number wherever the version lies,
// and neither the entry, the WAL nor the SSTable format changes. The map rides in the manifest: each flush's edit
// carries the pairs of the writes it made durable in a table (manifest/edit.ts), and a new manifest's snapshot the
// whole map. Writes are noted only while a TTL filter is set (write.ts): no manifest record grows otherwise.
//
// A pair (seq, time) says: the writes with sequence numbers up to seq (after the previous pair's) were made at or
// before `time`. So a version's write time read from the map is never earlier than the real one, and the map can be
// made coarser (a pair dropped: its writes take the next pair's time) without ever expiring a value early. Writes
// below `from` were made before the map began (before a TTL was first set, or by an older version of the engine):
// their time is unknown, and a value whose time is unknown never expires. Writes made while the TTL was off again
// take the time of the next write noted (later than theirs: they expire late, never early).
import type { Memtable } from './memtable/memtable';

/** Sequence numbers to write times (milliseconds since the epoch, as the tree's clock gives them). */
export interface WriteTimes {
  /** The first sequence number the map covers. */
  from: number;
  /** [last sequence number, time], both ascending. */
  pairs: Array<[number, number]>;
}

/** Pairs a flush's edit carries at most (1 KiB): more writes than this in one memtable share times. */
export const PENDING_PAIRS = 64;
/** Pairs the tree's map keeps at most (4 KiB in a manifest's snapshot record); the oldest are merged first. */
export const KEPT_PAIRS = 256;

/** `times` with the writes first..last noted as made at `now` (a new map when `times` is undefined). */
export function noteWrites(times: WriteTimes | undefined, first: number, last: number, now: number): WriteTimes {
  const map = times ?? { from: first, pairs: [] };
  const previous = map.pairs[map.pairs.length - 1];
  // A clock that goes back is taken as standing still: times stay ascending, and never earlier than they were.
  const time = Math.max(Math.floor(now), previous?.[1] ?? 0, 0);
  if (previous && previous[1] === time) previous[0] = last;
  else map.pairs.push([last, time]);
  if (map.pairs.length > 2 * PENDING_PAIRS) map.pairs = coarsen(map.pairs, PENDING_PAIRS);
  return map;
}

/** The map with `more` (a later flush's pairs) appended, kept to KEPT_PAIRS. */
export function appendTimes(times: WriteTimes | undefined, more: WriteTimes): WriteTimes {
  const pairs = [...(times?.pairs ?? []), ...more.pairs.map(([seq, time]) => [seq, time] as [number, number])];
  return { from: times?.from ?? more.from, pairs: pairs.length > KEPT_PAIRS ? coarsen(pairs, KEPT_PAIRS) : pairs };
}

/**
 * At most `max` pairs: every other one dropped, oldest first, the newest always kept. A dropped pair's writes take
 * the next pair's (later) time, so nothing expires earlier than it should; the oldest writes lose precision first.
 */
export function coarsen(pairs: Array<[number, number]>, max: number): Array<[number, number]> {
  let out = pairs;
  while (out.length > max) {
    const excess = out.length - max;
    const next: Array<[number, number]> = [];
    for (let i = 0; i < out.length; i++) {
      // Of the oldest 2 × excess pairs, keep every second one; keep all the rest.
      if (i < 2 * excess && i % 2 === 0) continue;
      next.push(out[i]!);
    }
    out = next;
  }
  return out;
}

/** The time the write `seq` was made at or before, or undefined when the map does not know it. */
export function writeTimeOf(times: WriteTimes | undefined, seq: number): number | undefined {
  if (!times || seq < times.from) return undefined;
  const { pairs } = times;
  let lo = 0;
  let hi = pairs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pairs[mid]![0] < seq) lo = mid + 1;
    else hi = mid;
  }
  return pairs[lo]?.[1];
}

/**
 * The times of the writes a recovery replayed into the memtable: the WAL does not hold them, so they are taken as made
 * at recovery, never earlier than they were (undefined when nothing was replayed).
 */
export function replayedTimes(memtable: Memtable, now: number): WriteTimes | undefined {
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (const entry of memtable.versions()) {
    if (entry.seq < first) first = entry.seq;
    if (entry.seq > last) last = entry.seq;
  }
  return last < 0 ? undefined : noteWrites(undefined, first, last, now);
}
