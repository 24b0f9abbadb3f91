// What the events tell of snapshots and scans, for the picture to draw them: the older versions a memtable keeps
// for a snapshot, the versions a flush or compaction kept (and the file each went to), a read at a snapshot, and
// the merge of a scan step by step (which source won, which versions were passed over and why).
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, toHex, utf8 } from '../../../engine';
import { eventLog } from '../support/events';

const hex = (text: string) => toHex(utf8(text));

describe('snapshot and scan events', () => {
  it('KeptVersionsAreNamed: memtable, flush, read at the snapshot, then gone after release', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 4096, onEvent: log.record });
    await db.put(utf8('a'), utf8('old'));
    const snapshot = await db.snapshot();
    await db.put(utf8('a'), utf8('new'));
    // The memtable keeps the old version behind the new one, for the snapshot.
    const insert = log.of('memtable.insert').at(-1)!;
    expect(insert.older).toEqual([{ seq: snapshot.seq, op: 'put', value: hex('old'), seenBy: [snapshot.seq] }]);

    log.clear();
    await db.lookup(utf8('a'), { trace: true, snapshot });
    expect(log.of('read.begin')[0]!.at).toBe(snapshot.seq);
    expect(log.of('read.memtable')[0]).toMatchObject({ found: 'value', seq: snapshot.seq });

    await db.flush();
    const flushed = log.of('sstable.write')[0]!.table.file;
    const kept = log.of('snapshot.kept')[0]!;
    expect(kept).toMatchObject({ by: 'flush', versions: 1, snapshots: [snapshot.seq] });
    expect(kept.shown).toEqual([
      { key: hex('a'), seq: snapshot.seq, op: 'put', value: hex('old'), seenBy: [snapshot.seq], file: flushed },
    ]);

    // A second table, and a compaction while the snapshot lives: the old version is kept, in the output.
    await db.put(utf8('b'), utf8('x'));
    await db.flush();
    log.clear();
    await db.compactRange();
    const keptByCompaction = log.of('snapshot.kept').filter((e) => e.by === 'compaction');
    const outputs = log.of('compaction.end').flatMap((e) => e.outputs);
    expect(keptByCompaction.flatMap((e) => e.shown ?? []).map((k) => [k.key, k.seq])).toEqual([
      [hex('a'), snapshot.seq],
    ]);
    expect(outputs).toContain(keptByCompaction.at(-1)!.shown![0]!.file);

    // Released: the next compaction keeps nothing for it and names the old version among those it dropped.
    snapshot.release();
    log.clear();
    await db.compactRange();
    expect(log.of('snapshot.kept')).toEqual([]);
    const dropped = log.of('compaction.end').flatMap((e) => e.dropped ?? []);
    expect(dropped).toContainEqual({ key: hex('a'), seq: snapshot.seq, op: 'put', why: 'shadowed' });
    await db.close();
  });

  it('ScanSteps: each merge step names the winning source and the versions passed over', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 4096, onEvent: log.record });
    await db.put(utf8('a'), utf8('1'));
    await db.put(utf8('b'), utf8('1'));
    await db.flush();
    const table = log.of('sstable.write')[0]!.table.file;
    const snapshot = await db.snapshot();
    await db.put(utf8('a'), utf8('2'));
    await db.delete(utf8('b'));
    await db.put(utf8('c'), utf8('2'));

    log.clear();
    for await (const _ of db.scan()) {
      // drain
    }
    expect(log.of('scan.begin')[0]!.sources).toEqual(['memtable', table]);
    // Without a snapshot the scan took one of its own, said so, and released it at its end.
    expect(log.of('snapshot.take')).toMatchObject([{ seq: 5, implicit: true }]);
    expect(log.of('snapshot.release')).toMatchObject([{ seq: 5, implicit: true, live: [snapshot.seq] }]);
    expect(log.events.at(-1)!.type).toBe('snapshot.release');
    const steps = log.of('scan.step').map(({ key, source, op, skipped }) => ({ key, source, op, skipped }));
    expect(steps).toEqual([
      { key: hex('a'), source: 'memtable', op: 'put', skipped: [{ source: table, seq: 1, why: 'shadowed' }] },
      { key: hex('b'), source: 'memtable', op: 'delete', skipped: [{ source: table, seq: 2, why: 'shadowed' }] },
      { key: hex('c'), source: 'memtable', op: 'put', skipped: [] },
    ]);

    // At the snapshot: the table's versions win, and the memtable's newer ones are passed over as invisible.
    log.clear();
    for await (const _ of db.scan({ snapshot })) {
      // drain
    }
    expect(log.of('scan.begin')[0]!.at).toBe(snapshot.seq);
    expect(log.of('snapshot.take')).toEqual([]);
    expect(log.of('scan.step').map(({ key, source, value, skipped }) => ({ key, source, value, skipped }))).toEqual([
      { key: hex('a'), source: table, value: hex('1'), skipped: [{ source: 'memtable', seq: 3, why: 'invisible' }] },
      { key: hex('b'), source: table, value: hex('1'), skipped: [{ source: 'memtable', seq: 4, why: 'invisible' }] },
    ]);
    snapshot.release();
    await db.close();
  });

  it('ScanStepsAreBounded: a long scan reports only its first steps', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 1 << 20, onEvent: log.record });
    for (let i = 0; i < 100; i++) await db.put(utf8(`k${String(i).padStart(3, '0')}`), utf8('v'));
    log.clear();
    let count = 0;
    for await (const _ of db.scan()) count++;
    expect(count).toBe(100);
    expect(log.of('scan.step').length).toBe(16);
    await db.close();
  });
});
