// The compaction picker is a pure function: live tables and options in, a task (or nothing) out. These tests
// build the tables by hand, so every case reads as a small drawing of the tree: L0 [a..f] [c..k], L1 [..].
import { describe, expect, it } from 'vitest';
import { fromHex, type SstableMeta } from '../../../engine';
import { levelTargets } from '../../../engine/compaction/levels';
import { type CompactionOptions, levelScores, pickCompaction } from '../../../engine/compaction/picker';

/** A hand-made table. Keys are given as hex, '10' < '1f' < '20' like the bytes they spell, and kept as bytes. */
function sst(number: number, level: number, smallest: string, largest: string, size = 100, largestSeq = number) {
  return {
    file: `${String(number).padStart(6, '0')}.sst`,
    number,
    level,
    size,
    entries: 10,
    blocks: 1,
    dataBytes: size,
    smallest: fromHex(smallest),
    largest: fromHex(largest),
    smallestSeq: largestSeq,
    largestSeq,
  } satisfies SstableMeta;
}

const LEVELED: CompactionOptions = {
  strategy: 'leveled',
  l0Trigger: 4,
  levelBaseBytes: 1000,
  levelSizeRatio: 10,
  maxLevels: 4,
  tieredMinRuns: 4,
  tieredSizeFactor: 2,
};
const TIERED: CompactionOptions = { ...LEVELED, strategy: 'tiered' };
const OFF: CompactionOptions = { ...LEVELED, strategy: 'off' };

const files = (tables: readonly SstableMeta[]) => tables.map((t) => t.file).sort();

describe('Leveled picker', () => {
  const l1 = [sst(20, 1, '10', '1f'), sst(21, 1, '20', '2f'), sst(22, 1, '30', '3f'), sst(23, 1, '40', '4f')];

  it('L0BelowTheTriggerNeedsNothing', () => {
    const l0 = [sst(1, 0, '10', '50'), sst(2, 0, '15', '25'), sst(3, 0, '30', '35')];
    expect(pickCompaction([...l0, ...l1], LEVELED)).toBeUndefined();
  });

  it('L0AtTheTrigger: every L0 file and the L1 files they overlap go to L1', () => {
    const l0 = [sst(1, 0, '12', '18'), sst(2, 0, '15', '25'), sst(3, 0, '14', '16'), sst(4, 0, '11', '22')];
    const task = pickCompaction([...l0, ...l1], LEVELED)!;
    expect(task).toBeDefined();
    expect(task.strategy).toBe('leveled');
    expect(task.reason).toContain('L0 has 4 files');
    expect(task.score).toBe(1);
    expect(files(task.inputs)).toEqual(files([...l0, l1[0]!, l1[1]!]));
    expect(task.inputLevels).toEqual([0, 1]);
    expect(task.outputLevel).toBe(1);
    expect(task.trivialMove).toBe(false);
  });

  it('L0FilesThatDoNotOverlapEachOther still go down together, with every L1 file in their span', () => {
    // L1 [20..2f] touches none of the L0 files but lies inside their combined range: it must be merged too,
    // or L1 would end up with overlapping files.
    const l0 = [sst(1, 0, '10', '11'), sst(2, 0, '12', '13'), sst(3, 0, '31', '32'), sst(4, 0, '33', '34')];
    const task = pickCompaction([...l0, ...l1], LEVELED)!;
    expect(files(task.inputs)).toEqual(files([...l0, l1[0]!, l1[1]!, l1[2]!]));
    expect(task.trivialMove).toBe(false);
  });

  it('L1OverItsTarget: one L1 file and the L2 files it overlaps', () => {
    const big = l1.map((t) => ({ ...t, size: 400 })); // 1600 bytes, target 1000
    const l2 = [sst(30, 2, '00', '15', 500), sst(31, 2, '16', '1a', 500), sst(32, 2, '1b', '35', 500)];
    const task = pickCompaction([...big, ...l2], LEVELED)!;
    expect(task.reason).toMatch(/^L1 holds 1\.6 KiB, over its 1000 B target$/);
    expect(task.score).toBeCloseTo(1.6);
    expect(task.inputs.filter((t) => t.level === 1)).toHaveLength(1);
    expect(files(task.inputs)).toEqual(files([big[0]!, ...l2]));
    expect(task.inputLevels).toEqual([1, 2]);
    expect(task.outputLevel).toBe(2);
    expect(task.trivialMove).toBe(false);
  });

  it('TheWorstLevelGoesFirst: L0 at 1.25 of its trigger loses to L1 at 2.0 of its target', () => {
    const l0 = [1, 2, 3, 4, 5].map((n) => sst(n, 0, '10', '20'));
    const big = l1.map((t) => ({ ...t, size: 500 })); // 2000 of 1000
    expect(pickCompaction([...l0, ...big], LEVELED)).toMatchObject({ inputLevels: [1], outputLevel: 2 });
    const bigger = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => sst(n, 0, '10', '20')); // 9 / 4 = 2.25
    expect(pickCompaction([...bigger, ...big], LEVELED)).toMatchObject({ outputLevel: 1 });
  });

  it('RoundRobinCursor: the next file after the cursor key, wrapping at the end of the level', () => {
    const big = l1.map((t) => ({ ...t, size: 400 }));
    const pick = (cursor?: string) => {
      const cursors = new Map(cursor === undefined ? [] : [[1, fromHex(cursor)]]);
      return pickCompaction(big, LEVELED, cursors)!.inputs.map((t) => t.file);
    };
    expect(pick()).toEqual([big[0]!.file]);
    expect(pick('1f')).toEqual([big[1]!.file]);
    expect(pick('2f')).toEqual([big[2]!.file]);
    expect(pick('3f')).toEqual([big[3]!.file]);
    expect(pick('4f')).toEqual([big[0]!.file]);
    expect(pick('ff')).toEqual([big[0]!.file]);
    // The cursor only steers its own level.
    expect(pickCompaction(big, LEVELED, new Map([[2, fromHex('2f')]]))!.inputs.map((t) => t.file)).toEqual([
      big[0]!.file,
    ]);
  });

  it('TrivialMove: an L1 file with nothing under it moves down without a rewrite', () => {
    const big = l1.map((t) => ({ ...t, size: 400 }));
    const l2 = [sst(30, 2, '50', '60', 500)];
    const task = pickCompaction([...big, ...l2], LEVELED)!;
    expect(task).toMatchObject({ trivialMove: true, inputLevels: [1], outputLevel: 2 });
    expect(task.inputs).toEqual([big[0]]);
    // With something to merge with, it is not a move.
    const under = [sst(30, 2, '18', '19', 500)];
    expect(pickCompaction([...big, ...under], LEVELED)).toMatchObject({ trivialMove: false, inputLevels: [1, 2] });
  });

  it('TrivialMoveOnlyWhenTheGrandparentOverlapIsWithinTheLimit (LevelDB IsTrivialMove)', () => {
    const big = l1.map((t) => ({ ...t, size: 400 }));
    // L1 [10..1f] over nothing in L2; in L3 beneath it, 300 bytes overlap it ([12..14] and [16..1a]), 900 do not.
    const l3 = [sst(40, 3, '12', '14', 150), sst(41, 3, '16', '1a', 150), sst(42, 3, '20', '90', 900)];
    const within = pickCompaction([...big, ...l3], { ...LEVELED, maxLevels: 5, maxGrandparentOverlapBytes: 300 })!;
    expect(within).toMatchObject({ trivialMove: true, inputLevels: [1], outputLevel: 2 });
    // One byte less allowed: the file is rewritten (and split by the splitter) instead of moved.
    const over = pickCompaction([...big, ...l3], { ...LEVELED, maxLevels: 5, maxGrandparentOverlapBytes: 299 })!;
    expect(over).toMatchObject({ trivialMove: false, inputLevels: [1], outputLevel: 2 });
    expect(over.inputs).toEqual([big[0]]);
  });

  it('L0NeverMovesTrivially, even a lone file over an empty L1 (its files may overlap)', () => {
    const task = pickCompaction([sst(1, 0, '10', '20')], { ...LEVELED, l0Trigger: 1 })!;
    expect(task).toMatchObject({ trivialMove: false, outputLevel: 1, inputLevels: [0] });
  });

  it('DropTombstones only when no deeper level overlaps the output range', () => {
    const l0 = [1, 2, 3, 4].map((n) => sst(n, 0, '12', '18'));
    // Output range: L0 [12..18] merged with L1 [10..1f] -> [10..1f].
    const overlapping = [sst(40, 2, '1e', '25', 50)];
    const elsewhere = [sst(40, 2, '20', '25', 50), sst(41, 3, '00', '0f', 50)];
    const deeperStill = [sst(41, 3, '05', '10', 50)];
    expect(pickCompaction([...l0, l1[0]!, ...overlapping], LEVELED)!.dropTombstones).toBe(false);
    expect(pickCompaction([...l0, l1[0]!, ...elsewhere], LEVELED)!.dropTombstones).toBe(true);
    expect(pickCompaction([...l0, l1[0]!, ...deeperStill], LEVELED)!.dropTombstones).toBe(false);
    expect(pickCompaction([...l0, l1[0]!], LEVELED)!.dropTombstones).toBe(true);
    // The output level itself does not count: its overlapping files are inputs.
    expect(pickCompaction([...l0, ...l1], LEVELED)!.dropTombstones).toBe(true);
  });

  it('TheLastLevelIsNeverPicked, however big it grows', () => {
    const last = [sst(50, 3, '00', '7f', 10_000_000), sst(51, 3, '80', 'ff', 10_000_000)];
    expect(pickCompaction(last, LEVELED)).toBeUndefined();
    const scores = levelScores(last, LEVELED);
    expect(scores.find((s) => s.level === 3)).toMatchObject({ target: undefined, score: 0, files: 2 });
    // L2 over its target goes into L3; L3 stays where it is.
    const l2 = [sst(30, 2, '10', '20', 20_000)];
    expect(pickCompaction([...l2, ...last], LEVELED)).toMatchObject({ outputLevel: 3, inputLevels: [2, 3] });
    expect(pickCompaction([...l2, ...last], { ...LEVELED, maxLevels: 3 })).toBeUndefined();
  });

  it('LevelScoresReportFilesBytesAndTargets', () => {
    const tables = [sst(1, 0, '10', '20', 70), sst(2, 0, '10', '20', 30), ...l1, sst(30, 2, '00', 'ff', 2500)];
    expect(levelScores(tables, LEVELED)).toEqual([
      { level: 0, files: 2, bytes: 100, target: 4, score: 0.5 },
      { level: 1, files: 4, bytes: 400, target: 1000, score: 0.4 },
      { level: 2, files: 1, bytes: 2500, target: 10_000, score: 0.25 },
    ]);
    // L1 is always listed, even empty; tiered and off have no targets.
    expect(levelScores([], LEVELED)).toEqual([
      { level: 0, files: 0, bytes: 0, target: 4, score: 0 },
      { level: 1, files: 0, bytes: 0, target: 1000, score: 0 },
    ]);
    for (const options of [TIERED, OFF]) {
      expect(levelScores(tables, options).map((s) => [s.target, s.score])).toEqual([
        [undefined, 0],
        [undefined, 0],
        [undefined, 0],
      ]);
    }
  });
});

describe('Tiered picker', () => {
  /** Runs newest first: run i has sequence numbers below run i - 1's. */
  const runs = (sizes: number[]) => sizes.map((size, i) => sst(100 - i, 0, '10', '80', size, 1000 - 10 * i));

  it('FourSimilarNeighbours are merged into one run', () => {
    const tables = runs([100, 110, 90, 105]);
    const task = pickCompaction(tables, TIERED)!;
    expect(task).toMatchObject({ strategy: 'tiered', inputLevels: [0], outputLevel: 0, trivialMove: false, score: 1 });
    expect(files(task.inputs)).toEqual(files(tables));
    expect(task.reason).toContain('4 runs of similar size');
    expect(pickCompaction(tables.slice(0, 3), TIERED)).toBeUndefined();
  });

  it('AGroupTakesEverySimilarNeighbour, not just the minimum', () => {
    const tables = runs([100, 100, 100, 100, 100, 100]);
    expect(pickCompaction(tables, TIERED)!.inputs).toHaveLength(6);
  });

  it('ARunFarLargerBreaksTheGroup, and runs on either side of it are never grouped', () => {
    // Newest first: two small runs, a huge one, three small ones. Six small runs in all, but no four of them
    // are neighbours: merging them across the big run would put older values in front of newer ones.
    const tables = runs([100, 100, 5000, 100, 100, 100]);
    expect(pickCompaction(tables, TIERED)).toBeUndefined();
    // One more small run at the old end makes four neighbours: those are merged, the newer two are not.
    const more = runs([100, 100, 5000, 100, 100, 100, 100]);
    const task = pickCompaction(more, TIERED)!;
    expect(files(task.inputs)).toEqual(files(more.slice(3)));
  });

  it('OnlyNeighboursInAgeAreGrouped, whatever their file numbers', () => {
    // Ages by sequence number: newest a, b, big, c, d, e. File numbers scrambled.
    const a = sst(7, 0, '10', '20', 100, 60);
    const b = sst(3, 0, '10', '20', 100, 50);
    const big = sst(9, 0, '10', '20', 9000, 40);
    const c = sst(1, 0, '10', '20', 100, 30);
    const d = sst(8, 0, '10', '20', 100, 20);
    const e = sst(2, 0, '10', '20', 100, 10);
    expect(pickCompaction([e, a, c, big, d, b], TIERED)).toBeUndefined();
    const f = sst(4, 0, '10', '20', 100, 5);
    expect(files(pickCompaction([e, f, a, c, big, d, b], TIERED)!.inputs)).toEqual(files([c, d, e, f]));
  });

  it('DropTombstones only when the group includes the oldest run', () => {
    const withOldest = runs([5000, 100, 100, 100, 100]);
    expect(pickCompaction(withOldest, TIERED)).toMatchObject({ dropTombstones: true });
    const withoutOldest = runs([100, 100, 100, 100, 5000]);
    const task = pickCompaction(withoutOldest, TIERED)!;
    expect(files(task.inputs)).toEqual(files(withoutOldest.slice(0, 4)));
    expect(task.dropTombstones).toBe(false);
  });

  it('DropTombstones is false while older data sits below L0 (a tree that was leveled before)', () => {
    // setOptions can switch a leveled tree to tiered: its L1 holds values older than every L0 run. A tombstone
    // in the oldest run still hides one of them, so it must not be dropped.
    const tables = [...runs([100, 100, 100, 100]), sst(50, 1, '00', 'ff', 4000, 1)];
    const task = pickCompaction(tables, TIERED)!;
    expect(task.inputs.every((t) => t.level === 0)).toBe(true);
    expect(task.dropTombstones).toBe(false);
  });

  it('SizeFactorDecidesSimilar: within 2x of the group average', () => {
    expect(pickCompaction(runs([100, 100, 100, 190]), TIERED)).toBeDefined();
    expect(pickCompaction(runs([100, 100, 100, 400]), TIERED)).toBeUndefined();
    expect(pickCompaction(runs([100, 100, 100, 400]), { ...TIERED, tieredSizeFactor: 4 })).toBeDefined();
    expect(pickCompaction(runs([100, 100, 100, 400]), { ...TIERED, tieredMinRuns: 3 })!.inputs).toHaveLength(3);
  });

  it('TieredNeverTouchesDeeperLevels', () => {
    const deeper = [sst(50, 1, '00', '0f', 100), sst(51, 1, '10', '1f', 100), sst(52, 1, '20', '2f', 100)];
    expect(pickCompaction([...deeper, sst(53, 1, '30', '3f', 100)], TIERED)).toBeUndefined();
  });
});

describe('Compaction off', () => {
  it('PicksNothingEver, however full the levels', () => {
    const crowded = [
      ...Array.from({ length: 40 }, (_, i) => sst(i + 1, 0, '10', '80', 100)),
      sst(60, 1, '00', 'ff', 1_000_000),
      sst(61, 2, '00', 'ff', 100_000_000),
    ];
    expect(pickCompaction(crowded, OFF)).toBeUndefined();
    expect(pickCompaction(crowded, OFF, new Map([[1, fromHex('00')]]))).toBeUndefined();
    expect(pickCompaction([], OFF)).toBeUndefined();
    // The same tables do need compaction under the other strategies: 'off' is what stops it.
    expect(pickCompaction(crowded, LEVELED)).toBeDefined();
    expect(pickCompaction(crowded, TIERED)).toBeDefined();
  });
});

describe('Dynamic level targets (RocksDB level_compaction_dynamic_level_bytes)', () => {
  const DYNAMIC: CompactionOptions = { ...LEVELED, maxLevels: 5, dynamicLevelBytes: true };

  it('EmptyTree: L0 compacts straight into the last level', () => {
    const l0 = [1, 2, 3, 4].map((n) => sst(n, 0, '10', '40'));
    expect(levelTargets([], DYNAMIC)).toEqual({
      baseLevel: 4,
      targets: [undefined, undefined, undefined, undefined, undefined],
    });
    expect(pickCompaction(l0, DYNAMIC)).toMatchObject({ inputLevels: [0], outputLevel: 4, dropTombstones: true });
  });

  it('TargetsFromTheLastLevel: each level ratio times smaller, down to levelBaseBytes / ratio', () => {
    const last = [sst(50, 4, '10', '4f', 25_000)];
    // 25,000 / 10 = 2,500 (L3), 250 (L2), then 25 would be under 1000 / 10: L2 is the base level.
    expect(levelTargets(last, DYNAMIC)).toEqual({
      baseLevel: 2,
      targets: [undefined, undefined, 250, 2500, undefined],
    });
    const l0 = [1, 2, 3, 4].map((n) => sst(n, 0, '10', '40'));
    expect(pickCompaction([...l0, ...last], DYNAMIC)).toMatchObject({ outputLevel: 2, dropTombstones: false });
    // Static targets ignore the data: L1 = 1000, L2 = 10,000, ...; L0 goes to L1.
    expect(levelTargets(last, LEVELED).baseLevel).toBe(1);
    expect(pickCompaction([...l0, ...last], LEVELED)).toMatchObject({ outputLevel: 1 });
  });

  it('LevelAboveTheBase: data left above the base level drains down', () => {
    const tables = [sst(40, 1, '10', '1f', 150), sst(50, 4, '10', '4f', 25_000)];
    const { baseLevel, targets } = levelTargets(tables, DYNAMIC);
    expect(baseLevel).toBe(1);
    // Its target is the smallest a level may have (1000 / 10): it holds more, so it goes down.
    expect(targets[1]).toBe(100);
    expect(pickCompaction(tables, DYNAMIC)).toMatchObject({ inputLevels: [1], outputLevel: 2 });
  });

  it('L0ByBytes: L0 goes down once it holds more than its base level, before the file trigger', () => {
    const last = [sst(50, 4, '10', '4f', 2000)];
    const l0 = [sst(1, 0, '10', '40', 150), sst(2, 0, '10', '40', 150)];
    expect(pickCompaction([...l0, ...last], { ...DYNAMIC, dynamicLevelBytes: false, maxLevels: 5 })).toBeUndefined();
    const scores = levelScores([...l0, ...last], DYNAMIC);
    expect(scores[0]!.score).toBeCloseTo(300 / 200);
    expect(pickCompaction([...l0, ...last], DYNAMIC)).toMatchObject({ inputLevels: [0], outputLevel: 3 });
  });
});
