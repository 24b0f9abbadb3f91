// The seed's tests, in spirit: basic put/get, updates, flush at the threshold, WAL recovery.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMTABLE_BYTES, type EngineEvent, ErrorCode, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { entrySize } from '../../../engine/codec/entry';
import { eventLog } from '../support/events';
import { pad, text } from '../support/tree';

describe('LsmTree (seed parity)', () => {
  it('BasicPutGet', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    await db.put(utf8('user:123'), utf8('Alice'));
    await db.put(utf8('user:456'), utf8('Bob'));
    expect(text(await db.get(utf8('user:123')))).toBe('Alice');
    expect(text(await db.get(utf8('user:456')))).toBe('Bob');
    expect(await db.get(utf8('user:789'))).toBeUndefined();
  });

  it('ReadsKeepCallOrder: a get issued behind unawaited writes sees them; an idle get answers at once', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 300 });
    const writes = [db.put(utf8('a'), utf8('1')), db.put(utf8('a'), utf8('2')), db.delete(utf8('b'))];
    const behindWrites = db.get(utf8('a')); // queued behind the three writes, not answered before them
    const flushing = db.flush();
    const behindFlush = db.get(utf8('a'));
    expect(text(await behindWrites)).toBe('2');
    expect(text(await behindFlush)).toBe('2');
    await Promise.all([...writes, flushing]);
    // Idle: answered synchronously, from the SSTable the flush wrote; the result is a copy, not the block.
    const found = await db.lookup(utf8('a'));
    expect(found.source).toMatch(/\.sst$/);
    found.value![0] = 0x7a;
    expect(text(await db.get(utf8('a')))).toBe('2');
    await db.close();
    await expect(db.get(utf8('a'))).rejects.toMatchObject({ code: 'closed' });
    await expect(db.get(new Uint8Array(0))).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('UpdatesOverrideOldValues, across memtable and SSTables', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    await db.put(utf8('user:123'), utf8('Alice'));
    await db.flush();
    expect(text(await db.get(utf8('user:123')))).toBe('Alice');
    await db.put(utf8('user:123'), utf8('Alice Smith'));
    expect(text(await db.get(utf8('user:123')))).toBe('Alice Smith');
    await db.flush();
    expect(text(await db.get(utf8('user:123')))).toBe('Alice Smith');
    await db.delete(utf8('user:123'));
    expect(await db.get(utf8('user:123'))).toBeUndefined();
    await db.flush();
    expect(await db.get(utf8('user:123'))).toBeUndefined();
  });

  it('FlushesAtTheThreshold into an SSTable and a fresh WAL', async () => {
    const storage = new MemoryStorage();
    const events: EngineEvent[] = [];
    const db = await LsmTree.open(storage, { memtableBytes: 200, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 20; i++) await db.put(utf8(`key${String(i).padStart(3, '0')}`), utf8('value'));
    const state = await db.describe();
    expect(state.tables.length).toBeGreaterThan(0);
    expect(
      events.filter((e) => e.type === 'flush.begin').every((e) => e.type === 'flush.begin' && e.reason === 'threshold'),
    ).toBe(true);
    const files = await storage.list();
    expect(files.filter((f) => f.endsWith('.log'))).toEqual([state.wal.file]);
    expect(files.filter((f) => f.endsWith('.sst')).sort()).toEqual(state.tables.map((t) => t.file).sort());
    for (let i = 0; i < 20; i++) expect(text(await db.get(utf8(`key${String(i).padStart(3, '0')}`)))).toBe('value');
  });

  it('WalRecovery: put, crash without flushing, reopen, the value is back', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('key'), utf8('value'));
    storage.crash();
    const events: EngineEvent[] = [];
    const reopened = await LsmTree.open(storage, { onEvent: (e) => events.push(e) });
    expect(text(await reopened.get(utf8('key')))).toBe('value');
    expect(events.filter((e) => e.type === 'recovery.replay')).toHaveLength(1);
  });
});

describe('LsmTree flush threshold and lookups', () => {
  it('DefaultMemtableIs4MiB: a few hundred KiB of writes stay in the memtable', async () => {
    expect(DEFAULT_MEMTABLE_BYTES).toBe(4 * 1024 * 1024);
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { onEvent: log.record });
    const value = new Uint8Array(1000);
    for (let i = 0; i < 300; i++) await db.put(utf8(`key${pad(i)}`), value);
    const state = await db.describe();
    expect(state.tables).toEqual([]);
    expect(state.memtableBytes).toBe(300 * entrySize(7, 1000));
    expect(log.of('memtable.insert').at(-1)).toMatchObject({ limit: DEFAULT_MEMTABLE_BYTES, entries: 300 });
  });

  it('FlushesExactlyWhenTheMemtableReachesItsLimit', async () => {
    const each = entrySize(4, 6);
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 3 * each, onEvent: log.record });
    await db.put(utf8('key1'), utf8('value1'));
    await db.put(utf8('key2'), utf8('value2'));
    expect((await db.describe()).tables).toEqual([]);
    expect((await db.describe()).memtableBytes).toBe(2 * each);
    await db.put(utf8('key3'), utf8('value3'));
    const state = await db.describe();
    expect(state.tables).toHaveLength(1);
    expect(state.tables[0]).toMatchObject({ entries: 3, level: 0 });
    expect(state.memtable).toEqual([]);
    expect(state.memtableBytes).toBe(0);
    expect(log.of('flush.begin')).toMatchObject([{ reason: 'threshold', entries: 3, bytes: 3 * each }]);
    // The flush ran inside the third put, before it was acknowledged: flush.end is the last event.
    expect(log.events.at(-1)?.type).toBe('flush.end');
  });

  it('EveryKeyStaysReadableAcrossManyFlushes; lookup says where it came from', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 400,
      blockSize: 64,
      compaction: 'off',
      onEvent: log.record,
    });
    for (let i = 0; i < 100; i++) await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
    const state = await db.describe();
    expect(state.tables.length).toBeGreaterThan(5);
    const memtableKeys = new Set(state.memtable.map((e) => Buffer.from(e.key, 'hex').toString()));
    expect(memtableKeys.size).toBeGreaterThan(0);

    const newestFirst = state.tables.map((t) => t.file);
    const tableOf = (key: string) =>
      state.tables.find((t) => {
        const hex = Buffer.from(key).toString('hex');
        return t.smallest <= hex && hex <= t.largest;
      });
    for (let i = 0; i < 100; i++) {
      const key = `key${pad(i)}`;
      const found = await db.lookup(utf8(key));
      expect(text(found.value)).toBe(`value${i}`);
      if (memtableKeys.has(key)) {
        expect(found).toMatchObject({ source: 'memtable', tablesChecked: 0, blocksRead: 0 });
        continue;
      }
      const table = tableOf(key)!;
      expect(found.source).toBe(table.file);
      // Tables are tried newest first; the newer ones do not hold the key in their range: ruled out, no I/O.
      expect(newestFirst.indexOf(table.file)).toBeGreaterThanOrEqual(0);
      expect(found.tablesChecked).toBe(1);
      expect(found.blocksRead).toBe(1);
    }
    // Inside one table's range but absent: that table's bloom filter or its one block says no.
    const missing = await db.lookup(utf8('key0050x'));
    expect(missing).toMatchObject({ value: undefined, source: null, tablesChecked: 1 });
    expect(missing.blocksRead + missing.bloomSkips).toBe(1);
  });

  it('LookupOfOverlappingTables: newest table wins, older blocks are not read', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { compaction: 'off', bloomBitsPerKey: 0 });
    for (const round of [1, 2, 3]) {
      for (let i = 0; i < 10; i++) await db.put(utf8(`key${pad(i)}`), utf8(`round${round}`));
      await db.flush();
    }
    const { tables } = await db.describe();
    expect(tables).toHaveLength(3);
    const found = await db.lookup(utf8(`key${pad(4)}`));
    expect(found).toMatchObject({ source: tables[0]!.file, tablesChecked: 1, blocksRead: 1 });
    expect(text(found.value)).toBe('round3');
    await db.delete(utf8(`key${pad(4)}`));
    await db.flush();
    const deleted = await db.lookup(utf8(`key${pad(4)}`));
    expect(deleted).toMatchObject({ value: undefined, tablesChecked: 1, blocksRead: 1 });
    // key00045 lies inside the three full tables' ranges but past the one-key tombstone table's.
    const absent = await db.lookup(utf8(`key${pad(4)}5`));
    expect(absent).toMatchObject({ value: undefined, source: null, tablesChecked: 3, blocksRead: 3 });
  });

  it('LookupEventsTellTheReadPath, and trace: false tells nothing', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { onEvent: log.record });
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    log.clear();
    await db.lookup(utf8('a'));
    // In the table: its filter, its index, the block, the one comparison in a one-entry block, then the verdict.
    expect(log.events.map((e) => e.type)).toEqual([
      'read.begin',
      'read.memtable',
      'read.bloom',
      'read.index',
      'read.block',
      'read.compare',
      'read.sstable',
      'read.end',
    ]);
    expect(log.of('read.end')).toMatchObject([{ found: true, value: '31', blocksRead: 1, tablesChecked: 1 }]);
    log.clear();
    expect(text((await db.lookup(utf8('a'), { trace: false })).value)).toBe('1');
    expect(log.events).toEqual([]);
  });

  it('StatsOverADamagedBlockFailsTypedAndTellsNothing; the get that meets it tells it once', async () => {
    // A page asks for stats on a timer: when that lands between a lesson's flipped byte and its get, the get's
    // events must still hold one corruption, the get's own (the corruption lesson once said it twice).
    const log = eventLog();
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { onEvent: log.record, compaction: 'off' });
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    const [table] = (await db.describe()).tables;
    storage.poke(table!.file, 2, new Uint8Array([storage.snapshot(table!.file)[2]! ^ 0xff]));
    db.evictCache(table!.file);
    log.clear();
    const failed = (call: Promise<unknown>) =>
      call.then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(await failed(db.stats())).toMatchObject({ code: ErrorCode.Corruption, file: table!.file, offset: 0 });
    expect(log.events).toEqual([]);
    expect(await failed(db.get(utf8('a')))).toMatchObject({ code: ErrorCode.Corruption, file: table!.file });
    expect(log.of('corruption')).toMatchObject([{ file: table!.file, offset: 0 }]);
  });
});
