// Snapshots (MVCC, as in LevelDB): a snapshot is a sequence number. Reading "at" it means: of each key, the newest
// version whose sequence number is ≤ it; later writes are invisible. Nothing is copied when a snapshot is taken;
// instead, while it lives, the memtable and compaction keep the versions it can still see (`retain` below), and
// drop them once the last snapshot that needed them is released.
import { compareBytes } from './bytes';
import type { Entry } from './codec/entry';
import { ErrorCode, LsmError } from './errors';

/** A point in the tree's history. Reads given it see the tree as it was then. Release it when done. */
export class Snapshot {
  /** The last sequence number written when the snapshot was taken: writes after it are invisible. */
  readonly seq: number;
  /** Taken by a scan without a snapshot, for itself. */
  readonly implicit: boolean;
  readonly #owner: SnapshotList;
  #released = false;

  /** @internal made by SnapshotList.take */
  constructor(seq: number, owner: SnapshotList, implicit = false) {
    this.seq = seq;
    this.#owner = owner;
    this.implicit = implicit;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Lets go: compaction may drop the old versions only this snapshot could see. Releasing twice is harmless. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#owner.drop(this);
  }

  /** @internal the list it belongs to (a snapshot of another database is refused). */
  get owner(): SnapshotList {
    return this.#owner;
  }
}

/** The live snapshots of one tree, oldest first. */
export class SnapshotList {
  readonly #live: Snapshot[] = [];
  /** Called after a snapshot is released (the tree emits its event). */
  onRelease: ((snapshot: Snapshot) => void) | undefined;

  take(seq: number, implicit = false): Snapshot {
    const snapshot = new Snapshot(seq, this, implicit);
    this.#live.push(snapshot); // sequence numbers only grow: the list stays sorted
    return snapshot;
  }

  /** @internal */
  drop(snapshot: Snapshot): void {
    const at = this.#live.indexOf(snapshot);
    if (at >= 0) this.#live.splice(at, 1);
    this.onRelease?.(snapshot);
  }

  get size(): number {
    return this.#live.length;
  }

  /** The live snapshots' sequence numbers, ascending (duplicates kept once). */
  sequences(): number[] {
    return [...new Set(this.#live.map((s) => s.seq))];
  }

  /** The newest live snapshot's sequence number, or undefined when there is none. */
  newest(): number | undefined {
    return this.#live[this.#live.length - 1]?.seq;
  }

  /** The sequence number a read with this snapshot reads at; refuses a released or foreign one. */
  check(snapshot: Snapshot): number {
    if (!(snapshot instanceof Snapshot) || snapshot.owner !== this) {
      throw new LsmError(ErrorCode.InvalidArgument, 'that snapshot belongs to another database');
    }
    if (snapshot.released) throw new LsmError(ErrorCode.InvalidArgument, 'that snapshot was released');
    return snapshot.seq;
  }
}

/** How many kept versions an event names (memtable.insert's `older`, snapshot.kept's `shown`). */
export const KEPT_SHOWN = 12;

/** The live snapshots that see `seq`, a version whose next newer version is `newer`: seq ≤ s < newer. */
export function seenBy(seq: number, newer: number, snapshots: readonly number[]): number[] {
  return snapshots.filter((s) => seq <= s && s < newer);
}

/** A version kept for snapshots, as retain() notes it for the events (hex; the file is named once written). */
export interface KeptNote {
  key: string;
  seq: number;
  op: Entry['op'];
  value: string | null;
  seenBy: number[];
}

/** What retain() did, for the compaction's events. */
export interface Retention {
  /** Versions kept only because a live snapshot can still see them. */
  keptForSnapshots: number;
  /** Versions no reader can see any more: dropped. */
  droppedShadowed: number;
  droppedTombstones: number;
  /** Given only while someone listens: told of each version kept for snapshots or dropped (trace.ts notes them). */
  probe?: RetentionProbe;
}

/**
 * What retain() tells of the versions it decides on, for the picture: the trace's RetentionNotes (trace.ts) keeps
 * the first few, as hex. Without a probe the merge makes no notes at all.
 */
export interface RetentionProbe {
  /** A version dropped: overwritten by a newer one no snapshot needs, or a tombstone with nothing below. */
  dropped(version: Entry, why: DroppedVersion['why']): void;
  /** A version kept only because these live snapshots see it. */
  kept(version: Entry, seenBy: number[]): void;
  /** A version told as kept that goes after all (a tombstone at the bottom): no longer kept. */
  unkept(version: Entry): void;
}

/** A version a merge dropped: overwritten by a newer one no snapshot needs, or a tombstone with nothing below. */
export interface DroppedVersion {
  key: string;
  seq: number;
  op: Entry['op'];
  why: 'shadowed' | 'tombstone';
}

/** How many dropped versions a compaction's event names (the counts cover all of them). */
export const DROPPED_SHOWN = 12;

/**
 * The versions a flush or compaction must keep. `entries`: every version of every key, keys ascending and each
 * key's versions newest first. `snapshots`: the live snapshots' sequence numbers, ascending. Of each key it keeps
 * the newest version (what a read without a snapshot sees) and, for each live snapshot, the newest version at or
 * below it; every other version is invisible to every reader and goes. `dropTombstones` (nothing older can lie
 * below the output): a tombstone that is the oldest version kept hides nothing, so it goes too.
 */
export function* retain(
  entries: Iterable<Entry>,
  snapshots: readonly number[],
  dropTombstones: boolean,
  counts: Retention,
): Generator<Entry> {
  if (snapshots.length === 0) {
    // No snapshot: of each key only its newest version (the first) can be seen. No per-key arrays.
    let previous: Uint8Array | undefined;
    for (const entry of entries) {
      if (previous !== undefined && compareBytes(previous, entry.key) === 0) {
        counts.droppedShadowed++;
        counts.probe?.dropped(entry, 'shadowed');
        continue;
      }
      previous = entry.key;
      if (dropTombstones && entry.op === 'delete') {
        counts.droppedTombstones++;
        counts.probe?.dropped(entry, 'tombstone');
        continue;
      }
      yield entry;
    }
    return;
  }
  let versions: Entry[] = [];
  function* settle(): Generator<Entry> {
    const kept: Entry[] = [];
    let newer = Number.POSITIVE_INFINITY;
    for (const version of versions) {
      // Kept when some reader sees it: the present (the first version), or a snapshot s with seq ≤ s < newer.
      const seen = kept.length === 0 || snapshots.some((s) => version.seq <= s && s < newer);
      if (seen) {
        if (kept.length > 0) {
          counts.keptForSnapshots++;
          counts.probe?.kept(version, seenBy(version.seq, newer, snapshots));
        }
        kept.push(version);
      } else {
        counts.droppedShadowed++;
        counts.probe?.dropped(version, 'shadowed');
      }
      newer = version.seq;
    }
    while (dropTombstones && kept.length > 0 && kept[kept.length - 1]!.op === 'delete') {
      const gone = kept.pop()!;
      if (kept.length > 0) {
        counts.keptForSnapshots--;
        counts.probe?.unkept(gone);
      }
      counts.probe?.dropped(gone, 'tombstone');
      counts.droppedTombstones++;
    }
    yield* kept;
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
