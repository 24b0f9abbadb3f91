// Recovery: the WAL cut at every byte (a torn tail is cut off, never an error), a damaged record followed by
// good ones (corruption, with file and offset), a flush that crashed before its commit, and damaged SSTables.
import { describe, expect, it } from 'vitest';
import { ErrorCode, fromHex, LsmError, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { OP_BATCH } from '../../../engine/codec/batch';
import { encodeEntry, entrySize } from '../../../engine/codec/entry';
import { frameRecord, RECORD_HEADER_SIZE } from '../../../engine/log/format';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { StorageWrapper } from '../../../engine/storage/wrapper';
import { eventLog } from '../support/events';
import { copyStorage, flippedByte, writeFile } from '../support/storage';
import { pad, text } from '../support/tree';

type Write = { op: 'put'; key: string; value: string } | { op: 'delete'; key: string };

/** Flushed first (SSTable), then the WAL records that the cuts below tear. */
const FLUSHED: Write[] = [
  { op: 'put', key: 'a', value: 'a0' },
  { op: 'put', key: 'b', value: 'b0' },
];
const LOGGED: Write[] = [
  { op: 'put', key: 'c', value: 'c1' },
  { op: 'put', key: 'a', value: 'a1 is a longer value than the others' },
  { op: 'delete', key: 'b' },
  { op: 'put', key: 'd', value: '' },
  { op: 'delete', key: 'c' },
  { op: 'put', key: 'a', value: 'a2' },
];
const KEYS = ['a', 'b', 'c', 'd'];

async function apply(db: LsmTree, writes: Write[]) {
  for (const w of writes) {
    if (w.op === 'put') await db.put(utf8(w.key), utf8(w.value));
    else await db.delete(utf8(w.key));
  }
}

/** What a correct database holds after the flushed writes and then `logged`. */
function model(logged: Write[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const w of [...FLUSHED, ...logged]) {
    if (w.op === 'put') state.set(w.key, w.value);
    else state.delete(w.key);
  }
  return state;
}

/** A crashed database: FLUSHED in an SSTable, LOGGED in the WAL. Returns the WAL's records as appended. */
async function crashedDatabase() {
  const storage = new MemoryStorage();
  const log = eventLog();
  const db = await LsmTree.open(storage, { onEvent: log.record });
  await apply(db, FLUSHED);
  await db.flush();
  log.clear();
  await apply(db, LOGGED);
  const { wal } = await db.describe();
  storage.crash();
  const records = log.of('wal.append').map((e) => ({ offset: e.offset, length: e.length, seq: e.seq }));
  expect(records).toHaveLength(LOGGED.length);
  expect(records.at(-1)!.offset + records.at(-1)!.length).toBe(wal.size);
  return { storage, wal: wal.file, size: wal.size, records };
}

async function expectState(db: LsmTree, expected: Map<string, string>) {
  for (const key of KEYS) expect(text(await db.get(utf8(key)))).toBe(expected.get(key));
}

describe('WAL recovery', () => {
  it('TornTailAtEveryByte: exactly the whole records before the cut come back, the rest is cut off', async () => {
    const { storage: crashed, wal, size, records } = await crashedDatabase();
    for (let cut = 0; cut <= size; cut++) {
      const storage = await copyStorage(crashed);
      storage.cut(wal, cut);
      const whole = records.filter((r) => r.offset + r.length <= cut);
      const boundary = whole.length === 0 ? 0 : whole.at(-1)!.offset + whole.at(-1)!.length;

      const log = eventLog();
      const db = await LsmTree.open(storage, { onEvent: log.record });
      expect(log.of('recovery.replay').map((e) => e.seq)).toEqual(whole.map((r) => r.seq));
      if (cut === boundary) {
        expect(log.of('recovery.torn-tail')).toEqual([]);
      } else {
        expect(log.of('recovery.torn-tail')).toMatchObject([
          { file: wal, offset: boundary, droppedBytes: cut - boundary },
        ]);
      }
      expect(storage.snapshot(wal).length).toBe(boundary);
      expect(log.of('recovery.end')).toMatchObject([{ wal, walSize: boundary, replayed: whole.length }]);
      const expected = model(LOGGED.slice(0, whole.length));
      await expectState(db, expected);

      // Writing continues right after the last whole record, and survives the next crash.
      await db.put(utf8('e'), utf8(`after cut ${cut}`));
      storage.crash();
      const again = eventLog();
      const reopened = await LsmTree.open(storage, { onEvent: again.record });
      expect(again.of('recovery.torn-tail')).toEqual([]);
      expect(again.of('recovery.replay')).toHaveLength(whole.length + 1);
      expect(text(await reopened.get(utf8('e')))).toBe(`after cut ${cut}`);
      await expectState(reopened, expected);
    }
  });

  it('ZeroFilledTailIsATornTail (a write that reached storage as a hole)', async () => {
    const { storage, wal, size } = await crashedDatabase();
    storage.poke(wal, size, new Uint8Array(100));
    const log = eventLog();
    const db = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.torn-tail')).toMatchObject([{ file: wal, offset: size, droppedBytes: 100 }]);
    expect(storage.snapshot(wal).length).toBe(size);
    await expectState(db, model(LOGGED));
  });

  it('WellFramedRecordThatDoesNotParseIsCorruption: a trailing byte, a bad op, a batch cut short', async () => {
    const entry = { op: 'put' as const, seq: 1000, key: utf8('user:9'), value: utf8('Zed') };
    const whole = new Uint8Array(entrySize(entry.key.length, entry.value.length));
    encodeEntry(entry, whole, 0);
    const payloads = {
      trailingByte: Uint8Array.of(...whole, 0),
      badOp: Uint8Array.from(whole, (b, i) => (i === 0 ? 7 : b)),
      shortBatch: Uint8Array.of(OP_BATCH, ...whole.subarray(1, 9), 2, 0, 0, 0),
    };
    for (const [what, payload] of Object.entries(payloads)) {
      const { storage, wal, size } = await crashedDatabase();
      storage.poke(wal, size, frameRecord(payload));
      const error = await LsmTree.open(storage).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(LsmError);
      expect(error, what).toMatchObject({ code: ErrorCode.Corruption, file: wal, offset: size + RECORD_HEADER_SIZE });
    }
    // The same record, well formed, replays.
    const { storage, wal, size } = await crashedDatabase();
    storage.poke(wal, size, frameRecord(whole));
    const db = await LsmTree.open(storage);
    expect(text(await db.get(utf8('user:9')))).toBe('Zed');
  });

  it('ChecksumMismatchFollowedByValidRecordsIsCorruption, at every byte of every record but the last', async () => {
    const { storage: crashed, wal, records } = await crashedDatabase();
    const bytes = crashed.snapshot(wal);
    for (const record of records.slice(0, -1)) {
      for (let at = record.offset; at < record.offset + record.length; at++) {
        const storage = await copyStorage(crashed);
        storage.poke(wal, at, flippedByte(bytes, at));
        const log = eventLog();
        const error = await LsmTree.open(storage, { onEvent: log.record }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(LsmError);
        expect(error).toMatchObject({ code: ErrorCode.Corruption, file: wal, offset: record.offset });
        expect(log.of('corruption')).toMatchObject([{ file: wal, offset: record.offset }]);
        // The damaged file is left as it was: corruption is reported, never "repaired" by truncation.
        expect(storage.snapshot(wal)).toEqual(Uint8Array.from(bytes.map((b, i) => (i === at ? b ^ 0xff : b))));
      }
    }
  });

  it('ChecksumMismatchInTheLastRecordIsATornTail: the record is dropped, no error', async () => {
    const { storage: crashed, wal, records } = await crashedDatabase();
    const bytes = crashed.snapshot(wal);
    const last = records.at(-1)!;
    for (let at = last.offset; at < last.offset + last.length; at++) {
      const storage = await copyStorage(crashed);
      storage.poke(wal, at, flippedByte(bytes, at));
      const log = eventLog();
      const db = await LsmTree.open(storage, { onEvent: log.record });
      expect(log.of('corruption')).toEqual([]);
      expect(log.of('recovery.torn-tail')).toMatchObject([
        { file: wal, offset: last.offset, droppedBytes: last.length },
      ]);
      expect(log.of('recovery.replay')).toHaveLength(records.length - 1);
      expect(storage.snapshot(wal).length).toBe(last.offset);
      await expectState(db, model(LOGGED.slice(0, -1)));
    }
  });
  it('BinaryKeysReplay: recovery events carry keys and values as lowercase hex', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(Uint8Array.of(0x00, 0xff, 0x10), Uint8Array.of(0xab));
    storage.crash();
    const log = eventLog();
    await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.replay')).toMatchObject([{ key: '00ff10', value: 'ab' }]);
    expect(fromHex(log.of('recovery.replay')[0]!.key)).toEqual(Uint8Array.of(0x00, 0xff, 0x10));
  });
});

describe('A flush that crashed', () => {
  it('CrashAfterTheSstableBeforeTheManifestEdit: the orphan is deleted and the WAL replayed', async () => {
    const storage = new MemoryStorage();
    // The process dies at the event: storage refuses everything after it, so nothing gets cleaned up.
    const faulty = new FaultyStorage(storage);
    const first = eventLog();
    const db = await LsmTree.open(faulty, { onEvent: first.record });
    const acknowledged = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
      acknowledged.set(`key${pad(i)}`, `value${i}`);
    }
    await db.delete(utf8(`key${pad(7)}`));
    acknowledged.delete(`key${pad(7)}`);
    db.subscribe((e) => {
      if (e.type === 'sstable.write') faulty.die();
    });
    const error = await db.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: ErrorCode.Crashed });
    const orphan = first.of('sstable.write')[0]!.table.file;
    expect(await storage.list()).toContain(orphan);
    expect(first.of('manifest.edit').filter((e) => e.added.length > 0)).toEqual([]);

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.delete')).toMatchObject([{ file: orphan }]);
    expect(await storage.list()).not.toContain(orphan);
    expect(log.of('recovery.manifest')).toMatchObject([{ tables: [] }]);
    for (let i = 0; i < 40; i++) {
      const key = `key${pad(i)}`;
      const found = await reopened.lookup(utf8(key));
      expect(text(found.value)).toBe(acknowledged.get(key));
      expect(found.source).toBe('memtable');
    }

    // Two WALs now (the replayed one and the flush's new, empty one). More writes, a second crash: both replay
    // in order, then one successful flush commits everything and removes both.
    await reopened.put(utf8(`key${pad(0)}`), utf8('newer'));
    storage.crash();
    const third = await LsmTree.open(storage);
    expect(text(await third.get(utf8(`key${pad(0)}`)))).toBe('newer');
    expect(await third.get(utf8(`key${pad(7)}`))).toBeUndefined();
    await third.flush();
    const files = await storage.list();
    const state = await third.describe();
    expect(files.filter((f) => f.endsWith('.log'))).toEqual([state.wal.file]);
    expect(files.filter((f) => f.endsWith('.sst'))).toEqual([state.tables[0]!.file]);
    await third.close();
    const fourth = await LsmTree.open(storage);
    for (let i = 1; i < 40; i++) {
      expect(text(await fourth.get(utf8(`key${pad(i)}`)))).toBe(acknowledged.get(`key${pad(i)}`));
    }
    expect(text(await fourth.get(utf8(`key${pad(0)}`)))).toBe('newer');
  });

  it('CrashInAThresholdFlush: every acknowledged put is back', async () => {
    const storage = new MemoryStorage();
    const faulty = new FaultyStorage(storage);
    const db = await LsmTree.open(faulty, { memtableBytes: 300 });
    let crashAt = -1;
    db.subscribe((e) => {
      if (e.type === 'sstable.write' && crashAt < 0) {
        crashAt = e.id;
        faulty.die();
      }
    });
    const acknowledged: string[] = [];
    let failure: unknown;
    for (let i = 0; i < 50 && failure === undefined; i++) {
      await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`)).then(
        () => acknowledged.push(`key${pad(i)}`),
        (e: unknown) => {
          failure = e;
        },
      );
    }
    expect(failure).toMatchObject({ code: ErrorCode.Crashed });
    expect(acknowledged.length).toBeGreaterThan(0);

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { memtableBytes: 300, onEvent: log.record });
    expect(log.of('recovery.delete').some((e) => e.file.endsWith('.sst'))).toBe(true);
    for (const key of acknowledged) expect(text(await reopened.get(utf8(key)))).toBe(`value${Number(key.slice(3))}`);
  });
});

describe('The manifest record is the commit point', () => {
  it('CutAnywhereInsideTheFlushRecord: the flush never happened; whole: it did', async () => {
    const storage = new MemoryStorage();
    const first = eventLog();
    const db = await LsmTree.open(storage, { onEvent: first.record });
    for (let i = 0; i < 20; i++) await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
    const before = await db.describe();
    // At the moment the manifest record is flushed, copy every file, then "crash": the old WAL is still there.
    const files = new Map<string, Uint8Array>();
    let commit: { offset: number; length: number; table: string } | undefined;
    db.subscribe((e) => {
      if (e.type !== 'manifest.edit' || e.added.length === 0) return;
      commit = { offset: e.offset, length: e.length, table: e.added[0]!.file };
      const newWal = first.of('wal.create').at(-1)!.file;
      for (const name of [before.wal.file, newWal, commit.table, before.manifest.file]) {
        files.set(name, storage.snapshot(name));
      }
      storage.crash();
    });
    await db.flush().catch(() => undefined);
    expect(commit).toBeDefined();
    const { offset, length, table } = commit!;
    expect(offset + length).toBe(files.get(before.manifest.file)!.length);

    for (let cut = offset; cut <= offset + length; cut++) {
      const copy = new MemoryStorage();
      for (const [name, bytes] of files) await writeFile(copy, name, bytes);
      copy.cut(before.manifest.file, cut);
      const log = eventLog();
      const reopened = await LsmTree.open(copy, { onEvent: log.record });
      const committed = cut === offset + length;
      const deleted = log.of('recovery.delete').map((e) => e.file);
      if (committed) {
        expect(deleted).toEqual([before.wal.file]);
        expect(log.of('recovery.torn-tail')).toEqual([]);
      } else {
        expect(deleted).toEqual([table]);
        if (cut > offset) {
          expect(log.of('recovery.torn-tail')).toMatchObject([{ file: before.manifest.file, offset }]);
        }
        expect(copy.snapshot(before.manifest.file).length).toBe(offset);
      }
      for (let i = 0; i < 20; i++) {
        const found = await reopened.lookup(utf8(`key${pad(i)}`));
        expect(text(found.value)).toBe(`value${i}`);
        expect(found.source).toBe(committed ? table : 'memtable');
      }
    }
  });
});

describe('Damaged SSTables', () => {
  async function databaseWithTables() {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { blockSize: 64 });
    for (let i = 0; i < 30; i++) await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
    await db.flush();
    const state = await db.describe();
    await db.close();
    return { storage, table: state.tables[0]! };
  }

  it('MissingSstableNamedByTheManifestIsCorruption', async () => {
    const { storage, table } = await databaseWithTables();
    await storage.remove(table.file);
    const log = eventLog();
    const error = await LsmTree.open(storage, { onEvent: log.record }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: table.file });
    // Every corruption error is also told as a 'corruption' event, as the tree does for its operations.
    expect(log.of('corruption')).toMatchObject([{ file: table.file }]);
  });

  it('DamagedFooterFailsTheOpenWithFileAndOffset', async () => {
    const { storage, table } = await databaseWithTables();
    const bytes = storage.snapshot(table.file);
    storage.poke(table.file, bytes.length - 20, flippedByte(bytes, bytes.length - 20));
    const log = eventLog();
    const error = await LsmTree.open(storage, { onEvent: log.record }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: table.file });
    const { offset } = error as LsmError;
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(bytes.length);
    expect(log.of('corruption')).toMatchObject([{ file: table.file, offset }]);
  });

  it('DamagedDataBlockFailsTheReadNotTheOpen, with a corruption event', async () => {
    const { storage, table } = await databaseWithTables();
    const log = eventLog();
    const db = await LsmTree.open(storage, { onEvent: log.record });
    const probe = eventLog();
    const unsubscribe = db.subscribe(probe.record);
    await db.get(utf8(`key${pad(15)}`));
    unsubscribe();
    const read = probe.of('read.sstable')[0]!;
    const at = read.blockOffset! + 2;
    storage.poke(table.file, at, flippedByte(storage.snapshot(table.file), at));
    db.evictCache(table.file); // the block cache holds the block as verified before the damage

    const error = await db.get(utf8(`key${pad(15)}`)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: table.file, offset: read.blockOffset });
    expect(log.of('corruption')).toMatchObject([{ file: table.file, offset: read.blockOffset }]);
    const scanError = await (async () => {
      for await (const _ of db.scan()) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(scanError).toMatchObject({ code: ErrorCode.Corruption, file: table.file });
    // A key in another block still reads, and the database keeps working.
    expect(text(await db.get(utf8(`key${pad(0)}`)))).toBe('value0');
    await db.put(utf8('more'), utf8('writes'));
    expect(text(await db.get(utf8('more')))).toBe('writes');
  });
});

describe('Opening without a manifest', () => {
  it('EmptyFilesFromACreationThatCrashedAreCleanedUp', async () => {
    const storage = new MemoryStorage();
    await writeFile(storage, 'MANIFEST-000001', new Uint8Array(0));
    await writeFile(storage, '000002.log', new Uint8Array(0));
    const log = eventLog();
    const db = await LsmTree.open(storage, { onEvent: log.record });
    expect(
      log
        .of('recovery.delete')
        .map((e) => e.file)
        .sort(),
    ).toEqual(['000002.log', 'MANIFEST-000001']);
    const state = await db.describe();
    expect(await storage.list()).toEqual([state.wal.file, state.manifest.file].sort());
    await db.put(utf8('k'), utf8('v'));
    expect(text(await db.get(utf8('k')))).toBe('v');
  });

  it('DataWithoutAManifestIsRefused, not guessed at', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('k'), utf8('v'));
    const { wal, manifest } = await db.describe();
    await db.close();
    await storage.remove(manifest.file);
    const error = await LsmTree.open(storage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: wal.file });
    expect(storage.snapshot(wal.file).length).toBeGreaterThan(0);
  });
});

describe('Recovery opens every file at once', () => {
  it('AnOpenThatFails: the handles opened beside it are all released, and the next open finds the data', async () => {
    const memory = new MemoryStorage();
    const db = await LsmTree.open(memory, { memtableBytes: 1 << 20 });
    await db.put(utf8('flushed'), utf8('in a table'));
    await db.flush();
    await db.put(utf8('logged'), utf8('in the WAL'));
    await db.close();
    const names = await memory.list();
    expect(names.filter((n) => n.endsWith('.sst'))).toHaveLength(1);

    // The table's open fails; the WAL's and the manifest's succeed, on their way at the same time.
    const refused = new Error('the table could not be opened');
    class RefusingTable extends StorageWrapper {
      override open(name: string, options?: { create?: boolean }) {
        return name.endsWith('.sst') ? Promise.reject(refused) : super.open(name, options);
      }
    }
    const failed = await LsmTree.open(new RefusingTable(memory), { memtableBytes: 1 << 20 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LsmError);
    expect((failed as LsmError).message).toMatch(/^\d{6}\.sst: open failed/);
    expect((failed as LsmError).cause).toBe(refused);

    // MemoryStorage refuses a second handle to a file, as OPFS does: this open works only if none was left open.
    const reopened = await LsmTree.open(memory, { memtableBytes: 1 << 20 });
    expect(text((await reopened.get(utf8('flushed')))!)).toBe('in a table');
    expect(text((await reopened.get(utf8('logged')))!)).toBe('in the WAL');
    await reopened.close();
  });
});
