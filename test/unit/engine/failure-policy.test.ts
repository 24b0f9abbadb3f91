// The failure policy (engine/failure.ts): a failure is reported once, as the failure of the work that failed (a
// flush, a compaction, a WAL sync), and one place decides whether the tree stops writing after it.
import { describe, expect, it } from 'vitest';
import { type EngineEvent, ErrorCode, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { rejection } from '../support/tree';

type BackgroundError = Extract<EngineEvent, { type: 'background.error' }>;

async function open(options: Parameters<typeof LsmTree.open>[1] = {}) {
  const memory = new MemoryStorage();
  const faulty = new FaultyStorage(memory);
  // A tiny memtable and two L0 tables to a compaction: every few puts flush, every second flush compacts.
  const db = await LsmTree.open(faulty, { memtableBytes: 256, l0Trigger: 2, ...options });
  const errors: BackgroundError[] = [];
  db.subscribe((e) => {
    if (e.type === 'background.error') errors.push(e);
  });
  return { db, faulty, errors };
}

/** Puts until the tree emits an event of `type`; returns how many puts it took. */
async function putUntil(db: LsmTree, type: EngineEvent['type'], from = 0): Promise<number> {
  let seen = false;
  const stop = db.subscribe((e) => {
    if (e.type === type) seen = true;
  });
  let i = from;
  for (; !seen && i < from + 200; i++) await db.put(utf8(`key${String(i).padStart(4, '0')}`), new Uint8Array(40));
  stop();
  expect(seen, `no ${type} within 200 puts`).toBe(true);
  return i;
}

describe('failure policy', () => {
  it("CompactionFailureIsCompactions: a compaction's failed output is reported as 'compaction', once", async () => {
    const { db, faulty, errors } = await open();
    // The compaction's first output write fails: injected when it begins, after the flush that triggered it.
    const stop = db.subscribe((e) => {
      if (e.type === 'compaction.begin') faulty.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '.sst' });
    });
    const n = await putUntil(db, 'compaction.begin');
    stop();
    expect(errors.map((e) => [e.operation, e.readOnly])).toEqual([['compaction', false]]);
    // The write that triggered it stands, and the tree writes on: the next flush compacts after all.
    expect(await db.get(utf8(`key${String(n - 1).padStart(4, '0')}`))).toBeDefined();
    await putUntil(db, 'compaction.end', n);
    expect(errors).toHaveLength(1);
    await db.close();
  });

  it("FlushFailureIsFlushs: a threshold flush's failed table is reported as 'flush'", async () => {
    const { db, faulty, errors } = await open();
    faulty.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '.sst' });
    await putUntil(db, 'flush.begin');
    expect(errors.map((e) => [e.operation, e.readOnly])).toEqual([['flush', false]]);
    await db.close();
  });

  it('ManifestInDoubt: a compaction whose manifest record may be on storage stops writing, reported once', async () => {
    const { db, faulty, errors } = await open();
    const stop = db.subscribe((e) => {
      if (e.type === 'compaction.begin') {
        // Its manifest append fails, and so does the cut-back: the record may be on storage after all.
        faulty.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '000001', persistent: true });
        faulty.inject({ operation: 'truncate', nth: 1, kind: 'io', persistent: true });
      }
    });
    const n = await putUntil(db, 'compaction.begin');
    stop();
    expect(errors.map((e) => [e.operation, e.readOnly])).toEqual([['compaction', true]]);
    const error = await rejection(db.put(utf8(`key${n}`), utf8('x')));
    expect(error.code).toBe(ErrorCode.ReadOnly);
    expect(error.message).toContain('compaction failed');
  });

  it('ManualFlushInDoubt: db.flush() throws, and the tree stops writing when its manifest record is in doubt', async () => {
    const { db, faulty, errors } = await open({ memtableBytes: 1 << 20 });
    await db.put(utf8('a'), utf8('1'));
    faulty.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '000001', persistent: true });
    faulty.inject({ operation: 'truncate', nth: 1, kind: 'io', persistent: true });
    await rejection(db.flush());
    expect(errors.map((e) => [e.operation, e.readOnly])).toEqual([['flush', true]]);
    expect((await rejection(db.put(utf8('b'), utf8('2')))).code).toBe(ErrorCode.ReadOnly);
  });

  it('ManualFlushFails: a clean failure goes to the caller only, and the tree writes on', async () => {
    const { db, faulty, errors } = await open({ memtableBytes: 1 << 20 });
    await db.put(utf8('a'), utf8('1'));
    faulty.inject({ operation: 'write', nth: 1, kind: 'io', fileSuffix: '.sst' });
    await rejection(db.flush());
    expect(errors).toEqual([]);
    await db.put(utf8('b'), utf8('2'));
    await db.flush();
    await db.close();
  });

  it("DurableWalSync: a WAL flush cut back cleanly fails its write only; in 'group' mode it stops writing", async () => {
    const durable = await open({ memtableBytes: 1 << 20 });
    durable.faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    await rejection(durable.db.put(utf8('a'), utf8('1')));
    expect(durable.errors).toEqual([]);
    await durable.db.put(utf8('b'), utf8('2'));
    await durable.db.close();

    const group = await open({ memtableBytes: 1 << 20, durability: 'group', groupCommitWrites: 1 });
    group.faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    await rejection(group.db.put(utf8('a'), utf8('1')));
    expect(group.errors.map((e) => [e.operation, e.readOnly])).toEqual([['wal-sync', true]]);
  });
});
