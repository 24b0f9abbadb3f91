// The manifest: version edits encoded and decoded, replayed into a Version, and what recovery does with the
// files around it (stray SSTables, WALs below the log number, a torn last record, the rewrite after 64 records).
import { describe, expect, it } from 'vitest';
import { ErrorCode, fromHex, LsmError, LsmTree, MemoryStorage, type SstableMeta, utf8 } from '../../../engine';
import { frameRecord } from '../../../engine/log/format';
import { readLog } from '../../../engine/log/reader';
import { decodeEdit, encodeEdit, type VersionEdit } from '../../../engine/manifest/edit';
import { Version } from '../../../engine/manifest/version';
import { eventLog } from '../support/events';
import { flippedByte, writeFile } from '../support/storage';
import { pad, text } from '../support/tree';

const table = (number: number, level: number, smallest: string, largest: string): SstableMeta => ({
  file: `${String(number).padStart(6, '0')}.sst`,
  number,
  level,
  size: 1000 + number,
  entries: 10 * number,
  blocks: number,
  dataBytes: 900 + number,
  smallest: fromHex(smallest),
  largest: fromHex(largest),
  smallestSeq: 100 * number,
  largestSeq: 100 * number + 99,
});

const manifestOf = async (storage: MemoryStorage) => (await storage.list()).filter((f) => f.startsWith('MANIFEST-'));

describe('Version edits', () => {
  it('EncodeDecodeRoundTrip, including empty and 0x00/0xFF keys and removals', () => {
    const edit: VersionEdit = {
      logNumber: 12,
      nextFileNumber: 15,
      lastSequence: 2 ** 40 + 7,
      added: [table(13, 0, '00', 'ffff'), table(14, 1, '', '61626300')],
      removed: [3, 4, 9],
    };
    const payload = encodeEdit(edit);
    expect(decodeEdit(payload, 'MANIFEST-000001', 8)).toEqual(edit);
    const empty: VersionEdit = { logNumber: 0, nextFileNumber: 1, lastSequence: 0, added: [], removed: [] };
    expect(decodeEdit(encodeEdit(empty), 'MANIFEST-000001', 8)).toEqual(empty);
  });

  it('TruncatedEditIsCorruptionWithFileAndOffset', () => {
    const payload = encodeEdit({
      logNumber: 2,
      nextFileNumber: 4,
      lastSequence: 9,
      added: [table(3, 0, '61', '7a')],
      removed: [1],
    });
    for (let cut = 0; cut < payload.length; cut++) {
      let caught: unknown;
      try {
        decodeEdit(payload.subarray(0, cut), 'MANIFEST-000005', 100);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LsmError);
      expect(caught).toMatchObject({ code: ErrorCode.Corruption, file: 'MANIFEST-000005' });
      expect((caught as LsmError).offset).toBeGreaterThanOrEqual(100);
      expect((caught as LsmError).offset).toBeLessThanOrEqual(100 + payload.length);
    }
    const longer = new Uint8Array(payload.length + 1);
    longer.set(payload);
    expect(() => decodeEdit(longer, 'MANIFEST-000005', 100)).toThrow(LsmError);
  });

  it('VersionApply: adds, removes, and takes the counters of the latest edit', () => {
    const version = new Version();
    version.apply({ logNumber: 2, nextFileNumber: 3, lastSequence: 0, added: [], removed: [] });
    version.apply({ logNumber: 4, nextFileNumber: 6, lastSequence: 10, added: [table(5, 0, '61', '62')], removed: [] });
    version.apply({ logNumber: 7, nextFileNumber: 9, lastSequence: 20, added: [table(8, 0, '60', '63')], removed: [] });
    version.apply({
      logNumber: 7,
      nextFileNumber: 11,
      lastSequence: 20,
      added: [table(10, 1, '60', '63')],
      removed: [5],
    });
    expect([...version.tables.keys()].sort((a, b) => a - b)).toEqual([8, 10]);
    expect(version.logNumber).toBe(7);
    expect(version.nextFileNumber).toBe(11);
    expect(version.lastSequence).toBe(20);
  });

  it('NewestFirst: level 0 newest (highest sequence) first, then each deeper level in key order', () => {
    const version = new Version();
    version.apply({
      logNumber: 1,
      nextFileNumber: 20,
      lastSequence: 0,
      added: [
        table(3, 1, '70', '7f'),
        table(4, 0, '', ''),
        table(9, 0, '', ''),
        table(2, 2, '', ''),
        table(7, 1, '10', '1f'),
      ],
      removed: [],
    });
    expect(version.newestFirst().map((t) => t.number)).toEqual([9, 4, 7, 3, 2]);
    // A compaction output keeps its inputs' sequence numbers: a higher file number is not newer data.
    const older = { ...table(12, 0, '', ''), largestSeq: 1 };
    version.apply({ logNumber: 1, nextFileNumber: 20, lastSequence: 0, added: [older], removed: [] });
    expect(version.newestFirst().map((t) => t.number)).toEqual([9, 4, 12, 7, 3, 2]);
  });

  it('SnapshotRecreatesTheVersion from nothing, through the byte encoding', () => {
    const version = new Version();
    version.apply({ logNumber: 4, nextFileNumber: 6, lastSequence: 10, added: [table(5, 0, '61', '62')], removed: [] });
    version.apply({ logNumber: 7, nextFileNumber: 9, lastSequence: 20, added: [table(8, 0, '60', '63')], removed: [] });
    const rebuilt = new Version();
    rebuilt.apply(decodeEdit(encodeEdit(version.asEdit()), 'MANIFEST-000010', 8));
    expect(rebuilt.newestFirst()).toEqual(version.newestFirst());
    expect([rebuilt.logNumber, rebuilt.nextFileNumber, rebuilt.lastSequence]).toEqual([7, 9, 20]);
  });
});

describe('Manifest during recovery', () => {
  it('AStraySstableNoManifestNamesIsDeleted', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    await db.close();
    await writeFile(storage, '000099.sst', utf8('not a table at all'));

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.delete').map((e) => e.file)).toEqual(['000099.sst']);
    expect(await storage.list()).not.toContain('000099.sst');
    expect(text(await reopened.get(utf8('a')))).toBe('1');
    // The counter moved past the stray's number: no new file can collide with a name seen on storage.
    await reopened.put(utf8('b'), utf8('2'));
    await reopened.flush();
    expect((await reopened.describe()).tables[0]!.number).toBeGreaterThan(99);
  });

  it('WalsBelowTheLogNumberAreDeletedNotReplayed', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('ghost'), utf8('old value'));
    const { wal } = await db.describe();
    const stale = storage.snapshot(wal.file); // holds only: put ghost = old value
    await db.delete(utf8('ghost'));
    await db.flush(); // the SSTable holds the tombstone; the WAL is removed
    storage.crash();
    // A crash between the manifest commit and the WAL's removal leaves the old WAL behind.
    await writeFile(storage, wal.file, stale);

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.delete').map((e) => e.file)).toEqual([wal.file]);
    expect(log.of('recovery.replay')).toEqual([]);
    expect(await storage.list()).not.toContain(wal.file);
    expect(await reopened.get(utf8('ghost'))).toBeUndefined();
  });

  it('TornLastManifestRecordIsCutOff', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    const { manifest } = await db.describe();
    storage.crash();
    // Half of a real edit record: the append a crash interrupted.
    const record = frameRecord(
      encodeEdit({
        logNumber: 50,
        nextFileNumber: 52,
        lastSequence: 99,
        added: [table(51, 0, '61', '62')],
        removed: [],
      }),
    );
    storage.poke(manifest.file, manifest.size, record.subarray(0, record.length - 5));

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.torn-tail')).toMatchObject([
      { file: manifest.file, offset: manifest.size, droppedBytes: record.length - 5 },
    ]);
    expect(log.of('recovery.manifest')).toMatchObject([{ file: manifest.file, records: 2, lastSequence: 1 }]);
    expect(storage.snapshot(manifest.file).length).toBe(manifest.size);
    expect(text(await reopened.get(utf8('a')))).toBe('1');
    // And the manifest takes new records after the cut.
    await reopened.put(utf8('b'), utf8('2'));
    await reopened.flush();
    const { records, ending } = readLog(storage.snapshot(manifest.file));
    expect(ending).toEqual({ kind: 'clean' });
    expect(records).toHaveLength(3);
  });

  it('GarbageAfterTheLastManifestRecordIsATornTail', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    const { manifest } = await db.describe();
    storage.crash();
    storage.poke(
      manifest.file,
      manifest.size,
      Uint8Array.from({ length: 40 }, (_, i) => i * 7),
    );
    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.torn-tail')).toMatchObject([{ file: manifest.file, offset: manifest.size }]);
    expect(text(await reopened.get(utf8('a')))).toBe('1');
  });

  it('ManifestChecksumMismatchFollowedByValidRecordsIsCorruption', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    await db.put(utf8('b'), utf8('2'));
    await db.flush();
    const { manifest } = await db.describe();
    storage.crash();
    const { records } = readLog(storage.snapshot(manifest.file));
    expect(records).toHaveLength(3);
    const second = records[1]!;
    storage.poke(manifest.file, second.offset + 12, flippedByte(storage.snapshot(manifest.file), second.offset + 12));

    const log = eventLog();
    const error = await LsmTree.open(storage, { onEvent: log.record }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: manifest.file, offset: second.offset });
    expect(log.of('corruption')).toMatchObject([{ file: manifest.file, offset: second.offset }]);
    // A failed open leaves no handle behind: the files can still be opened (downloaded, reset).
    for (const name of await storage.list()) (await storage.open(name)).close();
  });

  it('ManifestRecordThatPassesItsChecksumButDoesNotParseIsCorruption, with a corruption event', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    const { manifest } = await db.describe();
    storage.crash();
    // A whole, checksum-valid record whose payload is too short to be a version edit.
    storage.poke(manifest.file, manifest.size, frameRecord(Uint8Array.of(1, 2, 3)));

    const log = eventLog();
    const error = await LsmTree.open(storage, { onEvent: log.record }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: manifest.file, offset: manifest.size + 8 });
    expect(log.of('corruption')).toMatchObject([{ file: manifest.file, offset: manifest.size + 8 }]);
  });

  it('ManifestRewriteAfterMoreThan64Records: one snapshot record, the old manifest deleted, data intact', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { compaction: 'off' });
    for (let i = 0; i < 64; i++) {
      await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
      await db.flush();
    }
    await db.put(utf8('unflushed'), utf8('in the WAL'));
    const before = await db.describe();
    expect(readLog(storage.snapshot(before.manifest.file)).records).toHaveLength(65);
    await db.close();

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    const after = await reopened.describe();
    expect(after.manifest.file).not.toBe(before.manifest.file);
    expect(await manifestOf(storage)).toEqual([after.manifest.file]);
    expect(log.of('recovery.delete').map((e) => e.file)).toEqual([before.manifest.file]);
    const { records, ending } = readLog(storage.snapshot(after.manifest.file));
    expect(ending).toEqual({ kind: 'clean' });
    expect(records).toHaveLength(1);
    expect(after.tables).toEqual(before.tables);
    for (let i = 0; i < 64; i++) expect(text(await reopened.get(utf8(`key${pad(i)}`)))).toBe(`value${i}`);
    expect(text(await reopened.get(utf8('unflushed')))).toBe('in the WAL');
    await reopened.close();

    // The snapshot is a manifest like any other: the next open reads it, rewrites nothing, loses nothing.
    const again = eventLog();
    const third = await LsmTree.open(storage, { onEvent: again.record });
    expect(again.of('recovery.manifest')).toMatchObject([{ file: after.manifest.file, records: 1 }]);
    expect(again.of('recovery.delete')).toEqual([]);
    expect((await third.describe()).tables).toEqual(before.tables);
    expect(text(await third.get(utf8(`key${pad(0)}`)))).toBe('value0');
  });

  it('AnOldManifestLeftBehindByARewriteIsDeleted: the newest whole manifest rules', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    for (let i = 0; i < 64; i++) {
      await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
      await db.flush();
    }
    const old = (await db.describe()).manifest.file;
    await db.close();
    const oldBytes = storage.snapshot(old);
    const reopened = await LsmTree.open(storage);
    const current = (await reopened.describe()).manifest.file;
    await reopened.put(utf8('key0000'), utf8('rewritten later'));
    await reopened.flush();
    storage.crash();
    // A crash between the snapshot's flush and the old manifest's removal.
    await writeFile(storage, old, oldBytes);

    const log = eventLog();
    const third = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.manifest')).toMatchObject([{ file: current, records: 2 }]);
    expect(log.of('recovery.delete').map((e) => e.file)).toEqual([old]);
    expect(await manifestOf(storage)).toEqual([current]);
    expect(text(await third.get(utf8('key0000')))).toBe('rewritten later');
    expect(text(await third.get(utf8('key0063')))).toBe('value63');
  });

  it('AnUnfinishedManifestRewriteIsIgnored: the older, whole manifest still rules', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.flush();
    const { manifest } = await db.describe();
    storage.crash();
    const half = frameRecord(encodeEdit({ logNumber: 1, nextFileNumber: 2, lastSequence: 0, added: [], removed: [] }));
    await writeFile(storage, 'MANIFEST-000900', half.subarray(0, 10));

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.manifest')).toMatchObject([{ file: manifest.file }]);
    expect(log.of('recovery.delete').map((e) => e.file)).toEqual(['MANIFEST-000900']);
    expect(await manifestOf(storage)).toEqual([manifest.file]);
    expect(text(await reopened.get(utf8('a')))).toBe('1');
  });
});
