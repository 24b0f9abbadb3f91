// The committed state of the tree: what the manifest says, after replaying its edits in order.
import type { SstableMeta } from '../events';
import type { VersionEdit } from './edit';

export class Version {
  /** Live SSTables by file number. */
  readonly tables = new Map<number, SstableMeta>();
  logNumber = 0;
  nextFileNumber = 1;
  lastSequence = 0;

  apply(edit: VersionEdit): void {
    for (const number of edit.removed) this.tables.delete(number);
    for (const table of edit.added) this.tables.set(table.number, table);
    this.logNumber = edit.logNumber;
    this.nextFileNumber = edit.nextFileNumber;
    this.lastSequence = edit.lastSequence;
  }

  /** A single edit that recreates this version from nothing: the first record of a new manifest. */
  snapshot(): VersionEdit {
    return {
      logNumber: this.logNumber,
      nextFileNumber: this.nextFileNumber,
      lastSequence: this.lastSequence,
      added: this.newestFirst(),
      removed: [],
    };
  }

  /** The order reads must try tables in: level 0 newest (highest number) first, then deeper levels. */
  newestFirst(): SstableMeta[] {
    return [...this.tables.values()].sort((a, b) => a.level - b.level || b.number - a.number);
  }
}
