// compactRange's steps (LevelDB's DBImpl::CompactRange): every file overlapping a key range is pushed down, level
// by level, to the last level that holds data, where tombstones and shadowed versions can finally be dropped.
// Like the picker, a pure function of the live tables: execute.ts asks for the next step, runs it, and asks again.
//
// One step takes, from one level:
//  - L0: every L0 file overlapping the range, and every L0 file overlapping those (L0 files overlap each other, so
//    a file cannot move below an older one that shares its keys), in one compaction;
//  - L1 and deeper: one file at a time, so that each compaction reads one file plus what it overlaps below (which
//    bounded output files keep to about 10 target file sizes), not a whole level at once.
// The output goes to the next level down, or further while the levels in between hold nothing in the step's key
// range (moving through an empty stretch level by level would rewrite the same bytes for nothing).
// Last, the files of the last level that were already there when compactRange began (and that no step merged
// since) are rewritten one by one in place: they may hold versions only a snapshot, since released, still needed,
// or tombstones written when something lay below (RocksDB's bottommost_level_compaction = kForce).
import { compareBytes, toHex } from '../bytes';
import type { SstableMeta } from '../events';
import { orderForReads } from '../manifest/version';
import { type CompactionTask, keyRange } from './picker';

/** Start inclusive, end exclusive; undefined = unbounded. */
export interface KeyRange {
  start?: Uint8Array;
  end?: Uint8Array;
}

export function inRange(table: SstableMeta, range: KeyRange): boolean {
  return (
    (range.start === undefined || compareBytes(table.largest, range.start) >= 0) &&
    (range.end === undefined || compareBytes(table.smallest, range.end) < 0)
  );
}

function overlapping(table: SstableMeta, smallest: Uint8Array, largest: Uint8Array): boolean {
  return !(compareBytes(table.largest, smallest) < 0 || compareBytes(table.smallest, largest) > 0);
}

/**
 * The next step of compactRange at `level`, or undefined when nothing at that level overlaps the range (the
 * caller moves on to the next level). `bottom`: the last level the data may go to.
 */
export function pickRangeStep(
  tables: readonly SstableMeta[],
  range: KeyRange,
  level: number,
  bottom: number,
): CompactionTask | undefined {
  if (level >= bottom) return undefined;
  const here = orderForReads(tables.filter((t) => t.level === level));
  let picked: SstableMeta[];
  if (level === 0) {
    picked = here.filter((t) => inRange(t, range));
    if (picked.length === 0) return undefined;
    // Grow to every L0 file that shares keys with the picked ones.
    for (let grew = true; grew; ) {
      const { smallest, largest } = keyRange(picked);
      const more = here.filter((t) => !picked.includes(t) && overlapping(t, smallest, largest));
      grew = more.length > 0;
      picked = [...picked, ...more];
    }
  } else {
    const first = here.find((t) => inRange(t, range));
    if (!first) return undefined;
    picked = [first];
  }
  const { smallest, largest } = keyRange(picked);
  const below = (n: number) => tables.filter((t) => t.level === n && overlapping(t, smallest, largest));
  let outputLevel = level + 1;
  while (outputLevel < bottom && below(outputLevel).length === 0) outputLevel++;
  const merged = below(outputLevel);
  const inputs = [...picked, ...merged];
  const out = keyRange(inputs);
  return {
    strategy: 'leveled',
    reason: `compactRange over ${rangeWords(range)}: L${level} into L${outputLevel}`,
    score: 0,
    inputLevels: merged.length > 0 ? [level, outputLevel] : [level],
    inputs,
    outputLevel,
    dropTombstones: !tables.some((t) => t.level > outputLevel && overlapping(t, out.smallest, out.largest)),
    trivialMove: false,
  };
}

/** The last step: one of `candidates` (bottom-level files from before compactRange began) rewritten in place. */
export function pickBottomRewrite(
  tables: readonly SstableMeta[],
  candidates: ReadonlySet<number>,
  range: KeyRange,
  bottom: number,
): CompactionTask | undefined {
  // L0's files overlap each other: one of them alone may not drop what hides an older file's keys.
  if (bottom === 0) return undefined;
  const table = orderForReads(tables.filter((t) => t.level === bottom && candidates.has(t.number)))[0];
  if (!table) return undefined;
  return {
    strategy: 'leveled',
    reason: `compactRange over ${rangeWords(range)}: rewrite ${table.file} in L${bottom}`,
    score: 0,
    inputLevels: [bottom],
    inputs: [table],
    outputLevel: bottom,
    dropTombstones: !tables.some((t) => t.level > bottom && overlapping(t, table.smallest, table.largest)),
    trivialMove: false,
  };
}

/** The range in a compaction's reason: "every key", or its bounds as hex (the events' form of bytes). */
function rangeWords(range: KeyRange): string {
  if (range.start === undefined && range.end === undefined) return 'every key';
  return `[${range.start ? toHex(range.start) : '…'}, ${range.end ? toHex(range.end) : '…'})`;
}
