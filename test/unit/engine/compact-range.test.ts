// compactRange (LevelDB's CompactRange): every file overlapping [start, end) is pushed down to the last level that
// holds data, dropping shadowed versions and tombstones. The figure printed: the share of bytes freed by deleting
// every key, then compact() (which finds no level that "needs" it) against compactRange().
import { describe, expect, it } from 'vitest';
import { ErrorCode, type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { eventLog } from '../support/events';
import { expectOnlyLiveFiles, expectSortedDisjointLevels, pad, scanAll, text } from '../support/tree';

async function storedBytes(storage: MemoryStorage): Promise<number> {
  let bytes = 0;
  for (const name of await storage.list()) bytes += storage.snapshot(name).length;
  return bytes;
}

describe('compactRange', () => {
  it('DeleteAllThenCompactRange: the space of deleted keys comes back', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { memtableBytes: 4096 });
    for (let i = 0; i < 1000; i++) await db.put(utf8(`key${pad(i)}`), utf8(`value-${i}-${'x'.repeat(20)}`));
    await db.flush();
    for (let i = 0; i < 1000; i++) await db.delete(utf8(`key${pad(i)}`));
    await db.flush();
    const before = await storedBytes(storage);
    const tablesBefore = (await db.describe()).tables.reduce((sum, t) => sum + t.size, 0);
    await db.compact();
    const afterCompact = await storedBytes(storage);
    const done = await db.compactRange();
    const afterRange = await storedBytes(storage);
    const state = await db.describe();
    console.log(
      `delete all 1,000 keys: compact() frees ${((1 - afterCompact / before) * 100).toFixed(1)} % of ${before} B ` +
        `(SSTables ${tablesBefore} B); ` +
        `compactRange() frees ${((1 - afterRange / before) * 100).toFixed(1)} % (${done.compactions} compactions, ` +
        `${done.bytesRead} B read, ${done.bytesWritten} B written, ${done.entriesDropped} entries dropped)`,
    );
    expect(state.tables).toEqual([]);
    expect(tablesBefore).toBeGreaterThan(0);
    expect(done.entriesDropped).toBeGreaterThan(0);
    // What is left is the manifest and the (empty) WAL.
    expect(afterRange).toBe(state.manifest.size + state.wal.size);
    expect(await scanAll(db)).toEqual([]);
    await expectOnlyLiveFiles(storage, state);
    await db.close();
  });

  it('OnlyTheRange: files outside [start, end) stay where they are; inside, one version per key at the bottom', async () => {
    const log = eventLog();
    const options: LsmOptions = { memtableBytes: 1024, dynamicLevelBytes: false, l0Trigger: 2, blockSize: 256 };
    const db = await LsmTree.open(new MemoryStorage(), { ...options, onEvent: log.record });
    const expected = new Map<string, string>();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 300; i += 1 + round) {
        const key = `key${pad(i)}`;
        if (round === 5 && i % 2 === 0) {
          await db.delete(utf8(key));
          expected.delete(key);
        } else {
          await db.put(utf8(key), utf8(`r${round}`));
          expected.set(key, `r${round}`);
        }
      }
    }
    const before = await db.describe();
    const start = utf8('key0100');
    const end = utf8('key0200');
    const startHex = Buffer.from(start).toString('hex');
    const endHex = Buffer.from(end).toString('hex');
    const outside = before.tables.filter((t) => t.largest < startHex || t.smallest >= endHex);
    log.clear();
    const done = await db.compactRange({ start, end });
    const after = await db.describe();
    expect(done.compactions).toBeGreaterThan(0);
    expect(log.of('compaction.end')).toHaveLength(done.compactions);
    expectSortedDisjointLevels(after.tables);
    // What lies wholly outside the range and was not merged with what lies inside is untouched.
    const touched = new Set(log.of('compaction.begin').flatMap((e) => e.inputs));
    for (const t of outside.filter((t) => !touched.has(t.file)))
      expect(after.tables.map((u) => u.file)).toContain(t.file);
    // Inside the range, everything is at the deepest level, and every entry there is a live key's only version.
    const deepest = Math.max(...after.tables.map((t) => t.level));
    const inside = after.tables.filter((t) => !(t.largest < startHex || t.smallest >= endHex));
    expect(inside.every((t) => t.level === deepest)).toBe(true);
    for (const [key, value] of expected) expect(text(await db.get(utf8(key)))).toBe(value);
    expect((await scanAll(db)).map(([k]) => text(k))).toEqual([...expected.keys()].sort());
    expect((await scanAll(db, { start, end })).length).toBe(
      [...expected.keys()].filter((k) => k >= 'key0100' && k < 'key0200').length,
    );
    await db.close();
  });

  it('WholeTree: afterwards the tables hold exactly the live keys, once each', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 512, l0Trigger: 2, blockSize: 128 });
    const live = new Set<string>();
    for (let n = 0; n < 1500; n++) {
      const key = `k${pad((n * 37) % 211)}`;
      if (n % 5 === 4) {
        await db.delete(utf8(key));
        live.delete(key);
      } else {
        await db.put(utf8(key), utf8(`v${n}`));
        live.add(key);
      }
    }
    await db.compactRange();
    const state = await db.describe();
    expect(state.memtable).toEqual([]);
    expect(state.tables.reduce((sum, t) => sum + t.entries, 0)).toBe(live.size);
    expect(new Set(state.tables.map((t) => t.level)).size).toBe(1);
    await db.close();
  });

  it('EmptyOrReversedRange does nothing; bad bounds are refused', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 256 });
    for (let i = 0; i < 50; i++) await db.put(utf8(`k${pad(i)}`), utf8('v'));
    const before = await db.describe();
    expect(await db.compactRange({ start: utf8('k9'), end: utf8('k1') })).toEqual({
      compactions: 0,
      bytesRead: 0,
      bytesWritten: 0,
      entriesDropped: 0,
      entriesFiltered: 0,
    });
    expect(await db.describe()).toEqual(before);
    await expect(db.compactRange({ start: new Uint8Array(0) })).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    await db.close();
  });
});

describe('compactRange with a single level', () => {
  it('OnlyL0: with maxLevels 1 nothing can go down, and no tombstone is dropped from under an older value', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 1 << 20, maxLevels: 1, compaction: 'off' });
    await db.put(utf8('a'), utf8('old'));
    await db.flush();
    await db.delete(utf8('a'));
    await db.flush();
    expect(await db.compactRange()).toMatchObject({ compactions: 0 });
    expect(await db.get(utf8('a'))).toBeUndefined();
    expect((await db.describe()).tables).toHaveLength(2);
    await db.close();
  });
});
