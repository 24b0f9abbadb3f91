// Bounded compactions, after LevelDB's SparseMerge test: a little data under prefix A, a lot under B, a little
// under C; then a sparse update touches all three. Without a bound, one output file can span most of the level
// below, and the compaction that later pushes it down reads all of it. With LevelDB's rule (close an output file
// before it overlaps more than 10 × targetFileBytes of the level below its output level), no file overlaps much
// more than that.
//
// Figures printed: the largest next-level overlap and the largest single compaction input, with and without
// the bound.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, type SstableInfo, utf8 } from '../../../engine';
import { figure } from '../support/crash';
import { seededRandom } from '../support/random';
import { expectSortedDisjointLevels, text } from '../support/tree';

const FILE = 16 * 1024;
const VALUE = utf8('x'.repeat(100));

/** The most bytes any file of L1+ overlaps in the level below it (LevelDB's MaxNextLevelOverlappingBytes). */
function maxNextLevelOverlap(tables: readonly SstableInfo[]): number {
  let max = 0;
  for (const t of tables) {
    if (t.level === 0) continue;
    const below = tables.filter((u) => u.level === t.level + 1 && !(u.largest < t.smallest || u.smallest > t.largest));
    max = Math.max(
      max,
      below.reduce((sum, u) => sum + u.size, 0),
    );
  }
  return max;
}

async function sparseMerge(options: LsmOptions) {
  const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: FILE, targetFileBytes: FILE, ...options });
  let largestInput = 0;
  let sparsePhase = false;
  db.subscribe((e) => {
    if (e.type === 'compaction.end' && sparsePhase) largestInput = Math.max(largestInput, e.bytesRead);
  });
  await db.put(utf8('A'), utf8('va'));
  // In a shuffled order, so that compactions really merge (written in order, every file would just move down).
  const random = seededRandom(12);
  // 16,000 keys: enough bytes for several full levels also in prefix-compressed tables (12,000 were, uncompressed).
  const order = Array.from({ length: 16_000 }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order) await db.put(utf8(`B${String(i).padStart(10, '0')}`), VALUE);
  await db.put(utf8('C'), utf8('vc'));
  await db.flush();
  await db.compact();
  sparsePhase = true;
  // LevelDB's test compacts the update's L0 file at once (TEST_CompactRange(0)); so does a trigger of 1.
  await db.setOptions({ l0Trigger: 1 });
  // The sparse update: one key in each prefix, spanning the whole key range.
  await db.put(utf8('A'), utf8('va2'));
  await db.put(utf8('B0000006000'), utf8('bvalue2'));
  await db.put(utf8('C'), utf8('vc2'));
  await db.flush();
  await db.compact();
  const overlap = maxNextLevelOverlap((await db.describe()).tables);
  // Then, as LevelDB's test does with TEST_CompactRange, push every level down: each step reads one file and
  // what it overlaps below, so the wide files an unbounded compaction wrote make wide steps.
  await db.compactRange();
  const { tables } = await db.describe();
  expectSortedDisjointLevels(tables);
  expect(text(await db.get(utf8('B0000006000')))).toBe('bvalue2');
  expect(text(await db.get(utf8('C')))).toBe('vc2');
  const largestFile = Math.max(...tables.map((t) => t.size));
  await db.close();
  return { overlap, largestInput, largestFile, deepest: Math.max(...tables.map((t) => t.level), 0) };
}

describe('bounded compactions', () => {
  it('SparseMerge: no output file overlaps more than 10 × targetFileBytes of the level below', async () => {
    // Static level targets: the shape LevelDB's test has (several levels, each full).
    const bounded = await sparseMerge({ dynamicLevelBytes: false });
    const unbounded = await sparseMerge({ dynamicLevelBytes: false, grandparentOverlapFactor: 1_000_000 });
    console.log(
      `sparse merge, 16 KiB files: largest next-level overlap ${figure(bounded.overlap)} B (unbounded: ${figure(unbounded.overlap)} B), ` +
        `largest compaction input ${figure(bounded.largestInput)} B (unbounded: ${figure(unbounded.largestInput)} B)`,
    );
    expect(bounded.deepest).toBeGreaterThanOrEqual(2);
    // The rule counts the grandparents a file passes entirely; the ones at either end it only touches add at
    // most one file each.
    expect(bounded.overlap).toBeLessThanOrEqual(10 * FILE + 2 * bounded.largestFile);
    expect(unbounded.overlap).toBeGreaterThan(10 * FILE + 2 * unbounded.largestFile);
    // One step of the range compaction: a file, the 10 × FILE it may overlap, and the two files at its ends.
    expect(bounded.largestInput).toBeLessThanOrEqual(11 * FILE + 3 * bounded.largestFile);
    expect(unbounded.largestInput).toBeGreaterThan(bounded.largestInput);
  }, 60_000);
});
