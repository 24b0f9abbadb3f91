// The committed state of the tree: what the manifest says, after replaying its edits in order.
import { compareBytes } from '../bytes';
import type { SstableMeta } from '../events';
import { appendTimes, type WriteTimes } from '../write-times';
import type { VersionEdit } from './edit';

export class Version {
  /** Live SSTables by file number. */
  readonly tables = new Map<number, SstableMeta>();
  logNumber = 0;
  nextFileNumber = 1;
  lastSequence = 0;
  /** When the writes in the tables were made (write-times.ts), for the expiry filter; undefined before any is known. */
  writeTimes: WriteTimes | undefined;
  /** The read order, computed once per edit: every get walks it, and sorting it per get was measurable. */
  #ordered: SstableMeta[] | undefined;

  apply(edit: VersionEdit): void {
    this.#ordered = undefined;
    for (const number of edit.removed) this.tables.delete(number);
    for (const table of edit.added) this.tables.set(table.number, table);
    this.logNumber = edit.logNumber;
    this.nextFileNumber = edit.nextFileNumber;
    this.lastSequence = edit.lastSequence;
    if (edit.writeTimes) this.writeTimes = appendTimes(this.writeTimes, edit.writeTimes);
  }

  /**
   * This version as one edit, which recreates it from nothing: the first record of a new manifest (its "snapshot
   * record", LevelDB's VersionSet::WriteSnapshot; not a db.snapshot(), which pins a sequence number for reads).
   */
  asEdit(): VersionEdit {
    return {
      logNumber: this.logNumber,
      nextFileNumber: this.nextFileNumber,
      lastSequence: this.lastSequence,
      added: [...this.newestFirst()],
      removed: [],
      ...(this.writeTimes ? { writeTimes: this.writeTimes } : {}),
    };
  }

  /** The order reads try tables in (see orderForReads). The same array until the next edit: do not change it. */
  newestFirst(): readonly SstableMeta[] {
    this.#ordered ??= orderForReads([...this.tables.values()]);
    return this.#ordered;
  }
}

/**
 * The order reads must try tables in: level 0 first, newest (largest sequence number) first, because its
 * tables overlap; then each deeper level, whose tables do not overlap, in key order. A compaction output keeps
 * the sequence numbers of its inputs, so "newest" is by sequence number, not by file number. The same order for
 * the engine's tables (keys as bytes) and the events' (SstableInfo, keys as hex, which orders as the bytes it
 * spells): the lab's picture lists tables by it too.
 */
export function orderForReads<T extends OrderedTable>(tables: T[]): T[] {
  return [...tables].sort((a, b) => {
    if (a.level !== b.level) return a.level - b.level;
    if (a.level === 0) return b.largestSeq - a.largestSeq || b.number - a.number;
    return compareKeys(a.smallest, b.smallest);
  });
}

/** What orderForReads needs of a table. */
type OrderedTable = Pick<SstableMeta, 'level' | 'largestSeq' | 'number'> & { smallest: Uint8Array | string };

function compareKeys(a: Uint8Array | string, b: Uint8Array | string): number {
  if (typeof a === 'string' || typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return compareBytes(a, b);
}
