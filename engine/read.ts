// Reads: a point read (memtable, then L0 newest first, then one table per deeper level), the read plan it walks,
// and one batch of a scan (a k-way merge of the memtable and every table). Newest version wins; a tombstone hides
// the key. Events come from the trace module (trace.ts) and are made only when someone listens.
import { compareBytes, toHex } from './bytes';
import type { Entry } from './codec/entry';
import type { SstableMeta } from './events';
import { type Merged, mergeNewest } from './iterators';
import type { Memtable } from './memtable/memtable';
import { hash32 } from './sstable/bloom';
import type { SstableReader } from './sstable/reader';
import type { LsmState, ReadLevel } from './state';
import type { ReadTrace } from './trace';
import { copyValue } from './value-copy';

/** Pairs per scan batch: each batch is one queued operation, so a long scan never holds up writes. */
export const SCAN_BATCH = 256;
/** Results a scan.end event carries for the UI to show (the scan itself returns all). */
const SCAN_RESULTS_SHOWN = 50;
/** Merge steps of a batch reported one by one (scan.step), for the picture to move the cursors: the first few. */
export const SCAN_STEPS_SHOWN = 16;

/** The answer to a get, with where it came from: what the UI tells the class. */
export interface Lookup {
  value: Uint8Array | undefined;
  /** 'memtable', an SSTable's file name, or null when the key was not found. */
  source: string | null;
  /** SSTables whose key range holds the key (the ones a read must consider). */
  tablesChecked: number;
  /** Of those, the ones whose bloom filter said "certainly not here". */
  bloomSkips: number;
  /** Data blocks read from storage. */
  blocksRead: number;
}

/**
 * One point read: the memtable (then one being flushed off the write path, background-flush.ts), then every L0
 * table newest first, then in each deeper level the one table whose key range holds the key. `trace: false` reads
 * without events or counting; `emit: false` counts the read but makes no events (a workload's reads: thousands a
 * second, and nobody draws them one by one).
 */
export function lookup(
  state: LsmState,
  key: Uint8Array,
  trace: boolean,
  atSeq: number = Number.POSITIVE_INFINITY,
  emit = true,
): Lookup {
  const events = trace && emit ? state.trace.read(key, state.memtable, atSeq) : undefined;
  const answer: Lookup = { value: undefined, source: null, tablesChecked: 0, bloomSkips: 0, blocksRead: 0 };
  // The memtable, then the one being flushed off the write path (background-flush.ts), if any: it is older.
  const inMemory = inMemtable(state.memtable, key, atSeq) ?? (state.imm && inMemtable(state.imm.memtable, key, atSeq));
  let hidden: Hidden | undefined;
  if (events === undefined) {
    if (inMemory === undefined) searchTables(state, key, atSeq, answer, undefined);
    else {
      answer.source = 'memtable';
      if (inMemory.op === 'put') answer.value = copyValue(inMemory.value, 0, inMemory.value.length);
    }
  } else {
    events.memtable(inMemory);
    if (inMemory === undefined) hidden = searchTables(state, key, atSeq, answer, events);
    else {
      answer.source = 'memtable';
      if (inMemory.op === 'put') answer.value = copyValue(inMemory.value, 0, inMemory.value.length);
      // A tombstone: the tables go on to show what it hides.
      else hidden = searchTables(state, key, atSeq, answer, events, true);
    }
    events.end(answer, hidden);
  }
  if (trace) {
    state.counters.gets++;
    state.counters.tablesChecked += answer.tablesChecked;
    state.counters.blocksRead += answer.blocksRead;
    state.counters.bloomSkips += answer.bloomSkips;
  }
  return answer;
}

/** The older version a tombstone hides (its value in hex, or null for an older tombstone), and its table. */
type Hidden = { value: string | null; source: string };

/**
 * The tables in read order, until one holds a version of key: fills in `answer` (and counts what it tried).
 * A traced read (`events`) that stops at a tombstone, in a table or already in the memtable (`hiding`), goes on
 * quietly (no events, no counting) to the next older version, which the tombstone hides: the UI shows it.
 * Returns that version, if any.
 */
function searchTables(
  state: LsmState,
  key: Uint8Array,
  atSeq: number,
  answer: Lookup,
  events: ReadTrace | undefined,
  hiding = false,
): Hidden | undefined {
  const keyHash = hash32(key);
  const levels = readLevels(state);
  for (let l = 0; l < levels.length; l++) {
    const level = levels[l]!;
    const { readers, tables } = level;
    // L0 tables overlap: each is a candidate (those out of range are ruled out without I/O). A deeper
    // level's tables do not: a binary search over their ranges names the only one that can hold the key.
    const first = level.level === 0 ? 0 : candidateIn(readers, key);
    const last = level.level === 0 ? readers.length : first + 1;
    for (let i = first; i >= 0 && i < last; i++) {
      if (hiding) {
        const result = readers[i]!.get(key, keyHash, atSeq);
        if (result.found === 'value') return { value: toHex(result.value), source: tables[i]!.file };
        if (result.found === 'tombstone') return { value: null, source: tables[i]!.file };
        continue;
      }
      const probe = events?.probe();
      const result = readers[i]!.get(key, keyHash, atSeq, probe);
      if (events && probe) events.sstable(tables[i]!, result, probe);
      const found = result.found;
      if (found === 'out-of-range') continue;
      answer.tablesChecked++;
      if (found === 'bloom-negative') {
        answer.bloomSkips++;
        continue;
      }
      answer.blocksRead++;
      if (found === 'absent') continue;
      answer.source = tables[i]!.file;
      if (found === 'value') {
        answer.value = result.value;
        return undefined;
      }
      if (!events) return undefined; // a tombstone
      hiding = true;
    }
  }
  return undefined;
}

/** The tables reads consider, level by level, in read order, with their readers; cached per version. */
export function readLevels(state: LsmState): ReadLevel[] {
  const ordered = state.version.newestFirst();
  if (state.readPlan?.from === ordered) return state.readPlan.levels;
  const levels: ReadLevel[] = [];
  for (const table of ordered) {
    let level = levels[levels.length - 1];
    if (level?.level !== table.level) {
      level = { level: table.level, tables: [], readers: [] };
      levels.push(level);
    }
    level.tables.push(table);
    level.readers.push(state.readers.get(table.number)!);
  }
  state.readPlan = { from: ordered, levels };
  return levels;
}

/** In a level of sorted, non-overlapping tables: the index of the one whose range holds key, or -1. */
function candidateIn(readers: readonly SstableReader[], key: Uint8Array): number {
  let low = 0;
  let high = readers.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (compareBytes(readers[mid]!.smallest, key) <= 0) low = mid;
    else high = mid - 1;
  }
  const candidate = readers[low]!;
  return compareBytes(candidate.smallest, key) <= 0 && compareBytes(key, candidate.largest) <= 0 ? low : -1;
}

function inMemtable(memtable: Memtable, key: Uint8Array, atSeq: number): Entry | undefined {
  return atSeq === Number.POSITIVE_INFINITY ? memtable.get(key) : memtable.getAt(key, atSeq);
}

/**
 * The memtable (every version it keeps), one being flushed off the write path, and every SSTable as sorted sources
 * from `from`, newest first (the order reads use).
 */
export function sources(
  state: LsmState,
  from: Uint8Array | undefined,
  end: Uint8Array | undefined,
): Array<Iterator<Entry>> {
  const all: Array<Iterator<Entry>> = [state.memtable.versions(from, end)];
  if (state.imm) all.push(state.imm.memtable.versions(from, end));
  for (const table of state.version.newestFirst()) all.push(state.readers.get(table.number)!.scanFrom(from));
  return all;
}

/**
 * One batch of a scan: a k-way merge of the memtable and every SSTable from `from`. When several sources
 * hold a key, the newest version wins and the others are skipped; a winning tombstone hides the key.
 * The batch before's merge (`cursor`) goes on where it stopped while the memtable and the tables are the same
 * (writes since then are newer than the scan's sequence number: it skips them); after a flush or a
 * compaction, a new merge starts from `from`.
 */
export function scanBatch(
  state: LsmState,
  from: Uint8Array | undefined,
  skipFrom: boolean,
  end: Uint8Array | undefined,
  atSeq: number,
  cursor?: ScanCursor,
): { pairs: Array<[Uint8Array, Uint8Array]>; done: boolean; cursor: ScanCursor } {
  const tables = state.version.newestFirst();
  const names = ['memtable', ...(state.imm ? ['immutable memtable'] : []), ...tables.map((t) => t.file)];
  state.trace.scanBegin(from, end, names, atSeq);
  let steps = 0;
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  const shown: Array<{ key: string; value: string; source: string }> = [];
  let shadowed = 0;
  let tombstones = 0;
  let done = true;
  const live =
    cursor && cursor.memtable === state.memtable && cursor.imm === state.imm?.memtable && cursor.tables === tables
      ? cursor
      : {
          memtable: state.memtable,
          imm: state.imm?.memtable,
          tables,
          merge: mergeNewest(sources(state, from, end), atSeq),
        };
  // next() by hand: a for-of would end the merge at the batch's break.
  for (let step = live.merge.next(); !step.done; step = live.merge.next()) {
    const merged = step.value;
    const { entry } = merged;
    if (end && compareBytes(entry.key, end) >= 0) break;
    if (skipFrom && from && compareBytes(entry.key, from) === 0) continue;
    if (steps < SCAN_STEPS_SHOWN && state.trace.on) {
      steps++;
      state.trace.scanStep(merged, names, atSeq);
    }
    shadowed += merged.shadowed;
    if (entry.op !== 'put') {
      tombstones++;
      continue;
    }
    // Copies the caller keeps, cut from shared slabs (value-copy.ts): two fresh buffers a pair were most of a scan's
    // time in a browser worker, in allocation and garbage collection.
    pairs.push([copyValue(entry.key, 0, entry.key.length), copyValue(entry.value, 0, entry.value.length)]);
    if (shown.length < SCAN_RESULTS_SHOWN) {
      const result = state.trace.scanShown(entry.key, entry.value, names[merged.source]!);
      if (result) shown.push(result);
    }
    if (pairs.length >= SCAN_BATCH) {
      done = false;
      break;
    }
  }
  state.trace.scanEnd(shown, pairs.length, shadowed, tombstones);
  return { pairs, done, cursor: live };
}

/** A scan's merge between two batches, and the memtable and tables it merges. */
export interface ScanCursor {
  memtable: Memtable;
  /** The memtable then being flushed off the write path, if any. */
  imm: Memtable | undefined;
  tables: readonly SstableMeta[];
  merge: Generator<Merged>;
}
