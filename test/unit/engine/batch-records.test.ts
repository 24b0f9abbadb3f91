// db.write() copies a batch's record into the tree's arena (memtable/arena.ts) and the batch keeps its buffer.
// Whatever the caller does with the batch afterwards (write it again, add to it, clear and refill it), a record
// already taken, sealed or waiting in a group commit stays as it was. The arena carves records out of shared
// chunks, and gives a large one a buffer of its own; a chunk goes back to the worker's pool once the memtables its
// records went into are flushed and no record handed out is still on its way to a memtable.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, TxnConflictError, utf8, WriteBatch } from '../../../engine';
import { decodeBatch } from '../../../engine/codec/batch';
import { stampSequence } from '../../../engine/codec/entry';
import { checkedPayloadLength, RECORD_HEADER_SIZE, recordPayload, sealRecord } from '../../../engine/log/format';
import {
  ARENA_CHUNK_BYTES,
  Arena,
  arenaChunks,
  drainArenaPool,
  POISON,
  pooledChunks,
} from '../../../engine/memtable/arena';
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

describe('Arena chunks are recycled once nothing reads them', () => {
  /** 1 KiB values: 64 of them make a 66 KB record, so a MiB chunk holds 15 batches. */
  const kib = (i: number, round: number) => {
    const out = new Uint8Array(1024);
    for (let j = 0; j < out.length; j++) out[j] = (i * 7 + j + round * 13) & 0xff;
    return out;
  };
  const key = (i: number) => utf8(`key${String(i).padStart(6, '0')}`);

  async function writeRounds(db: LsmTree, rounds: number, batches: number): Promise<void> {
    const batch = new WriteBatch();
    for (let round = 0; round < rounds; round++) {
      for (let b = 0; b < batches; b++) {
        batch.clear();
        for (let i = b * 64; i < (b + 1) * 64; i++) batch.put(key(i), kib(i, round));
        await db.write(batch);
      }
    }
  }

  async function expectRound(db: LsmTree, batches: number, round: number): Promise<void> {
    for (let i = 0; i < batches * 64; i += 7) expect(await db.get(key(i))).toEqual(kib(i, round));
  }

  it('SettledThenRetired: a chunk goes back once all its records are settled, and comes back poisoned', () => {
    const arena = new Arena(1024);
    const before = pooledChunks(1024);
    const records = Array.from({ length: 10 }, () => arena.alloc(250)); // 4 a chunk: 2 filled, the third current
    for (const r of records) r.fill(1);
    for (const [i, r] of records.entries()) if (i !== 5) arena.settle(r);
    arena.memtableRetired(); // record 5 is still on its way to a memtable: its chunk stays
    expect(pooledChunks(1024)).toBe(before + 1);
    expect(records[0]!.every((b) => b === POISON)).toBe(true);
    expect(records[4]!.every((b) => b === 1)).toBe(true);
    arena.settle(records[5]!);
    arena.settle(records[5]!); // idempotent: a second settle counts nothing
    arena.memtableRetired();
    expect(pooledChunks(1024)).toBe(before + 2); // the second filled chunk too; the current one stays
    expect(records[4]!.every((b) => b === POISON)).toBe(true);
    expect(records[9]!.every((b) => b === 1)).toBe(true);
    // The current chunk's rest first, then a chunk from the pool.
    const rest = [arena.alloc(250), arena.alloc(250)];
    expect(rest[1]!.buffer).toBe(records[9]!.buffer);
    const next = arena.alloc(250);
    expect(next.buffer).toBe(records[4]!.buffer);
    expect(pooledChunks(1024)).toBe(before + 1);
    for (const r of rest) arena.settle(r);
    arena.treeClosed(); // `next` is unsettled: its chunk (the current one) stays; the one before goes
    expect(pooledChunks(1024)).toBe(before + 2);
    arena.settle(next);
    arena.treeClosed();
    expect(pooledChunks(1024)).toBe(before + 3);
  });

  it('FlushRecyclesChunks: after a flush the next writes reuse chunks, and every value reads back', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { memtableBytes: 2 * ARENA_CHUNK_BYTES });
    await writeRounds(db, 1, 40); // 2.6 MB of records: the memtable flushes once, after ~2 MiB
    expect((await db.stats()).flushes).toBe(1);
    drainArenaPool(); // what follows comes from this tree's own chunks, or fresh
    const before = arenaChunks();
    await writeRounds(db, 2, 40); // 5.3 MB more, two more flushes: most of it lies in recycled chunks
    const after = arenaChunks();
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(3);
    expect(after.fresh - before.fresh).toBeLessThan(3);
    await expectRound(db, 40, 1);
    await db.close();
    const reopened = await LsmTree.open(storage); // the WAL written from recycled chunks replays whole
    await expectRound(reopened, 40, 1);
    await reopened.close();
  });

  it('WaitingWritesHoldChunks: a write queued behind the flush keeps its chunk, and its value', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 2 * ARENA_CHUNK_BYTES });
    // Every batch is handed to db.write() at once: their records are taken before the flush runs, and the ones
    // queued behind it go into the next memtable from chunks the flushed memtable's records share.
    drainArenaPool();
    const writes: Array<Promise<void>> = [];
    for (let round = 0; round < 2; round++) {
      for (let b = 0; b < 40; b++) {
        const batch = new WriteBatch();
        for (let i = b * 64; i < (b + 1) * 64; i++) batch.put(key(i), kib(i, round));
        writes.push(db.write(batch));
      }
    }
    await Promise.all(writes);
    expect((await db.stats()).flushes).toBeGreaterThanOrEqual(2);
    // The chunks whose records all went into a flushed memtable went back, though writes were waiting each time.
    expect(pooledChunks()).toBeGreaterThanOrEqual(2);
    await expectRound(db, 40, 1);
    await db.close();
  });

  it('RefusedCommitsSettle: a transaction refused at commit holds no chunk back', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 2 * ARENA_CHUNK_BYTES });
    const tx = await db.transaction();
    await tx.get(key(0));
    await db.put(key(0), kib(0, 9)); // written after the transaction read it: its commit is refused
    tx.put(key(0), kib(0, 8));
    await expect(tx.commit()).rejects.toBeInstanceOf(TxnConflictError);
    drainArenaPool();
    const before = arenaChunks();
    await writeRounds(db, 3, 40);
    expect(arenaChunks().reused - before.reused).toBeGreaterThanOrEqual(3);
    await expectRound(db, 40, 2);
    await db.close();
  });
});
