// Compaction filters (RocksDB's CompactionFilter; mini-lsm's week 3 day 7): rules, set in the settings, by which a
// compaction drops data that no overwrite or delete removed: keys under a prefix (filterPrefixes), values older than
// a TTL (filterTtlMs, by the write-time map: write-times.ts).
//
// Two rules keep a filter from changing what a reader sees other than what it means to:
//  - A version a live snapshot can see is never filtered: the filter looks only at a key's newest version, and only
//    when no live snapshot sees it (every snapshot is older than it). Older versions need no filter: a reader
//    without a snapshot cannot see them, so retain() (snapshot.ts) drops them unless a snapshot still does.
//  - Dropping the newest version must not bring an older one back. An older version may lie in this compaction's
//    input (kept for a snapshot) or in a deeper level the compaction does not read. So the filtered value is
//    replaced by a tombstone with its sequence number (RocksDB's kRemove does the same), which hides whatever lies
//    below; the value and the versions no reader sees go now, the tombstone where tombstones go (at the bottom).
//    Where nothing older can lie below the output and no snapshot sees an older value in the input, no tombstone is
//    needed: the key's versions all go at once (mini-lsm's full compaction).
import { compareBytes, toHex, utf8 } from '../bytes';
import type { Entry } from '../codec/entry';
import type { TreeSettings } from '../settings';
import type { Retention } from '../snapshot';
import { type WriteTimes, writeTimeOf } from '../write-times';

/** Why a filter dropped a value. */
export type FilterReason = 'prefix' | 'ttl';

/** What the filters did in one compaction, for its compaction.end event. */
export interface FilterCounts {
  /** Values dropped because their key starts with a filtered prefix. */
  prefix: number;
  /** Values dropped because they were older than the TTL. */
  ttl: number;
  /** Of those, how many left a tombstone behind (older versions may lie below, or a snapshot sees one). */
  tombstones: number;
  /** When given: the first FILTERED_SHOWN values dropped, for the picture to name. */
  shown?: Array<{ key: string; seq: number; reason: FilterReason }>;
}

/** How many filtered values a compaction's event names (the counts cover all of them). */
export const FILTERED_SHOWN = 12;

/** The filters a compaction runs with: the settings', at `now` (ms), with the tree's write-time map. */
export interface CompactionFilter {
  prefixes: Uint8Array[];
  ttlMs: number;
  now: number;
  times: WriteTimes | undefined;
}

/** The compaction's filter, or undefined when the settings set none. */
export function filterOf(
  settings: Pick<TreeSettings, 'filterPrefixes' | 'filterTtlMs'>,
  now: number,
  times: WriteTimes | undefined,
): CompactionFilter | undefined {
  if (settings.filterPrefixes.length === 0 && settings.filterTtlMs === 0) return undefined;
  return { prefixes: settings.filterPrefixes.map((p) => utf8(p)), ttlMs: settings.filterTtlMs, now, times };
}

/** Why the filter drops this version's value, or undefined when it keeps it. Tombstones are never filtered. */
export function filterReason(filter: CompactionFilter, entry: Entry): FilterReason | undefined {
  if (entry.op !== 'put') return undefined;
  if (filter.prefixes.some((prefix) => startsWith(entry.key, prefix))) return 'prefix';
  if (filter.ttlMs > 0) {
    const written = writeTimeOf(filter.times, entry.seq);
    if (written !== undefined && written + filter.ttlMs <= filter.now) return 'ttl';
  }
  return undefined;
}

/**
 * The merged input (keys ascending, each key's versions newest first) with the filter applied, for retain() to take
 * next. `snapshots`: the live snapshots' sequence numbers, ascending. `bottom`: nothing older can lie below the
 * output (the compaction's dropTombstones). What it drops without a tombstone is counted in `retention` as retain()
 * would have counted it (older versions as shadowed, older tombstones as tombstones), the filtered value in `counts`.
 */
export function* applyFilter(
  entries: Iterable<Entry>,
  filter: CompactionFilter,
  snapshots: readonly number[],
  bottom: boolean,
  counts: FilterCounts,
  retention: Retention,
): Generator<Entry> {
  const newestSnapshot = snapshots[snapshots.length - 1] ?? -1;
  let versions: Entry[] = [];
  function* settle(): Generator<Entry> {
    const newest = versions[0]!;
    // Seen by a live snapshot (one at or after it), or kept by the filter: left to retain() as it is.
    const reason = newest.seq <= newestSnapshot ? undefined : filterReason(filter, newest);
    if (reason === undefined) {
      yield* versions;
      return;
    }
    counts[reason]++;
    if (counts.shown && counts.shown.length < FILTERED_SHOWN) {
      counts.shown.push({ key: toHex(newest.key), seq: newest.seq, reason });
    }
    // The older versions a snapshot sees (as retain() decides): seq ≤ s < the next newer version's seq.
    let newer = newest.seq;
    const seen: boolean[] = [];
    for (const version of versions.slice(1)) {
      seen.push(snapshots.some((s) => version.seq <= s && s < newer));
      newer = version.seq;
    }
    // At the bottom, retain() would drop a tombstone left here unless a value a snapshot sees lies under it.
    const marker = !bottom || versions.some((v, i) => i > 0 && seen[i - 1] && v.op === 'put');
    if (marker) {
      counts.tombstones++;
      yield { op: 'delete', seq: newest.seq, key: newest.key, value: EMPTY };
      yield* versions.slice(1);
      return;
    }
    // Nothing can come back: every version goes now. The older ones no reader sees; any a snapshot sees is a
    // tombstone, which at the bottom hides nothing.
    for (const [i, version] of versions.slice(1).entries()) {
      if (seen[i]) retention.droppedTombstones++;
      else retention.droppedShadowed++;
      retention.probe?.dropped(version, seen[i] ? 'tombstone' : 'shadowed');
    }
  }
  for (const entry of entries) {
    if (versions.length > 0 && compareBytes(versions[0]!.key, entry.key) !== 0) {
      yield* settle();
      versions = [];
    }
    versions.push(entry);
  }
  if (versions.length > 0) yield* settle();
}

const EMPTY = new Uint8Array(0);

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
