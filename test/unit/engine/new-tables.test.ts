// Verify before commit: a flush or compaction opens its new table (trailer, footer, index, filter) before the
// manifest record that names it, as LevelDB's BuildTable does before LogAndApply. A table that cannot be read
// back (a read fault, or writes the storage reported done but dropped: LevelDB's NoSpace simulation) fails the
// flush or compaction before its commit, so the tree stays exactly as it was: the memtable keeps its entries
// and its WAL, reads keep working, and every acknowledged write survives a power cut.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmTree, MemoryStorage, type StorageFile, utf8 } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { FileWrapper, StorageWrapper } from '../../../engine/storage/wrapper';
import { expectOnlyLiveFiles, pad, rejection, scanAll, text } from '../support/tree';

/** Storage whose SSTable files can be made to fail their next read, or to drop writes while saying they took. */
class TableFaults extends StorageWrapper {
  /** The next read of a .sst file throws (once). */
  failNextRead = false;
  /** Writes to .sst files report success but store nothing (a disk that is full and does not say so). */
  dropWrites = false;

  override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const file = await super.open(name, options);
    if (!name.endsWith('.sst')) return file;
    const faults = this;
    return new (class extends FileWrapper {
      override read(buffer: Uint8Array, at?: { at?: number }): number {
        if (faults.failNextRead) {
          faults.failNextRead = false;
          throw new DOMException(`injected: read of ${name} failed`, 'InvalidStateError');
        }
        return super.read(buffer, at);
      }
      override write(buffer: Uint8Array, at?: { at?: number }): number {
        return faults.dropWrites ? buffer.length : super.write(buffer, at);
      }
    })(file);
  }
}

function setup() {
  const memory = new MemoryStorage();
  const faulty = new FaultyStorage(memory);
  const storage = new TableFaults(faulty);
  return { memory, faulty, storage };
}

describe('a new table is verified before the manifest names it', () => {
  it('ReadFaultOnNewTable: the flush fails, the tree is unchanged, and acknowledged writes survive a power cut', async () => {
    const { memory, faulty, storage } = setup();
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
    await db.put(utf8('a'), utf8('1'));
    storage.failNextRead = true;
    const error = await rejection(db.flush());
    expect(error.code).toBe(ErrorCode.IoError);
    const state = await db.describe();
    expect(state.tables).toEqual([]);
    expect(state.memtable.map((e) => e.key)).toEqual(['61']);
    await db.put(utf8('b'), utf8('2'));
    expect(await db.get(utf8('zzz'))).toBeUndefined();
    expect(text(await db.get(utf8('a')))).toBe('1');
    await expectOnlyLiveFiles(memory, await db.describe());
    faulty.powerLoss(1);
    const reopened = await LsmTree.open(memory);
    expect(text(await reopened.get(utf8('a')))).toBe('1');
    expect(text(await reopened.get(utf8('b')))).toBe('2');
    await reopened.close();
  });

  it('ReadFaultThenRetry: the next flush succeeds and commits the same entries', async () => {
    const { memory, storage } = setup();
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
    await db.put(utf8('a'), utf8('1'));
    storage.failNextRead = true;
    await rejection(db.flush());
    await db.flush();
    const state = await db.describe();
    expect(state.tables).toHaveLength(1);
    expect(state.memtable).toEqual([]);
    expect(text(await db.get(utf8('a')))).toBe('1');
    await expectOnlyLiveFiles(memory, state);
    await db.close();
  });

  it('NoSpaceOnFlush: a table whose writes were dropped is refused, nothing is committed', async () => {
    const { memory, faulty, storage } = setup();
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
    await db.put(utf8('a'), utf8('1'));
    storage.dropWrites = true;
    const error = await rejection(db.flush());
    expect([ErrorCode.Corruption, ErrorCode.IoError]).toContain(error.code);
    expect((await db.describe()).tables).toEqual([]);
    await db.put(utf8('b'), utf8('2'));
    faulty.powerLoss(2);
    const reopened = await LsmTree.open(memory);
    expect(text(await reopened.get(utf8('a')))).toBe('1');
    expect(text(await reopened.get(utf8('b')))).toBe('2');
    await reopened.close();
  });

  it('NoSpaceOnCompaction: the compaction fails before its commit; reads, writes and a power cut lose nothing', async () => {
    const { memory, faulty, storage } = setup();
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20, l0Trigger: 100, blockSize: 256 });
    const expected = new Map<string, string>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) {
        const key = `k${pad(i * 4 + round)}`;
        await db.put(utf8(key), utf8(`v${round}`));
        expected.set(key, `v${round}`);
      }
      await db.flush();
    }
    const before = await db.describe();
    storage.dropWrites = true;
    await db.setOptions({ l0Trigger: 4 });
    const error = await rejection(db.compact());
    expect([ErrorCode.Corruption, ErrorCode.IoError]).toContain(error.code);
    expect((await db.describe()).tables).toEqual(before.tables);
    for (const [key, value] of expected) expect(text(await db.get(utf8(key)))).toBe(value);
    expect(await scanAll(db)).toHaveLength(expected.size);
    storage.dropWrites = false;
    await db.put(utf8('late'), utf8('write'));
    faulty.powerLoss(3);
    const reopened = await LsmTree.open(memory);
    for (const [key, value] of expected) expect(text(await reopened.get(utf8(key)))).toBe(value);
    expect(text(await reopened.get(utf8('late')))).toBe('write');
    await reopened.close();
  });

  it('ReadFaultOnCompactionOutput: a write-triggered compaction fails quietly and is retried', async () => {
    const { memory, storage } = setup();
    const db = await LsmTree.open(storage, { memtableBytes: 200, l0Trigger: 2, blockSize: 64 });
    const errors: string[] = [];
    db.subscribe((e) => {
      if (e.type === 'background.error') errors.push(e.code);
    });
    const expected = new Map<string, string>();
    let armed = false;
    for (let i = 0; i < 120; i++) {
      const key = `k${pad(i % 37)}`;
      if (!armed && (await db.describe()).tables.length === 1) {
        // The next table opened is the flush's or the compaction's output: its read fails once.
        storage.failNextRead = true;
        armed = true;
      }
      await db.put(utf8(key), utf8(`v${i}`));
      expected.set(key, `v${i}`);
      for (const [k, v] of expected) expect(text(await db.get(utf8(k)))).toBe(v);
    }
    expect(armed).toBe(true);
    expect(errors).toContain(ErrorCode.IoError);
    expect(db.readOnly).toBeUndefined();
    await db.flush();
    await expectOnlyLiveFiles(memory, await db.describe());
    await db.close();
    const reopened = await LsmTree.open(memory);
    for (const [k, v] of expected) expect(text(await reopened.get(utf8(k)))).toBe(v);
    await reopened.close();
  });
});

describe('a new table whose write or flush fails', () => {
  for (const fault of [
    { operation: 'write', kind: 'io' },
    { operation: 'write', kind: 'short-write' },
    { operation: 'flush', kind: 'io' },
  ] as const) {
    it(`${fault.operation} ${fault.kind} on the flush's SSTable: nothing committed, nothing lost under power loss`, async () => {
      const { memory, faulty, storage } = setup();
      const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
      await db.put(utf8('a'), utf8('1'));
      faulty.inject({ ...fault, nth: 1, fileSuffix: '.sst' });
      const error = await rejection(db.flush());
      expect(error.code).toBe(ErrorCode.IoError);
      const state = await db.describe();
      expect(state.tables).toEqual([]);
      expect(state.memtable.map((e) => e.key)).toEqual(['61']);
      await expectOnlyLiveFiles(memory, state);
      await db.put(utf8('b'), utf8('2'));
      await db.flush();
      expect((await db.describe()).tables).toHaveLength(1);
      await db.put(utf8('c'), utf8('3'));
      faulty.powerLoss(4);
      const reopened = await LsmTree.open(memory);
      for (const [k, v] of [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ])
        expect(text(await reopened.get(utf8(k!)))).toBe(v);
      await reopened.close();
    });
  }
});
