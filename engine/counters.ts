// What the algorithms count as they go: the one record of counts the tree keeps in its state (state.ts). stats.ts
// turns them into figures, introspect.ts into LevelDB's properties. A leaf: it imports nothing, so the state can
// hold it without the state and the code that reads it importing each other.

/** Compaction work charged to the level it wrote into, as LevelDB's per-level CompactionStats. */
export interface LevelWork {
  /** Flushes (level 0) and compactions that wrote into this level. */
  compactions: number;
  micros: number;
  bytesRead: number;
  bytesWritten: number;
}

/** What the algorithms count as they go (stats() turns them into figures). */
export interface Counters {
  userBytes: number;
  storageBytesWritten: number;
  gets: number;
  tablesChecked: number;
  blocksRead: number;
  bloomSkips: number;
  flushes: number;
  /** Flushes whose table the flush worker wrote, off the write path (background-flush.ts). */
  flushesByWorker: number;
  compactions: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  /** Per output level, the flushes and compactions that wrote into it (introspect.ts: property('stats')). */
  levelWork: LevelWork[];
}

export function newCounters(): Counters {
  return {
    userBytes: 0,
    storageBytesWritten: 0,
    gets: 0,
    tablesChecked: 0,
    blocksRead: 0,
    bloomSkips: 0,
    flushes: 0,
    flushesByWorker: 0,
    compactions: 0,
    compactionBytesRead: 0,
    compactionBytesWritten: 0,
    levelWork: [],
  };
}
