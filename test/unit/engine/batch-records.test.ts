// db.write() copies a batch's record into the tree's arena (memtable/arena.ts) and the batch keeps its buffer.
// Whatever the caller does with the batch afterwards (write it again, add to it, clear and refill it), a record
// already taken, sealed or waiting in a group commit stays as it was. The arena carves records out of shared
// chunks, and gives a large one a buffer of its own.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8, WriteBatch } from '../../../engine';
import { decodeBatch } from '../../../engine/codec/batch';
import { stampSequence } from '../../../engine/codec/entry';
import { checkedPayloadLength, RECORD_HEADER_SIZE, recordPayload, sealRecord } from '../../../engine/log/format';
import { Arena } from '../../../engine/memtable/arena';
import { recordBytesBound } from '../../../engine/write';
import { text } from '../support/tree';

const value = (tag: string) => utf8(tag.padEnd(100, '.'));

/** Stamps a record's first sequence number and seals it, as the write path does. */
function seal(record: Uint8Array, firstSeq: number): void {
  stampSequence(recordPayload(record), firstSeq);
  sealRecord(record);
}

/** A batch of `n` puts of 100-byte values. */
function fullBatch(n: number, tag: string): WriteBatch {
  const batch = new WriteBatch();
  for (let i = 0; i < n; i++) batch.put(utf8(`k${i}`), value(tag));
  return batch;
}

describe('WriteBatch records are copies', () => {
  it('TakenRecordsStayPut: writing again, adding, clearing and refilling never touch a taken record', () => {
    const batch = fullBatch(6, 'one');
    const first = batch.walRecord();
    seal(first, 1);
    const kept = first.slice();
    // The same bytes again: a copy, sealed with its own sequence number.
    const second = batch.walRecord();
    expect(second.buffer).not.toBe(first.buffer);
    seal(second, 7);
    batch.put(utf8('more'), value('two'));
    const third = batch.walRecord();
    batch.clear();
    for (let i = 0; i < 6; i++) batch.put(utf8(`k${i}`), value('three'));
    const fourth = batch.walRecord();
    seal(fourth, 20);
    expect(first).toEqual(kept);
    expect(checkedPayloadLength(second, 0)).toBeDefined();
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

  it('ArenaSharesChunks: small records share one chunk, back to back; a large one gets a buffer of its own', () => {
    const arena = new Arena(1024);
    const a = arena.alloc(100);
    const b = arena.alloc(200);
    expect(b.buffer).toBe(a.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 100);
    const big = arena.alloc(257);
    expect(big.buffer).not.toBe(a.buffer);
    expect(big.byteLength).toBe(257);
    // The chunk's rest still serves small records; past its end a new chunk starts.
    expect(arena.alloc(256).buffer).toBe(a.buffer);
    const next = arena.alloc(256);
    expect(next.buffer).toBe(a.buffer);
    expect(arena.alloc(256).buffer).not.toBe(a.buffer);
  });

  it('PutsCopyTheirBytes: a caller reusing its key and value buffers after put() changes nothing stored', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    const key = utf8('k1');
    const bytes = utf8('first');
    const put = db.put(key, bytes);
    key.set(utf8('k2'));
    bytes.set(utf8('XXXXX'));
    await put;
    await db.put(utf8('k3'), utf8('third'));
    expect(text(await db.get(utf8('k1')))).toBe('first');
    expect(await db.get(utf8('k2'))).toBeUndefined();
    expect(text(await db.get(utf8('k3')))).toBe('third');
    await db.close();
  });

  it('OverwritesFlushOnTheRecordsTheyHold: a hot key rewritten past the bound flushes though the memtable stays small', async () => {
    const memtableBytes = 64 * 1024;
    const bound = recordBytesBound(memtableBytes);
    expect(bound).toBe(4 * 1024 * 1024); // a small memtable's bound is the 4 MiB floor, not 4 x its limit
    expect(recordBytesBound(8 * 1024 * 1024)).toBe(32 * 1024 * 1024);
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes, compaction: 'off' });
    const value = new Uint8Array(1024).fill(7);
    const record = RECORD_HEADER_SIZE + 17 + 3 + value.length; // one put of key 'hot'
    const writes = Math.ceil(bound / record);
    for (let i = 0; i < writes - 1; i++) await db.put(utf8('hot'), value);
    expect((await db.stats()).flushes).toBe(0); // one entry of ~1 KiB: far below the memtable's limit
    await db.put(utf8('hot'), value);
    expect((await db.stats()).flushes).toBe(1);
    expect(await db.get(utf8('hot'))).toEqual(value);
    await db.close();
  });
});
