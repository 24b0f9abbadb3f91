// LevelDB's introspection (introspect.ts): property('stats') prints leveldb.stats' table (per level: files, size,
// and the time and bytes of the work that wrote into it), property('num-files-at-level<N>') counts a level's files,
// and approximateSize estimates a key range's bytes from the tables' index blocks, as GetApproximateSizes does
// (LevelDB's db_test ApproximateSizes: an empty range is about 0, the whole range about the tables' bytes, and a
// range's estimate grows with the keys it holds).
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { pad } from '../support/tree';

const OPTIONS: LsmOptions = {
  memtableBytes: 4096,
  l0Trigger: 2,
  blockSize: 256,
  compaction: 'leveled',
  dynamicLevelBytes: false,
  bloomBitsPerKey: 0,
};

const value = (i: number) => utf8(`value-${i}-${'x'.repeat(90)}`);

async function filled(keys: number): Promise<LsmTree> {
  const db = await LsmTree.open(new MemoryStorage(), OPTIONS);
  for (let i = 0; i < keys; i++) await db.put(utf8(`k${pad(i)}`), value(i));
  await db.flush();
  return db;
}

describe('property', () => {
  it('NumFilesAtLevel counts each level, as describe() does', async () => {
    const db = await filled(400);
    const { tables } = await db.describe();
    for (let level = 0; level < 7; level++) {
      expect(await db.property(`num-files-at-level${level}`)).toBe(
        String(tables.filter((t) => t.level === level).length),
      );
      expect(await db.property(`leveldb.num-files-at-level${level}`)).toBe(
        await db.property(`num-files-at-level${level}`),
      );
    }
    expect(tables.some((t) => t.level >= 1)).toBe(true);
    expect(await db.property('num-files-at-level99')).toBeUndefined();
    expect(await db.property('no-such-property')).toBeUndefined();
  });

  it('Stats prints leveldb.stats: a line per level with files, size, and the compactions into it', async () => {
    const db = await filled(400);
    const text = (await db.property('stats'))!;
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '                               Compactions',
      'Level  Files Size(MB) Time(sec) Read(MB) Write(MB)',
      '--------------------------------------------------',
    ]);
    const { tables } = await db.describe();
    const stats = await db.stats();
    const rows = lines.slice(3).map((line) => line.trim().split(/\s+/).map(Number));
    for (const [level, files, sizeMb, seconds, readMb, writeMb] of rows) {
      const here = tables.filter((t) => t.level === level!);
      expect(files).toBe(here.length);
      expect(sizeMb).toBeCloseTo(here.reduce((sum, t) => sum + t.size, 0) / 1048576, 3);
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(readMb).toBeGreaterThanOrEqual(0);
      expect(writeMb).toBeGreaterThanOrEqual(0);
    }
    // Level 0 was written by flushes: about the 400 entries' bytes.
    expect(rows[0]![5]).toBeGreaterThan(0.03);
    // Level 0 is written by flushes; deeper levels by compactions: what they wrote is what stats() counts.
    expect(rows[0]![0]).toBe(0);
    const written = rows.slice(1).reduce((sum, row) => sum + row[5]!, 0);
    expect(written).toBeCloseTo(stats.compactionBytesWritten / 1048576, 2);
    expect(await db.property('leveldb.stats')).toBe(text);
  });
});

describe('approximateSize', () => {
  it('An empty range is 0, the whole range the tables bytes, and it grows with the keys in the range', async () => {
    const db = await filled(600);
    const { tables } = await db.describe();
    const total = tables.reduce((sum, t) => sum + t.size, 0);
    expect(await db.approximateSize()).toBe(total);
    expect(await db.approximateSize({ start: utf8('k0100'), end: utf8('k0100') })).toBe(0);
    expect(await db.approximateSize({ end: utf8('a') })).toBe(0);
    expect(await db.approximateSize({ start: utf8('z') })).toBe(0);
    // LevelDB's Between(size, low, high): each range of 100 keys of ~110 bytes is about 100 entries' bytes,
    // give or take a block at each end.
    const entry = 17 + 5 + value(0).length;
    let previous = 0;
    for (let end = 100; end <= 600; end += 100) {
      const part = await db.approximateSize({ start: utf8(`k${pad(end - 100)}`), end: utf8(`k${pad(end)}`) });
      expect(part).toBeGreaterThan(100 * entry - 2 * 512);
      expect(part).toBeLessThan(100 * entry * 1.3 + 2 * 512);
      const prefix = await db.approximateSize({ end: utf8(`k${pad(end)}`) });
      expect(prefix).toBeGreaterThan(previous);
      previous = prefix;
    }
  });

  it('Does not count the memtable, as LevelDB does not', async () => {
    const db = await LsmTree.open(new MemoryStorage(), OPTIONS);
    for (let i = 0; i < 20; i++) await db.put(utf8(`k${pad(i)}`), value(i));
    expect(await db.approximateSize()).toBe(0);
    await db.flush();
    expect(await db.approximateSize()).toBeGreaterThan(20 * value(0).length);
  });
});
