// Compaction filters (RocksDB's CompactionFilter, mini-lsm's week 3 day 7): a key-prefix filter and an expiry (TTL)
// filter drop data at compaction, and nothing else; never a version a live snapshot sees; and dropping a key's newest
// value never brings an older one back (a tombstone takes its place where older versions may lie below). The clock is
// injected, so expiry is exact.
import { describe, expect, it } from 'vitest';
import { type EngineEvent, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { decodeEdit, encodeEdit } from '../../../engine/manifest/edit';
import { coarsen, noteWrites, writeTimeOf } from '../../../engine/write-times';
import { eventLog } from '../support/events';
import { pad, scanAll, text } from '../support/tree';

type End = Extract<EngineEvent, { type: 'compaction.end' }>;
const filteredIn = (ends: End[]) => ({
  prefix: ends.reduce((n, e) => n + (e.filtered?.prefix ?? 0), 0),
  ttl: ends.reduce((n, e) => n + (e.filtered?.ttl ?? 0), 0),
  tombstones: ends.reduce((n, e) => n + (e.filtered?.tombstones ?? 0), 0),
  shadowed: ends.reduce((n, e) => n + e.droppedShadowed, 0),
  deleted: ends.reduce((n, e) => n + e.droppedTombstones, 0),
});
const entriesOnDisk = async (db: LsmTree) => (await db.describe()).tables.reduce((n, t) => n + t.entries, 0);

describe('prefix filter', () => {
  it('drops every key under the prefixes at compaction, and nothing else', async () => {
    const log = eventLog();
    // Compaction off: only compactRange compacts, so that the values are still there until it runs.
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 512,
      compaction: 'off',
      filterPrefixes: ['tmp:', 'cache:'],
      onEvent: log.record,
    });
    const kept = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const key = ['user:', 'tmp:', 'cache:', 'tm'][i % 4] + pad(i);
      await db.put(utf8(key), utf8(`v${i}`));
      if (!key.startsWith('tmp:') && !key.startsWith('cache:')) kept.set(key, `v${i}`);
    }
    await db.put(utf8('user:0000'), utf8('again')); // an overwrite: counted as such, not as filtered
    kept.set('user:0000', 'again');
    await db.delete(utf8('user:0004')); // a delete: its tombstone goes at the bottom, counted as a tombstone
    kept.delete('user:0004');
    // Before compaction, the memtable and L0 still hold them: filters act at compaction only.
    expect(text(await db.get(utf8('tmp:0001')))).toBe('v1');
    log.clear();
    const range = await db.compactRange();

    const rows = (await scanAll(db)).map(([k, v]) => [text(k), text(v)]);
    expect(rows).toEqual([...kept.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(await db.get(utf8('tmp:0001'))).toBeUndefined();
    expect(await db.get(utf8('cache:0002'))).toBeUndefined();
    expect(text(await db.get(utf8('tm0003')))).toBe('v3'); // a shorter key is not under the prefix
    // Pushed to the bottom, nothing of them is left on disk: no tombstones, no values.
    expect(await entriesOnDisk(db)).toBe(kept.size);
    const counts = filteredIn(log.of('compaction.end'));
    expect(counts.prefix + counts.ttl).toBe(range.entriesFiltered);
    expect(counts.ttl).toBe(0);
    expect(log.of('compaction.end').some((e) => e.filtered?.shown?.some((s) => s.reason === 'prefix'))).toBe(true);
    await db.close();
  });

  it('drops nothing when no filter is set, and takes a filter set while open at the next compaction', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 512 });
    for (let i = 0; i < 20; i++) await db.put(utf8(`tmp:${pad(i)}`), utf8('x'));
    expect((await db.compactRange()).entriesFiltered).toBe(0);
    expect((await scanAll(db)).length).toBe(20);
    await db.setOptions({ filterPrefixes: ['tmp:'] });
    expect((await db.compactRange()).entriesFiltered).toBe(20);
    expect((await scanAll(db)).length).toBe(0);
    await expect(db.setOptions({ filterPrefixes: [''] })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(db.setOptions({ filterTtlMs: -1 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await db.close();
  });
});

describe('TTL filter', () => {
  it('drops the values older than the TTL at compaction time, and only those', async () => {
    let now = 1_000;
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 512,
      filterTtlMs: 3_000,
      clock: () => now,
      onEvent: log.record,
    });
    for (let i = 0; i < 10; i++) await db.put(utf8(`early${pad(i)}`), utf8('e'));
    now = 5_000;
    for (let i = 0; i < 10; i++) await db.put(utf8(`late${pad(i)}`), utf8('l'));
    await db.put(utf8('early0000'), utf8('rewritten')); // a new value, written late: not expired
    now = 6_000; // early: 1000 + 3000 ≤ 6000, expired; late: 5000 + 3000 > 6000, not yet
    log.clear();
    expect((await db.compactRange()).entriesFiltered).toBe(9);
    const keys = (await scanAll(db)).map(([k]) => text(k));
    expect(keys).toEqual(['early0000', ...Array.from({ length: 10 }, (_, i) => `late${pad(i)}`)]);
    expect(text(await db.get(utf8('early0000')))).toBe('rewritten');
    expect(filteredIn(log.of('compaction.end'))).toMatchObject({ ttl: 9, prefix: 0 });

    now = 7_999; // the TTL is not past for the late ones until 8000
    expect((await db.compactRange()).entriesFiltered).toBe(0);
    now = 8_000;
    expect((await db.compactRange()).entriesFiltered).toBe(11);
    expect(await scanAll(db)).toEqual([]);
    expect(await entriesOnDisk(db)).toBe(0);
    await db.close();
  });

  it('keeps write times across close, reopen and manifest roll-overs; replayed writes date from recovery', async () => {
    let now = 0;
    const storage = new MemoryStorage();
    const log = eventLog();
    const open = () =>
      LsmTree.open(storage, {
        memtableBytes: 256,
        filterTtlMs: 10_000,
        manifestRollBytes: 256,
        clock: () => now,
        onEvent: log.record,
      });
    let db = await open();
    for (let i = 0; i < 30; i++) await db.put(utf8(`old${pad(i)}`), utf8('o')); // flushed on the way
    await db.flush();
    now = 9_000;
    await db.put(utf8('wal-only'), utf8('w')); // in the WAL alone at close: its time is not on disk
    await db.close();

    now = 12_000;
    db = await open(); // the replayed write is taken as made at 12000
    log.clear();
    for (let i = 0; i < 150; i++) await db.put(utf8(`mid${pad(i)}`), utf8('m'));
    await db.compactRange(); // the manifest rolled over meanwhile: a new one holds the map in its snapshot
    expect(log.of('manifest.roll').length).toBeGreaterThan(0);
    expect(filteredIn(log.of('compaction.end')).ttl).toBe(30);
    expect((await scanAll(db)).map(([k]) => text(k))).toEqual([
      ...Array.from({ length: 150 }, (_, i) => `mid${pad(i)}`),
      'wal-only',
    ]);
    await db.close();

    now = 21_999;
    db = await open();
    expect((await db.compactRange()).entriesFiltered).toBe(0);
    await db.close();
    now = 22_000;
    db = await open();
    expect((await db.compactRange()).entriesFiltered).toBe(151);
    await db.close();
  });
});

describe('TTL filter set while open', () => {
  it('ages only the values written while a TTL is set: older ones have no known time and never expire', async () => {
    let now = 0;
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 512, clock: () => now });
    for (let i = 0; i < 10; i++) await db.put(utf8(`before${pad(i)}`), utf8('b'));
    await db.flush();
    await db.setOptions({ filterTtlMs: 1_000 });
    for (let i = 0; i < 10; i++) await db.put(utf8(`after${pad(i)}`), utf8('a'));
    await db.flush();
    now = 1_000_000;
    expect((await db.compactRange()).entriesFiltered).toBe(10);
    expect((await scanAll(db)).map(([k]) => text(k))).toEqual(Array.from({ length: 10 }, (_, i) => `before${pad(i)}`));

    // Off, then on again: a value written in between takes the time of the next write noted, later than its own.
    await db.setOptions({ filterTtlMs: 0 });
    await db.put(utf8('gap'), utf8('g'));
    now = 2_000_000;
    await db.setOptions({ filterTtlMs: 1_000 });
    await db.put(utf8('late'), utf8('l'));
    await db.flush();
    now = 2_000_999; // by its own time (1,000,000) the gap's value is past the TTL, but its time is not known
    expect((await db.compactRange()).entriesFiltered).toBe(0);
    now = 2_001_000;
    expect((await db.compactRange()).entriesFiltered).toBe(2);
    await db.close();
  });
});

describe('filters and snapshots', () => {
  it('a live snapshot keeps the version it sees; after its release the next compaction drops it', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 4096,
      filterPrefixes: ['tmp:'],
      onEvent: log.record,
    });
    await db.put(utf8('tmp:a'), utf8('1'));
    await db.put(utf8('tmp:b'), utf8('1'));
    await db.put(utf8('user'), utf8('1'));
    const snapshot = await db.snapshot();
    await db.put(utf8('tmp:a'), utf8('2')); // newer than the snapshot: filtered
    await db.compactRange();

    // The snapshot still reads what it read; the present does not see tmp:a's newer value, nor the older one back.
    expect(text(await db.get(utf8('tmp:a'), { snapshot }))).toBe('1');
    expect(text(await db.get(utf8('tmp:b'), { snapshot }))).toBe('1');
    expect(await db.get(utf8('tmp:a'))).toBeUndefined();
    // tmp:b's only version is one the snapshot sees: the present sees it too until the snapshot goes.
    expect(text(await db.get(utf8('tmp:b')))).toBe('1');
    const first = filteredIn(log.of('compaction.end'));
    expect(first).toMatchObject({ prefix: 1, tombstones: 1 });
    // On disk: tmp:a's tombstone and the value the snapshot sees, tmp:b, user.
    expect(await entriesOnDisk(db)).toBe(4);

    snapshot.release();
    log.clear();
    await db.compactRange();
    expect((await scanAll(db)).map(([k]) => text(k))).toEqual(['user']);
    expect(await entriesOnDisk(db)).toBe(1);
    // tmp:b is filtered now; tmp:a's tombstone and the value under it go as a tombstone and an older version.
    expect(filteredIn(log.of('compaction.end'))).toMatchObject({ prefix: 1, tombstones: 0, shadowed: 1, deleted: 1 });
    await db.close();
  });

  it('a filtered newest value never lets an older one in a deeper level come back', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 512,
      l0Trigger: 2,
      dynamicLevelBytes: false,
      levelBaseBytes: 512,
      onEvent: log.record,
    });
    await db.put(utf8('k'), utf8('old'));
    for (let i = 0; i < 200; i++) await db.put(utf8(`f${pad(i)}`), utf8('filler-value'));
    await db.compactRange();
    const deepest = Math.max(...(await db.describe()).tables.map((t) => t.level));
    expect(deepest).toBeGreaterThanOrEqual(2); // k's old value lies two levels or more below L0, L1 empty
    expect((await db.describe()).tables.every((t) => t.level === deepest)).toBe(true);

    // From now on L1 stays within its target: the next compaction is L0 into L1, above k's old value.
    await db.setOptions({ levelBaseBytes: 1 << 20, filterPrefixes: ['k'] });
    await db.put(utf8('k'), utf8('new'));
    await db.flush();
    await db.put(utf8('f0000'), utf8('x'));
    log.clear();
    await db.flush();
    const ends = log.of('compaction.end');
    expect(ends.map((e) => e.outputLevel)).toEqual([1]);
    expect(ends[0]!.filtered).toMatchObject({ prefix: 1, tombstones: 1 });
    // The old value is still down there, under the tombstone: a read must not find it.
    expect(await db.get(utf8('k'))).toBeUndefined();
    expect((await scanAll(db)).some(([key]) => text(key) === 'k')).toBe(false);
    // Pushed to the bottom, the tombstone meets the old value, and both go.
    await db.compactRange();
    expect(await db.get(utf8('k'))).toBeUndefined();
    expect(await entriesOnDisk(db)).toBe(200);
    await db.close();
  });

  it('an expired newest value over a snapshot’s version leaves a tombstone, not the old value', async () => {
    let now = 0;
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 4096, filterTtlMs: 100, clock: () => now });
    await db.put(utf8('k'), utf8('v1'));
    const snapshot = await db.snapshot();
    now = 50;
    await db.put(utf8('k'), utf8('v2'));
    now = 1_000; // both expired; v1 is the snapshot's, v2 no snapshot sees
    expect((await db.compactRange()).entriesFiltered).toBe(1);
    expect(await db.get(utf8('k'))).toBeUndefined();
    expect(text(await db.get(utf8('k'), { snapshot }))).toBe('v1');
    snapshot.release();
    await db.compactRange();
    expect(await entriesOnDisk(db)).toBe(0);
    await db.close();
  });
});

describe('the write-time map', () => {
  it('never dates a write earlier than it was made, coarsened or not, and knows nothing before it began', () => {
    let times = noteWrites(undefined, 5, 5, 100);
    times = noteWrites(times, 6, 8, 100);
    times = noteWrites(times, 9, 9, 250);
    times = noteWrites(times, 10, 10, 200); // a clock that went back: taken as standing still
    expect(times).toEqual({
      from: 5,
      pairs: [
        [8, 100],
        [10, 250],
      ],
    });
    expect(writeTimeOf(times, 4)).toBeUndefined();
    expect(writeTimeOf(times, 5)).toBe(100);
    expect(writeTimeOf(times, 9)).toBe(250);
    expect(writeTimeOf(times, 11)).toBeUndefined();
    const pairs = Array.from({ length: 100 }, (_, i) => [i * 10 + 9, i * 1000] as [number, number]);
    const coarse = coarsen(pairs, 30);
    expect(coarse.length).toBe(30);
    expect(coarse[coarse.length - 1]).toEqual(pairs[pairs.length - 1]);
    const exact = { from: 0, pairs };
    const rough = { from: 0, pairs: coarse };
    for (let seq = 0; seq < 1000; seq++)
      expect(writeTimeOf(rough, seq)!).toBeGreaterThanOrEqual(writeTimeOf(exact, seq)!);
  });

  it('rides in a manifest record, and a record without it still reads', () => {
    const base = { logNumber: 3, nextFileNumber: 9, lastSequence: 42, added: [], removed: [7] };
    expect(decodeEdit(encodeEdit(base), 'MANIFEST-000001', 0)).toEqual(base);
    const withTimes = { ...base, writeTimes: { from: 1, pairs: [[42, 1_700_000_000_000]] as Array<[number, number]> } };
    expect(decodeEdit(encodeEdit(withTimes), 'MANIFEST-000001', 0)).toEqual(withTimes);
  });
});
