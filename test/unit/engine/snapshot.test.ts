// Snapshots (MVCC): a snapshot is a sequence number, and a read given it sees each key's newest version at or below
// it. While it lives, flushes and compactions keep the versions it sees; once released, they go. A scan without a
// snapshot reads at one taken when it starts, so writes landing in its middle do not show.
//
// Figure printed: what a 1,000-key scan returns while writes land in its middle.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { eventLog } from '../support/events';
import { pad, scanAll, text } from '../support/tree';

const keyOf = (i: number) => utf8(`key${pad(i)}`);

describe('snapshots', () => {
  it('GetAtSnapshot: the old value stays readable through overwrites, deletes, flushes and compactions', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 256, l0Trigger: 2, onEvent: log.record });
    await db.put(utf8('a'), utf8('1'));
    await db.put(utf8('b'), utf8('1'));
    const snapshot = await db.snapshot();
    await db.put(utf8('a'), utf8('2'));
    await db.delete(utf8('b'));
    await db.put(utf8('c'), utf8('new'));
    expect(text(await db.get(utf8('a'), { snapshot }))).toBe('1');
    expect(text(await db.get(utf8('b'), { snapshot }))).toBe('1');
    expect(await db.get(utf8('c'), { snapshot })).toBeUndefined();
    // Bury the old versions under many flushes and compactions, then push everything to the bottom.
    for (let i = 0; i < 200; i++) await db.put(keyOf(i % 40), utf8(`v${i}`));
    await db.compactRange();
    expect(text(await db.get(utf8('a'), { snapshot }))).toBe('1');
    expect(text(await db.get(utf8('b'), { snapshot }))).toBe('1');
    expect(text(await db.get(utf8('a')))).toBe('2');
    expect(await db.get(utf8('b'))).toBeUndefined();
    expect(log.of('snapshot.kept').length).toBeGreaterThan(0);
    expect(log.of('snapshot.take')).toMatchObject([{ seq: snapshot.seq, live: [snapshot.seq] }]);
    // Released: the next range compaction drops what only the snapshot saw.
    snapshot.release();
    expect(log.of('snapshot.release')).toMatchObject([{ seq: snapshot.seq, live: [] }]);
    await db.compactRange();
    const state = await db.describe();
    expect(state.tables.reduce((sum, t) => sum + t.entries, 0)).toBe((await scanAll(db)).length);
    await db.close();
  });

  it('ManySnapshots: each sees its own moment, and compaction keeps one version per snapshot', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 512, l0Trigger: 2, blockSize: 64 });
    const moments: Array<{ snapshot: Awaited<ReturnType<LsmTree['snapshot']>>; values: Map<number, string> }> = [];
    const values = new Map<number, string>();
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 30; i++) {
        if ((i + round) % 7 === 0) {
          await db.delete(keyOf(i));
          values.delete(i);
        } else {
          await db.put(keyOf(i), utf8(`r${round}`));
          values.set(i, `r${round}`);
        }
      }
      moments.push({ snapshot: await db.snapshot(), values: new Map(values) });
    }
    await db.compactRange();
    for (const { snapshot, values: then } of moments) {
      for (let i = 0; i < 30; i++) expect(text(await db.get(keyOf(i), { snapshot }))).toBe(then.get(i));
      const pairs = (await scanAll(db, { snapshot })).map(([k, v]) => [text(k), text(v)]);
      expect(pairs).toEqual([...then].sort(([a], [b]) => a - b).map(([i, v]) => [`key${pad(i)}`, v]));
    }
    // Every version a snapshot sees, and no other, is on storage: 8 moments × 30 keys at most.
    const entries = (await db.describe()).tables.reduce((sum, t) => sum + t.entries, 0);
    expect(entries).toBeLessThanOrEqual(8 * 30);
    for (const { snapshot } of moments) snapshot.release();
    await db.compactRange();
    expect((await db.describe()).tables.reduce((sum, t) => sum + t.entries, 0)).toBe(values.size);
    await db.close();
  });

  it('ScanWithWritesInItsMiddle: a scan returns the tree as it was when it started', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 2048, l0Trigger: 2 });
    for (let i = 0; i < 2000; i += 2) await db.put(keyOf(i), utf8('before'));
    const seen: Array<[string, string]> = [];
    let writes = 0;
    for await (const [key, value] of db.scan()) {
      seen.push([text(key)!, text(value)!]);
      if (seen.length === 500) {
        // In its middle: new keys ahead of it and behind it, overwrites and deletes, and enough to flush and compact.
        for (let i = 1; i < 2000; i += 20) {
          await db.put(keyOf(i), utf8('after'));
          await db.put(keyOf(i + 1), utf8('after'));
          await db.delete(keyOf(i + 3));
          writes += 3;
        }
        await db.compactRange();
      }
    }
    const afterwards = seen.filter(([, value]) => value === 'after').length;
    console.log(
      `a 1,000-key scan with ${writes} writes, flushes and a compactRange in its middle returned ${seen.length} pairs, ${afterwards} of them written after it began`,
    );
    expect(seen).toHaveLength(1000);
    expect(afterwards).toBe(0);
    expect(seen.map(([k]) => k)).toEqual(Array.from({ length: 1000 }, (_, i) => `key${pad(2 * i)}`));
    await db.close();
  });

  it('AbandonedScanReleasesItsSnapshot', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { onEvent: log.record });
    for (let i = 0; i < 600; i++) await db.put(keyOf(i), utf8('v'));
    for await (const _ of db.scan()) break;
    expect(log.of('snapshot.take')).toHaveLength(1);
    expect(log.of('snapshot.release')).toMatchObject([{ live: [] }]);
    await db.close();
  });

  it('MultiVersionTable: a key with many versions stays in one block, and each snapshot finds its own', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 1 << 20, blockSize: 32, compaction: 'off' });
    const snapshots = [];
    for (let v = 0; v < 20; v++) {
      await db.put(utf8('k'), utf8(`v${v}`));
      await db.put(keyOf(v), utf8('x'));
      snapshots.push(await db.snapshot());
    }
    await db.flush();
    const [table] = (await db.describe()).tables;
    expect(table!.entries).toBe(40);
    for (const [v, snapshot] of snapshots.entries()) {
      expect(text(await db.get(utf8('k'), { snapshot }))).toBe(`v${v}`);
      expect((await db.lookup(utf8('k'), { snapshot })).blocksRead).toBe(1);
    }
    expect(text(await db.get(utf8('k')))).toBe('v19');
    await db.close();
  });

  it('RefusedSnapshots: released, or from another database', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    const other = await LsmTree.open(new MemoryStorage());
    const released = await db.snapshot();
    released.release();
    released.release(); // harmless
    await expect(db.get(utf8('a'), { snapshot: released })).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    const foreign = await other.snapshot();
    await expect(db.get(utf8('a'), { snapshot: foreign })).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
    await expect(scanAll(db, { snapshot: foreign })).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    await db.close();
    await other.close();
  });
});
