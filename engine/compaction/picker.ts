// Which compaction to run next: a pure function of the live tables and the options (mini-lsm's style), so
// that it is easy to test, to explain and to draw. It returns a task; execute.ts carries it out.
//
// Leveled (LevelDB, RocksDB's default): L0 holds whole flushed memtables, which overlap; L1..Ln each hold
// one sorted run split into files that do not overlap, each level `levelSizeRatio` times larger than the one
// above. A level whose score (L0: files / trigger; Ln: bytes / target) reaches 1 is merged into the next one.
//
// Size-tiered (Cassandra's STCS, RocksDB's universal): every flush is a run; when `tieredMinRuns` runs of
// similar size sit next to each other in age, they are merged into one run. Fewer rewrites, more space.
import { compareBytes } from '../bytes';
import type { SstableMeta } from '../events';
import { orderForReads } from '../manifest/version';
import { type LevelShape, levelTargets } from './levels';

export type CompactionStrategy = 'off' | 'leveled' | 'tiered';

export interface CompactionOptions extends LevelShape {
  strategy: CompactionStrategy;
  /** Leveled: compact L0 into L1 once it holds this many files. */
  l0Trigger: number;
  /** Tiered: merge this many neighbouring runs of similar size. */
  tieredMinRuns: number;
  /** Tiered: runs are "similar" when each is within this factor of the group's average size. */
  tieredSizeFactor: number;
  /**
   * Leveled: a file is moved down without a rewrite only while it overlaps at most this many bytes of the level
   * below its new level (grandparentOverlapFactor × targetFileBytes; absent: no limit).
   */
  maxGrandparentOverlapBytes?: number;
}

export interface CompactionTask {
  strategy: 'leveled' | 'tiered';
  /** In words, for the event log: "L0 has 4 files (trigger: 4)". */
  reason: string;
  score: number;
  /** The levels the inputs come from (one or two). */
  inputLevels: number[];
  inputs: SstableMeta[];
  outputLevel: number;
  /** No older data can exist below the output: deletes can go, their work is done. */
  dropTombstones: boolean;
  /** One input, nothing to merge with: move the file down a level without rewriting it. */
  trivialMove: boolean;
}

export interface LevelScore {
  level: number;
  files: number;
  bytes: number;
  /** Bytes for L1+, files for L0; undefined for the last level or when compaction is off. */
  target: number | undefined;
  score: number;
}

/** How full each level is, relative to its trigger or target (compaction/levels.ts). */
export function levelScores(tables: readonly SstableMeta[], options: CompactionOptions): LevelScore[] {
  const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
  const { targets, baseLevel } = levelTargets(tables, options);
  const scores: LevelScore[] = [];
  for (let level = 0; level <= Math.max(deepest, 1); level++) {
    const here = tables.filter((t) => t.level === level);
    const bytes = here.reduce((sum, t) => sum + t.size, 0);
    if (level === 0) {
      const target = options.strategy === 'leveled' ? options.l0Trigger : undefined;
      let score = target ? here.length / target : 0;
      const baseTarget = targets[baseLevel];
      if (target && options.dynamicLevelBytes && baseTarget !== undefined && bytes > baseTarget) {
        // RocksDB's rule with dynamic targets: L0 also goes down once it holds more bytes than its base level
        // may and does, so that L0 cannot outgrow the level it feeds. (Not while L0 feeds the last level: then
        // the file count alone decides.)
        const baseBytes = tables.reduce((sum, t) => sum + (t.level === baseLevel ? t.size : 0), 0);
        score = Math.max(score, bytes / Math.max(baseTarget, baseBytes));
      }
      scores.push({ level, files: here.length, bytes, target, score });
    } else {
      const target = options.strategy === 'leveled' ? targets[level] : undefined;
      scores.push({ level, files: here.length, bytes, target, score: target ? bytes / target : 0 });
    }
  }
  return scores;
}

/**
 * The next compaction, or undefined when nothing needs one. `cursors` remembers, per level, the last key
 * compacted out of it, so that leveled compaction walks each level round-robin (LevelDB's compact_pointer).
 */
export function pickCompaction(
  tables: readonly SstableMeta[],
  options: CompactionOptions,
  cursors: ReadonlyMap<number, Uint8Array> = new Map(),
): CompactionTask | undefined {
  if (options.strategy === 'leveled') return pickLeveled(tables, options, cursors);
  if (options.strategy === 'tiered') return pickTiered(tables, options);
  return undefined;
}

function pickLeveled(
  tables: readonly SstableMeta[],
  options: CompactionOptions,
  cursors: ReadonlyMap<number, Uint8Array>,
): CompactionTask | undefined {
  const scores = levelScores(tables, options).filter((s) => s.level < options.maxLevels - 1 && s.score >= 1);
  if (scores.length === 0) return undefined;
  const worst = scores.reduce((a, b) => (b.score > a.score ? b : a));
  const level = worst.level;
  // L0 goes to the base level (L1 with static targets); every other level to the one below it.
  const outputLevel = level === 0 ? levelTargets(tables, options).baseLevel : level + 1;
  const next = tables.filter((t) => t.level === outputLevel);

  let picked: SstableMeta[];
  let reason: string;
  if (level === 0) {
    // L0 files overlap each other: all of them go down together.
    picked = tables.filter((t) => t.level === 0);
    reason = `L0 has ${picked.length} files (trigger: ${options.l0Trigger})`;
  } else {
    const here = orderForReads(tables.filter((t) => t.level === level));
    const cursor = cursors.get(level);
    const after = cursor === undefined ? undefined : here.find((t) => compareBytes(t.smallest, cursor) > 0);
    picked = [after ?? here[0]!];
    reason = `L${level} holds ${formatBytes(worst.bytes)}, over its ${formatBytes(worst.target!)} target`;
  }
  const range = keyRange(picked);
  const overlapping = next.filter((t) => overlaps(t, range));
  const inputs = [...picked, ...overlapping];
  const outputRange = keyRange(inputs);
  const deeper = tables.filter((t) => t.level > outputLevel);
  // LevelDB's IsTrivialMove: one file, nothing below it to merge with, and not so wide that the compaction which
  // later pushes it further down would have to read too much of the level under that (the splitter's rule).
  const grandparentBytes = deeper
    .filter((t) => t.level === outputLevel + 1 && overlaps(t, range))
    .reduce((sum, t) => sum + t.size, 0);
  const trivialMove =
    level > 0 &&
    picked.length === 1 &&
    overlapping.length === 0 &&
    grandparentBytes <= (options.maxGrandparentOverlapBytes ?? Number.POSITIVE_INFINITY);
  return {
    strategy: 'leveled',
    reason,
    score: worst.score,
    inputLevels: overlapping.length > 0 ? [level, outputLevel] : [level],
    inputs,
    outputLevel,
    dropTombstones: !deeper.some((t) => overlaps(t, outputRange)),
    trivialMove,
  };
}

function pickTiered(tables: readonly SstableMeta[], options: CompactionOptions): CompactionTask | undefined {
  // Runs newest first. Only neighbours in age may merge: merging run 1 with run 3 over run 2 would put
  // run 3's old values in front of run 2's newer ones.
  const runs = orderForReads(tables.filter((t) => t.level === 0));
  for (let start = 0; start < runs.length; start++) {
    let end = start + 1;
    let total = runs[start]!.size;
    while (end < runs.length) {
      const candidate = runs[end]!;
      const average = (total + candidate.size) / (end - start + 1);
      const group = runs.slice(start, end + 1);
      if (
        !group.every(
          (r) => r.size <= average * options.tieredSizeFactor && r.size * options.tieredSizeFactor >= average,
        )
      )
        break;
      total += candidate.size;
      end++;
    }
    const group = runs.slice(start, end);
    if (group.length >= options.tieredMinRuns) {
      // Tombstones may go only when nothing older can hold their keys: the group includes the oldest run,
      // and no table below L0 overlaps it (a tree switched from leveled to tiered keeps its deeper levels).
      const range = keyRange(group);
      const olderBelow = tables.some((t) => t.level > 0 && overlaps(t, range));
      return {
        strategy: 'tiered',
        reason: `${group.length} runs of similar size (${formatBytes(Math.min(...group.map((r) => r.size)))} to ${formatBytes(Math.max(...group.map((r) => r.size)))})`,
        score: group.length / options.tieredMinRuns,
        inputLevels: [0],
        inputs: group,
        outputLevel: 0,
        dropTombstones: end === runs.length && !olderBelow,
        trivialMove: false,
      };
    }
  }
  return undefined;
}

/** The smallest and largest key of these tables together. */
export function keyRange(tables: readonly SstableMeta[]): { smallest: Uint8Array; largest: Uint8Array } {
  let smallest = tables[0]!.smallest;
  let largest = tables[0]!.largest;
  for (const t of tables) {
    if (compareBytes(t.smallest, smallest) < 0) smallest = t.smallest;
    if (compareBytes(t.largest, largest) > 0) largest = t.largest;
  }
  return { smallest, largest };
}

function overlaps(table: SstableMeta, range: { smallest: Uint8Array; largest: Uint8Array }): boolean {
  return !(compareBytes(table.largest, range.smallest) < 0 || compareBytes(table.smallest, range.largest) > 0);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
