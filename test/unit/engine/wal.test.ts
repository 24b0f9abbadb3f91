// The write-ahead log: the seed's five WAL tests in spirit (append/recover, clear, empty, order, write after
// clear), then the record framing and the log reader's three endings (clean, torn tail, corruption).
import { describe, expect, it } from 'vitest';
import { ErrorCode, fromHex, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { decodeEntry } from '../../../engine/codec/entry';
import { checkedPayloadLength, frameRecord, RECORD_HEADER_SIZE } from '../../../engine/log/format';
import { readLog } from '../../../engine/log/reader';
import { LogAppendError } from '../../../engine/log/writer';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { eventLog } from '../support/events';
import { text } from '../support/tree';

const logFiles = async (storage: MemoryStorage) => (await storage.list()).filter((f) => f.endsWith('.log'));

describe('WAL through the tree (seed parity)', () => {
  it('AppendAndRecover: puts and deletes written, crash, every one replayed', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    await db.put(utf8('b'), utf8('2'));
    await db.delete(utf8('a'));
    await db.put(utf8('c'), new Uint8Array(0));
    const before = await db.describe();
    expect(before.wal.size).toBeGreaterThan(0);
    expect(storage.snapshot(before.wal.file).length).toBe(before.wal.size);
    storage.crash();

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.replay').map((e) => [e.op, text(fromHex(e.key))])).toEqual([
      ['put', 'a'],
      ['put', 'b'],
      ['delete', 'a'],
      ['put', 'c'],
    ]);
    expect(await reopened.get(utf8('a'))).toBeUndefined();
    expect(text(await reopened.get(utf8('b')))).toBe('2');
    expect(await reopened.get(utf8('c'))).toEqual(new Uint8Array(0));
    const after = await reopened.describe();
    expect(after.memtable).toEqual(before.memtable);
    expect(after.lastSequence).toBe(before.lastSequence);
  });

  it('ClearAfterFlush: the old WAL file is gone and a new, empty WAL takes its place', async () => {
    const storage = new MemoryStorage();
    const log = eventLog();
    const db = await LsmTree.open(storage, { onEvent: log.record });
    await db.put(utf8('k1'), utf8('v1'));
    await db.put(utf8('k2'), utf8('v2'));
    const oldWal = (await db.describe()).wal.file;
    await db.flush();

    const state = await db.describe();
    expect(state.wal.file).not.toBe(oldWal);
    expect(state.wal.size).toBe(0);
    expect(await logFiles(storage)).toEqual([state.wal.file]);
    expect(storage.snapshot(state.wal.file).length).toBe(0);
    expect(log.of('wal.remove').map((e) => e.file)).toEqual([oldWal]);
    expect(state.memtable).toEqual([]);
    expect(text(await db.get(utf8('k1')))).toBe('v1');
  });

  it('EmptyWal: reopening a fresh database replays nothing', async () => {
    const storage = new MemoryStorage();
    const first = eventLog();
    const db = await LsmTree.open(storage, { onEvent: first.record });
    const walName = (await db.describe()).wal.file;
    await db.close();

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.replay')).toEqual([]);
    expect(log.of('recovery.torn-tail')).toEqual([]);
    expect(log.of('recovery.end')).toMatchObject([{ replayed: 0, memtableEntries: 0, wal: walName, walSize: 0 }]);
    expect((await reopened.describe()).memtable).toEqual([]);
    expect(await reopened.get(utf8('anything'))).toBeUndefined();
  });

  it('OrderPreserved: replay follows write order, and the later put of a key wins', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    const writes = ['zebra', 'apple', 'mango', 'apple', 'banana', 'zebra'];
    for (const [i, key] of writes.entries()) await db.put(utf8(key), utf8(`v${i}`));
    storage.crash();

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    const replayed = log.of('recovery.replay');
    expect(replayed.map((e) => text(fromHex(e.key)))).toEqual(writes);
    expect(replayed.map((e) => text(fromHex(e.value!)))).toEqual(writes.map((_, i) => `v${i}`));
    const seqs = replayed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const offsets = replayed.map((e) => e.offset);
    for (let i = 1; i < replayed.length; i++) expect(offsets[i]).toBe(offsets[i - 1]! + replayed[i - 1]!.length);
    expect(text(await reopened.get(utf8('apple')))).toBe('v3');
    expect(text(await reopened.get(utf8('zebra')))).toBe('v5');
  });

  it('WriteAfterClear: after a flush, new writes go to the new WAL and survive a crash', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('old'), utf8('flushed'));
    await db.flush();
    const newWal = (await db.describe()).wal.file;
    await db.put(utf8('new'), utf8('logged'));
    await db.delete(utf8('old'));
    expect(storage.snapshot(newWal).length).toBeGreaterThan(0);
    storage.crash();

    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.replay').every((e) => e.file === newWal)).toBe(true);
    expect(log.of('recovery.replay')).toHaveLength(2);
    expect(text(await reopened.get(utf8('new')))).toBe('logged');
    // The tombstone in the WAL still hides the value in the SSTable.
    expect(await reopened.get(utf8('old'))).toBeUndefined();
  });

  it('SequenceNumbersContinueAfterRecovery', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    for (let i = 0; i < 5; i++) await db.put(utf8(`k${i}`), utf8('v'));
    const before = (await db.describe()).lastSequence;
    storage.crash();
    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    await reopened.put(utf8('after'), utf8('v'));
    expect(log.of('wal.append')[0]!.seq).toBe(before + 1);
  });
});

describe('WAL record framing and the log reader', () => {
  const payloads = [utf8('first'), new Uint8Array(0), utf8('third record, longer')];
  const framed = payloads.map((payload) => frameRecord(payload));
  const log = Uint8Array.from(framed.flatMap((r) => [...r]));

  it('FrameRecord: checksum | length | payload, and the checksum covers the length', () => {
    const record = framed[0]!;
    expect(record.length).toBe(RECORD_HEADER_SIZE + 5);
    expect(new DataView(record.buffer).getUint32(4, true)).toBe(5);
    expect(record.subarray(RECORD_HEADER_SIZE)).toEqual(utf8('first'));
    expect(checkedPayloadLength(record, 0)).toBe(5);
    for (let at = 0; at < record.length; at++) {
      const damaged = record.slice();
      damaged[at]! ^= 0x01;
      expect(checkedPayloadLength(damaged, 0)).toBeUndefined();
    }
  });

  it('ZeroFilledBytesAreNeverARecord (a hole left by a write past the end)', () => {
    expect(checkedPayloadLength(new Uint8Array(RECORD_HEADER_SIZE), 0)).toBeUndefined();
    expect(readLog(new Uint8Array(64))).toEqual({
      records: [],
      ending: { kind: 'torn', offset: 0, droppedBytes: 64 },
    });
  });

  it('CleanLog: every record back with its offset and length', () => {
    const { records, ending } = readLog(log);
    expect(ending).toEqual({ kind: 'clean' });
    expect(records.map((r) => r.payload)).toEqual(payloads);
    expect(records.map((r) => r.offset)).toEqual([0, framed[0]!.length, framed[0]!.length + framed[1]!.length]);
    expect(records.map((r) => r.length)).toEqual(framed.map((r) => r.length));
  });

  it('TruncatedTrailingRecordIsIgnored at every cut inside the last record', () => {
    const lastAt = log.length - framed[2]!.length;
    for (let cut = lastAt + 1; cut < log.length; cut++) {
      const { records, ending } = readLog(log.subarray(0, cut));
      expect(records.map((r) => r.payload)).toEqual(payloads.slice(0, 2));
      expect(ending).toEqual({ kind: 'torn', offset: lastAt, droppedBytes: cut - lastAt });
    }
  });

  it('ChecksumMismatch followed by a valid record is corruption at the bad record', () => {
    const damaged = log.slice();
    damaged[RECORD_HEADER_SIZE + 2]! ^= 0x40; // inside the first payload
    const { records, ending } = readLog(damaged);
    expect(records).toEqual([]);
    expect(ending).toMatchObject({ kind: 'corrupt', offset: 0 });
  });

  it('ChecksumMismatchInTheLastRecord is a torn tail', () => {
    const damaged = log.slice();
    damaged[log.length - 1]! ^= 0x40;
    const { records, ending } = readLog(damaged);
    expect(records).toHaveLength(2);
    expect(ending).toEqual({ kind: 'torn', offset: log.length - framed[2]!.length, droppedBytes: framed[2]!.length });
  });

  it('WalPayloadIsAnEntry: op, sequence, key and value decode back', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('key'), utf8('value'));
    await db.delete(utf8('key'));
    const { wal } = await db.describe();
    const { records, ending } = readLog(storage.snapshot(wal.file));
    expect(ending).toEqual({ kind: 'clean' });
    const entries = records.map((r) => decodeEntry(r.payload, 0, r.payload.length)!);
    expect(entries).toEqual([
      { op: 'put', seq: 1, key: utf8('key'), value: utf8('value') },
      { op: 'delete', seq: 2, key: utf8('key'), value: new Uint8Array(0) },
    ]);
  });
});

describe('A failed WAL append is typed', () => {
  it('AppendFailsTyped: a refused write is a LogAppendError with the WAL file and the offset the record was to take', async () => {
    const memory = new MemoryStorage();
    const storage = new FaultyStorage(memory);
    const db = await LsmTree.open(storage);
    await db.put(utf8('a'), utf8('1'));
    const wal = (await db.describe()).wal;
    storage.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '.log' });
    const error = await db.put(utf8('b'), utf8('2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogAppendError);
    expect(error).toMatchObject({
      code: ErrorCode.IoError,
      file: wal.file,
      offset: wal.size,
      log: 'wal',
      cutBack: true,
    });
    // Cut back: nothing of the failed record is left, and the next write lands where it would have.
    await db.put(utf8('c'), utf8('3'));
    expect(readLog(memory.snapshot(wal.file)).ending).toEqual({ kind: 'clean' });
    expect(text(await db.get(utf8('c')))).toBe('3');
    expect(await db.get(utf8('b'))).toBeUndefined();
  });
});
