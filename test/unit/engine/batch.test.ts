// Write batches (LevelDB's WriteBatch): several writes as one WAL record under one checksum, flushed once, and
// atomic across crashes: after a torn batch record recovery finds none of its writes, never a prefix.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmTree, MemoryStorage, utf8, WriteBatch } from '../../../engine';
import { decodeBatch } from '../../../engine/codec/batch';
import { stampSequence } from '../../../engine/codec/entry';
import {
  checkedPayloadLength,
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_SIZE,
  recordPayload,
  sealRecord,
} from '../../../engine/log/format';
import { readLog } from '../../../engine/log/reader';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { eventLog } from '../support/events';
import { text } from '../support/tree';

/** A batch's sealed WAL record, and its payload (from its op byte on). */
function sealed(batch: WriteBatch, firstSeq: number): { record: Uint8Array; payload: Uint8Array } {
  const record = batch.walRecord();
  stampSequence(recordPayload(record), firstSeq);
  sealRecord(record);
  return { record, payload: recordPayload(record) };
}

describe('Batch record format', () => {
  it('RoundTrips: a sealed batch is a valid WAL record whose writes come back in order, sequence numbers counting up', () => {
    const batch = new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b')).put(utf8('c'), new Uint8Array(0));
    const { record, payload } = sealed(batch, 2 ** 40 + 7);
    expect(record.length).toBe(RECORD_HEADER_SIZE + batch.byteLength);
    expect(checkedPayloadLength(record, 0)).toBe(batch.byteLength);
    const entries = decodeBatch(payload, 0, payload.length)!;
    expect(entries.map((e) => [e.op, e.seq, text(e.key), text(e.value)])).toEqual([
      ['put', 2 ** 40 + 7, 'a', '1'],
      ['delete', 2 ** 40 + 8, 'b', ''],
      ['put', 2 ** 40 + 9, 'c', ''],
    ]);
  });

  it('SnapshotsAreTheirOwn: changing the batch afterwards leaves a taken record as it was', () => {
    const batch = new WriteBatch().put(utf8('a'), utf8('1'));
    const before = sealed(batch, 1).record;
    const copy = before.slice();
    batch.clear();
    for (let i = 0; i < 200; i++) batch.put(utf8(`key${i}`), utf8('a value long enough to grow the buffer')); // grows
    expect(before).toEqual(copy);
    expect(decodeBatch(sealed(batch, 5).payload, 0, batch.byteLength)).toHaveLength(200);
  });

  it('RejectsMalformedPayloads: short, bad op, count past the bytes, trailing bytes, a delete with a value', () => {
    const { payload } = sealed(new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b')), 1);
    const bad = (change: (p: Uint8Array) => Uint8Array) => {
      const changed = change(payload.slice());
      return decodeBatch(changed, 0, changed.length);
    };
    const poke = (at: number, byte: number) => (p: Uint8Array) => {
      p[at] = byte;
      return p;
    };
    expect(bad((p) => p.subarray(0, 12))).toBeUndefined();
    expect(bad((p) => p.subarray(0, p.length - 1))).toBeUndefined();
    expect(bad((p) => Uint8Array.from([...p, 0]))).toBeUndefined();
    expect(bad(poke(13, 9))).toBeUndefined(); // first write's op
    expect(bad(poke(9, 3))).toBeUndefined(); // count 3, bytes for 2
    expect(bad(poke(9, 0))).toBeUndefined(); // an empty batch is never written
    const withValue = sealed(new WriteBatch().put(utf8('b'), utf8('x')), 1).payload;
    withValue[13] = 2; // a delete that carries a value
    expect(decodeBatch(withValue, 0, withValue.length)).toBeUndefined();
  });
});

describe('LsmTree.write(batch)', () => {
  it('AppliesEveryWriteInOrder: later writes to a key win, deletes hide, and the batch can be reused', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    await db.put(utf8('gone'), utf8('old'));
    const batch = new WriteBatch().put(utf8('a'), utf8('1')).put(utf8('a'), utf8('2')).delete(utf8('gone'));
    expect(batch.count).toBe(3);
    await db.write(batch);
    expect(text(await db.get(utf8('a')))).toBe('2');
    expect(await db.get(utf8('gone'))).toBeUndefined();
    batch.clear();
    await db.write(batch.put(utf8('b'), utf8('3'))); // reused
    expect(text(await db.get(utf8('b')))).toBe('3');
    expect((await db.describe()).lastSequence).toBe(1 + 3 + 1);
  });

  it('IsOneWalRecordAndOneFlush, however many writes it holds', async () => {
    const memory = new MemoryStorage();
    let flushes = 0;
    const counting = {
      open: async (name: string, options?: { create?: boolean }) => {
        const file = await memory.open(name, options);
        return {
          ...file,
          read: file.read.bind(file),
          write: file.write.bind(file),
          truncate: file.truncate.bind(file),
          getSize: file.getSize.bind(file),
          close: file.close.bind(file),
          flush: () => {
            if (name.endsWith('.log')) flushes++;
            file.flush();
          },
        };
      },
      remove: (name: string) => memory.remove(name),
      list: () => memory.list(),
    };
    const log = eventLog();
    const db = await LsmTree.open(counting, { onEvent: log.record });
    const batch = new WriteBatch();
    for (let i = 0; i < 100; i++) batch.put(utf8(`key${i}`), utf8(`value${i}`));
    const before = flushes;
    await db.write(batch);
    expect(flushes - before).toBe(1);
    expect(log.of('wal.append')).toHaveLength(0);
    const [record] = log.of('wal.batch');
    expect(record!.writes).toHaveLength(100);
    expect(log.of('memtable.insert')).toHaveLength(100);
    const wal = (await db.describe()).wal;
    const { records, ending } = readLog(memory.snapshot(wal.file));
    expect(ending.kind).toBe('clean');
    expect(records).toHaveLength(1);
    expect(records[0]!.length).toBe(8 + batch.byteLength);
  });

  it('SurvivesACrash: replayed from its one record', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.write(new WriteBatch().put(utf8('x'), utf8('1')).put(utf8('y'), utf8('2')).delete(utf8('x')));
    storage.crash();
    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(await reopened.get(utf8('x'))).toBeUndefined();
    expect(text(await reopened.get(utf8('y')))).toBe('2');
    expect(log.of('recovery.replay').map((e) => e.batch)).toEqual([3]);
    expect(log.of('memtable.insert')).toHaveLength(3);
    expect((await reopened.describe()).lastSequence).toBe(3);
  });

  it('IsAtomic: a batch torn by a crash leaves none of its writes, and every write before it', async () => {
    for (const durability of ['durable', 'group'] as const) {
      const memory = new MemoryStorage();
      const faulty = new FaultyStorage(memory);
      const db = await LsmTree.open(faulty, { durability });
      await db.put(utf8('before'), utf8('kept'));
      if (durability === 'group') await db.flush(); // the group's flush: 'before' is durable
      faulty.tearNextWrite('.log');
      const batch = new WriteBatch();
      for (let i = 0; i < 50; i++) batch.put(utf8(`key${i}`), utf8(`value${i}`));
      await expect(db.write(batch)).rejects.toMatchObject({ code: ErrorCode.Crashed });
      const log = eventLog();
      const reopened = await LsmTree.open(memory, { onEvent: log.record });
      expect(log.of('recovery.torn-tail'), durability).toHaveLength(1);
      expect(text(await reopened.get(utf8('before')))).toBe('kept');
      for (let i = 0; i < 50; i++) expect(await reopened.get(utf8(`key${i}`)), `key${i}`).toBeUndefined();
    }
  });

  it('RefusesBadInputBeforeWritingAnything: bad keys and values when added, an oversized batch when written', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    const batch = new WriteBatch();
    expect(() => batch.put(new Uint8Array(0), utf8('v'))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidArgument }),
    );
    expect(() => batch.delete(new Uint8Array(2000))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidArgument }),
    );
    expect(batch.count).toBe(0);
    await db.write(batch); // empty: nothing to do
    const value = new Uint8Array(60 * 1024);
    for (let i = 0; batch.byteLength <= MAX_RECORD_PAYLOAD; i++) batch.put(utf8(`k${i}`), value);
    await expect(db.write(batch)).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
    const state = await db.describe();
    expect(state.lastSequence).toBe(0);
    expect(state.wal.size).toBe(0);
    await expect(db.write({} as WriteBatch)).rejects.toThrow(TypeError);
  });
});
