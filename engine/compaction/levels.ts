// How big each level of a leveled tree should be: its target size. Two ways, both pure functions of the live
// tables and the options (engine/README.md, "Level targets"):
//  - static (LevelDB): L1's target is levelBaseBytes, each deeper level's is levelSizeRatio times the one above.
//    L0 compacts into L1. When the data is small, the last level can end up smaller than the levels above it
//    expect, and the upper levels then hold many stale versions of the same keys: space amplification.
//  - dynamic (RocksDB's level_compaction_dynamic_level_bytes, on by default here): the targets are worked out
//    upwards from the size of the last level, each level levelSizeRatio times smaller than the one below it.
//    Levels whose target would be smaller than levelBaseBytes ÷ levelSizeRatio are skipped, so L0 compacts
//    into the shallowest level worth having (the "base level"). About 90 % of the data then sits in the last
//    level, fully merged, and leveled space amplification stays near 1.1.
import type { SstableMeta } from '../events';

export interface LevelShape {
  /** Leveled: compact L0 into L1 (static) or into the base level (dynamic). */
  levelBaseBytes: number;
  levelSizeRatio: number;
  /** Levels are L0 .. L(maxLevels - 1). */
  maxLevels: number;
  /** Derive the targets from the last level's size (RocksDB) instead of from the top (LevelDB). */
  dynamicLevelBytes?: boolean;
}

export interface LevelTargets {
  /** The level L0 compacts into. */
  baseLevel: number;
  /** Per level (index = level), its target in bytes; undefined for L0, the last level and skipped levels. */
  targets: Array<number | undefined>;
}

export function levelTargets(tables: readonly SstableMeta[], shape: LevelShape): LevelTargets {
  const last = shape.maxLevels - 1;
  const targets: Array<number | undefined> = new Array(shape.maxLevels).fill(undefined);
  if (!shape.dynamicLevelBytes) {
    for (let level = 1; level < last; level++)
      targets[level] = shape.levelBaseBytes * shape.levelSizeRatio ** (level - 1);
    return { baseLevel: Math.min(1, last), targets };
  }
  const bytes = new Array<number>(shape.maxLevels).fill(0);
  for (const t of tables) if (t.level < shape.maxLevels) bytes[t.level]! += t.size;
  // The last level is the deepest one holding data (the bottom level in a new tree): it has no target, it is
  // where the data ends up. A tree that ran with static targets keeps its data where it is.
  let bottom = last;
  while (bottom > 1 && bytes[bottom] === 0 && bytes.slice(1, bottom).some((b) => b > 0)) bottom--;
  const firstWithData = bytes.findIndex((b, level) => level >= 1 && b > 0);
  // Upwards from the bottom: each level levelSizeRatio times smaller, while that is still worth a level.
  const smallest = shape.levelBaseBytes / shape.levelSizeRatio;
  let baseLevel = bottom;
  let size = bytes[bottom]!;
  while (baseLevel > 1 && size / shape.levelSizeRatio >= smallest) {
    size /= shape.levelSizeRatio;
    baseLevel--;
    targets[baseLevel] = Math.round(size);
  }
  // A level above the base that still holds data (the last level shrank) becomes the base, with a target it is
  // over: it drains downwards.
  if (firstWithData > 0 && firstWithData < baseLevel) {
    for (let level = firstWithData; level < baseLevel; level++) targets[level] = Math.round(smallest);
    baseLevel = firstWithData;
  }
  return { baseLevel, targets };
}
