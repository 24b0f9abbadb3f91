// db.write() takes a batch's record without copying it when it can: the batch hands its own buffer over and
// starts a new one at its next change. Whatever the caller does with the batch afterwards (write it again,
// add to it, clear and refill it), a record already taken, sealed or waiting in a group commit stays as it was.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8, WriteBatch } from '../../../engine';
import { decodeBatch, sealBatchRecord } from '../../../engine/codec/batch';
import { RECORD_HEADER_SIZE, recordChecksumMatches } from '../../../engine/log/format';
import { text } from '../support/tree';

const value = (tag: string) => utf8(tag.padEnd(100, '.'));

/** A batch of `n` puts of 100-byte values: more than half of its first buffer (handed over, not copied). */
function fullBatch(n: number, tag: string): WriteBatch {
  const batch = new WriteBatch();
  for (let i = 0; i < n; i++) batch.put(utf8(`k${i}`), value(tag));
  return batch;
}

describe('WriteBatch hands its buffer over', () => {
  it('TakenRecordsStayPut: writing again, adding, clearing and refilling never touch a taken record', () => {
    const batch = fullBatch(6, 'one');
    const first = batch.snapshot();
    sealBatchRecord(first, 1);
    const kept = first.slice();
    // The same bytes again: a copy, sealed with its own sequence number.
    const second = batch.snapshot();
    expect(second.buffer).not.toBe(first.buffer);
    sealBatchRecord(second, 7);
    batch.put(utf8('more'), value('two'));
    const third = batch.snapshot();
    batch.clear();
    for (let i = 0; i < 6; i++) batch.put(utf8(`k${i}`), value('three'));
    const fourth = batch.snapshot();
    sealBatchRecord(fourth, 20);
    expect(first).toEqual(kept);
    expect(recordChecksumMatches(second, 0)).toBeDefined();
    const writes = (record: Uint8Array) => decodeBatch(record, RECORD_HEADER_SIZE, record.length)!;
    expect(writes(second).map((w) => w.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(writes(third)).toHaveLength(7);
    expect(writes(fourth).map((w) => text(w.value)?.replace(/\.+$/, ''))).toEqual(new Array(6).fill('three'));
  });

  it('GroupCommitKeepsEachRecord: batches reused while their records wait for the group flush replay intact', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { durability: 'group' });
    const batch = fullBatch(6, 'one');
    const pending = [db.write(batch), db.write(batch)];
    batch.clear();
    for (let i = 0; i < 6; i++) batch.put(utf8(`k${i}`), value('two'));
    pending.push(db.write(batch));
    batch.put(utf8('k0'), value('three'));
    await Promise.all(pending);
    expect(text(await db.get(utf8('k0')))?.replace(/\.+$/, '')).toBe('two');
    await db.close();
    const reopened = await LsmTree.open(storage);
    for (let i = 0; i < 6; i++) expect(text(await reopened.get(utf8(`k${i}`)))?.replace(/\.+$/, '')).toBe('two');
    await reopened.close();
  });
});
