// Transactions (mini-lsm week 3, days 3, 5 and 6): reads at the transaction's snapshot through its own workspace,
// writes kept private until commit, one WriteBatch record per commit, and serializable validation: a commit whose
// reads (keys read, ranges scanned) were overwritten by a later commit is refused with TxnConflict and writes
// nothing. The mini-lsm tests keep their names (test_...); mini-lsm's inclusive and exclusive bounds become
// this engine's [start, end) ranges (key + '\0' is the first key after key).
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  LsmError,
  type LsmOptions,
  LsmTree,
  MemoryStorage,
  mulberry32,
  type Transaction,
  TxnConflictError,
  toHex,
  utf8,
  WriteBatch,
} from '../../../engine';
import { MAX_RECORD_PAYLOAD } from '../../../engine/log/format';
import { eventLog } from '../support/events';
import { scanAll, text } from '../support/tree';

const b = utf8;
/** The first key after `key` in byte order: an exclusive start, or an inclusive end, as [start, end) takes them. */
const past = (key: string) => utf8(`${key}\0`);

async function txnScan(tx: Transaction, range: { start?: Uint8Array; end?: Uint8Array } = {}): Promise<string[][]> {
  const pairs: string[][] = [];
  for await (const [key, value] of tx.scan(range)) pairs.push([text(key)!, text(value)!]);
  return pairs;
}

async function dbScan(db: LsmTree): Promise<string[][]> {
  return (await scanAll(db)).map(([key, value]) => [text(key)!, text(value)!]);
}

async function open(options: LsmOptions = {}) {
  const log = eventLog();
  const db = await LsmTree.open(new MemoryStorage(), { ...options, onEvent: log.record });
  return { db, log };
}

/** mini-lsm's week 3 day 3 reads at each "snapshot" (a transaction here) after the first round of writes. */
async function expectFirstSnapshots(s1: Transaction, s2: Transaction, s3: Transaction): Promise<void> {
  expect(text(await s1.get(b('a')))).toBe('1');
  expect(text(await s1.get(b('b')))).toBe('1');
  expect(await s1.get(b('c'))).toBeUndefined();
  expect(await txnScan(s1)).toEqual([
    ['a', '1'],
    ['b', '1'],
  ]);
  expect(await txnScan(s1, { start: past('a'), end: b('b') })).toEqual([]);
  expect(text(await s2.get(b('a')))).toBe('2');
  expect(text(await s2.get(b('b')))).toBe('1');
  expect(await s2.get(b('c'))).toBeUndefined();
  expect(await txnScan(s2)).toEqual([
    ['a', '2'],
    ['b', '1'],
  ]);
  expect(await txnScan(s2, { start: past('a'), end: b('b') })).toEqual([]);
  expect(text(await s3.get(b('a')))).toBe('2');
  expect(await s3.get(b('b'))).toBeUndefined();
  expect(text(await s3.get(b('c')))).toBe('1');
  expect(await txnScan(s3)).toEqual([
    ['a', '2'],
    ['c', '1'],
  ]);
  expect(await txnScan(s3, { start: past('a'), end: b('c') })).toEqual([]);
}

async function expectSecondSnapshots(s4: Transaction, s5: Transaction, s6: Transaction): Promise<void> {
  expect(text(await s4.get(b('a')))).toBe('3');
  expect(text(await s4.get(b('b')))).toBe('3');
  expect(text(await s4.get(b('c')))).toBe('1');
  expect(await txnScan(s4)).toEqual([
    ['a', '3'],
    ['b', '3'],
    ['c', '1'],
  ]);
  expect(await txnScan(s4, { start: past('a'), end: b('c') })).toEqual([['b', '3']]);
  expect(text(await s5.get(b('a')))).toBe('4');
  expect(text(await s5.get(b('b')))).toBe('3');
  expect(text(await s5.get(b('c')))).toBe('1');
  expect(await txnScan(s5)).toEqual([
    ['a', '4'],
    ['b', '3'],
    ['c', '1'],
  ]);
  expect(await txnScan(s5, { start: past('a'), end: b('c') })).toEqual([['b', '3']]);
  expect(text(await s6.get(b('a')))).toBe('4');
  expect(await s6.get(b('b'))).toBeUndefined();
  expect(text(await s6.get(b('c')))).toBe('5');
  expect(await txnScan(s6)).toEqual([
    ['a', '4'],
    ['c', '5'],
  ]);
  expect(await txnScan(s6, { start: b('a'), end: past('a') })).toEqual([['a', '4']]);
  expect(await txnScan(s6, { start: past('a'), end: b('c') })).toEqual([]);
}

/** mini-lsm's two rounds of writes with a "snapshot" (transaction) after each step; `between` runs after each round. */
async function mvccRounds(between: (db: LsmTree) => Promise<void>) {
  const { db } = await open({ memtableBytes: 1 << 20 });
  await db.put(b('a'), b('1'));
  await db.put(b('b'), b('1'));
  const s1 = await db.transaction();
  await db.put(b('a'), b('2'));
  const s2 = await db.transaction();
  await db.delete(b('b'));
  await db.put(b('c'), b('1'));
  const s3 = await db.transaction();
  await between(db);
  await expectFirstSnapshots(s1, s2, s3);
  await db.put(b('a'), b('3'));
  await db.put(b('b'), b('3'));
  const s4 = await db.transaction();
  await db.put(b('a'), b('4'));
  const s5 = await db.transaction();
  await db.delete(b('b'));
  await db.put(b('c'), b('5'));
  const s6 = await db.transaction();
  await between(db);
  await expectFirstSnapshots(s1, s2, s3);
  await expectSecondSnapshots(s4, s5, s6);
  for (const s of [s1, s2, s3, s4, s5, s6]) s.abort();
}

describe('transactions: mini-lsm week 3 day 3 (reads at the transaction snapshot)', () => {
  it('test_task2_memtable_mvcc: each transaction reads its snapshot from the memtable', async () => {
    await mvccRounds(async () => {});
  });

  it('test_task2_lsm_iterator_mvcc: and after the memtable is flushed under them', async () => {
    await mvccRounds((db) => db.flush());
  });

  it('test_task2_all_range_bounds_across_l0_and_level_ssts: every bound combination, L0 then a deeper level', async () => {
    const { db } = await open({ memtableBytes: 1 << 20 });
    await db.put(b('a'), b('1'));
    await db.put(b('b'), b('2'));
    await db.put(b('c'), b('3'));
    const check = async () => {
      const tx = await db.transaction();
      expect(await txnScan(tx, { start: b('a'), end: past('c') })).toEqual([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]);
      expect(await txnScan(tx, { start: b('a'), end: b('c') })).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(await txnScan(tx, { start: past('a'), end: past('c') })).toEqual([
        ['b', '2'],
        ['c', '3'],
      ]);
      expect(await txnScan(tx, { start: past('a'), end: b('c') })).toEqual([['b', '2']]);
      await tx.commit();
    };
    await db.flush();
    expect((await db.describe()).tables.map((t) => t.level)).toEqual([0]);
    await check();
    await db.compactRange();
    expect((await db.describe()).tables.every((t) => t.level > 0)).toBe(true);
    await check();
  });
});

describe('transactions: mini-lsm week 3 day 5 (workspace, commit)', () => {
  it('test_txn_integration: private workspaces, commits seen only by transactions begun after them', async () => {
    // mini-lsm runs this one at snapshot isolation (serializable off): txn1 and txn2 each scan everything and then
    // write, which no serial order explains, so with validation txn2's commit would be refused (see below).
    const { db } = await open();
    const txn1 = await db.transaction({ serializable: false });
    const txn2 = await db.transaction({ serializable: false });
    txn1.put(b('test1'), b('233'));
    txn2.put(b('test2'), b('233'));
    expect(await txnScan(txn1)).toEqual([['test1', '233']]);
    expect(await txnScan(txn2)).toEqual([['test2', '233']]);
    const txn3 = await db.transaction();
    expect(await txnScan(txn3)).toEqual([]);
    await txn1.commit();
    await txn2.commit();
    expect(await txnScan(txn3)).toEqual([]);
    txn3.abort();
    expect(await dbScan(db)).toEqual([
      ['test1', '233'],
      ['test2', '233'],
    ]);
    const txn4 = await db.transaction();
    expect(text(await txn4.get(b('test1')))).toBe('233');
    expect(text(await txn4.get(b('test2')))).toBe('233');
    expect(await txnScan(txn4)).toEqual([
      ['test1', '233'],
      ['test2', '233'],
    ]);
    txn4.put(b('test2'), b('2333'));
    expect(text(await txn4.get(b('test1')))).toBe('233');
    expect(text(await txn4.get(b('test2')))).toBe('2333');
    expect(await txnScan(txn4)).toEqual([
      ['test1', '233'],
      ['test2', '2333'],
    ]);
    txn4.delete(b('test2'));
    expect(text(await txn4.get(b('test1')))).toBe('233');
    expect(await txn4.get(b('test2'))).toBeUndefined();
    expect(await txnScan(txn4)).toEqual([['test1', '233']]);
  });

  it('test_txn_integration, serializable: the same two transactions; the second commit is refused', async () => {
    const { db } = await open();
    const txn1 = await db.transaction();
    const txn2 = await db.transaction();
    txn1.put(b('test1'), b('233'));
    txn2.put(b('test2'), b('233'));
    expect(await txnScan(txn1)).toEqual([['test1', '233']]);
    expect(await txnScan(txn2)).toEqual([['test2', '233']]);
    await txn1.commit();
    await expect(txn2.commit()).rejects.toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b('test1')) });
    expect(await dbScan(db)).toEqual([['test1', '233']]);
  });

  it('test_task4_batch_uses_one_memtable_and_timestamp: one WAL record, consecutive sequence numbers', async () => {
    const { db, log } = await open();
    const tx = await db.transaction();
    tx.put(b('b'), b('2'));
    tx.put(b('a'), b('1'));
    tx.delete(b('c'));
    log.clear();
    await tx.commit();
    const [record] = log.of('wal.batch');
    expect(log.of('wal.batch')).toHaveLength(1);
    expect(log.of('wal.append')).toHaveLength(0);
    // The workspace is sorted: the batch holds its writes in key order.
    expect(record!.writes.map((w) => [w.op, w.key])).toEqual([
      ['put', toHex(b('a'))],
      ['put', toHex(b('b'))],
      ['delete', toHex(b('c'))],
    ]);
    expect(log.of('memtable.insert').map((e) => e.seq)).toEqual([1, 2, 3]);
    const [commit] = log.of('txn.commit');
    expect(commit).toMatchObject({ txn: tx.id, writes: 3 });
    expect(commit!.record).toEqual({ file: record!.file, offset: record!.offset, length: record!.length, seq: 1 });
    expect(log.events.indexOf(commit!)).toBeGreaterThan(log.events.indexOf(record!));
  });

  it('test_task4_wal_batch_round_trip: a committed transaction is replayed from its one record', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(b('b'), b('old'));
    const tx = await db.transaction();
    tx.put(b('a'), b('1'));
    tx.delete(b('b'));
    await tx.commit();
    storage.crash();
    const log = eventLog();
    const reopened = await LsmTree.open(storage, { onEvent: log.record });
    expect(log.of('recovery.replay').map((e) => e.batch ?? 1)).toEqual([1, 2]);
    expect(text(await reopened.get(b('a')))).toBe('1');
    expect(await reopened.get(b('b'))).toBeUndefined();
  });
});

describe('transactions: mini-lsm week 3 day 6 (serializable validation)', () => {
  it('test_serializable_1: write skew; the second of two crossing read-then-write commits is refused', async () => {
    const { db, log } = await open();
    await db.put(b('key1'), b('1'));
    await db.put(b('key2'), b('2'));
    const txn1 = await db.transaction();
    const txn2 = await db.transaction();
    txn1.put(b('key1'), (await txn1.get(b('key2')))!);
    txn2.put(b('key2'), (await txn2.get(b('key1')))!);
    await txn1.commit();
    const refused = await txn2.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TxnConflictError);
    expect(refused).toBeInstanceOf(LsmError);
    expect(refused).toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b('key1')), txn: txn2.id });
    expect((refused as Error).message).toContain("'key1'");
    expect(txn2.state).toBe('aborted');
    expect(text(await db.get(b('key1')))).toBe('2');
    expect(text(await db.get(b('key2')))).toBe('2');
    expect(log.of('txn.conflict')).toEqual([
      expect.objectContaining({ txn: txn2.id, key: toHex(b('key1')), begin: 2, seq: 3 }),
    ]);
  });

  it('test_serializable_2: blind writes to the same key both commit (nothing was read); the later wins', async () => {
    const { db } = await open();
    const txn1 = await db.transaction();
    const txn2 = await db.transaction();
    txn1.put(b('key1'), b('1'));
    txn2.put(b('key1'), b('2'));
    await txn1.commit();
    await txn2.commit();
    expect(text(await db.get(b('key1')))).toBe('2');
  });

  it('test_serializable_3_ts_range: a transaction begun after a commit does not conflict with it', async () => {
    const { db } = await open();
    await db.put(b('key1'), b('1'));
    await db.put(b('key2'), b('2'));
    const txn1 = await db.transaction();
    txn1.put(b('key1'), (await txn1.get(b('key2')))!);
    await txn1.commit();
    const txn2 = await db.transaction();
    txn2.put(b('key2'), (await txn2.get(b('key1')))!);
    await txn2.commit();
    expect(text(await db.get(b('key1')))).toBe('2');
    expect(text(await db.get(b('key2')))).toBe('2');
  });

  it('test_serializable_4_scan: a scan counts as a read of its whole range', async () => {
    const { db } = await open();
    await db.put(b('key1'), b('1'));
    await db.put(b('key2'), b('2'));
    const txn1 = await db.transaction();
    const txn2 = await db.transaction();
    txn1.put(b('key1'), (await txn1.get(b('key2')))!);
    await txn1.commit();
    await txnScan(txn2);
    txn2.put(b('key2'), b('1'));
    await expect(txn2.commit()).rejects.toMatchObject({
      code: ErrorCode.TxnConflict,
      key: toHex(b('key1')),
      range: { start: null, end: null },
    });
    expect(text(await db.get(b('key1')))).toBe('2');
    expect(text(await db.get(b('key2')))).toBe('2');
  });

  it('test_serializable_5_read_only: a transaction that writes nothing always commits', async () => {
    const { db, log } = await open();
    await db.put(b('key1'), b('1'));
    await db.put(b('key2'), b('2'));
    const txn1 = await db.transaction();
    txn1.put(b('key1'), (await txn1.get(b('key2')))!);
    await txn1.commit();
    const txn2 = await db.transaction();
    expect(text(await txn2.get(b('key1')))).toBe('2');
    await txnScan(txn2);
    await db.put(b('key1'), b('3')); // even after a write to what it read: it read one consistent snapshot
    await txn2.commit();
    expect(log.of('txn.commit').at(-1)).toEqual(expect.objectContaining({ txn: txn2.id, writes: 0, record: null }));
    expect(text(await db.get(b('key1')))).toBe('3');
    expect(text(await db.get(b('key2')))).toBe('2');
  });
});

describe('transactions: this engine', () => {
  it('WriteSkew: two transactions each read the other key and write their own; the second commit is refused', async () => {
    // The on-call doctors: each checks that the other is on call before going off; both may not go off.
    const { db } = await open();
    await db.put(b('alice'), b('on'));
    await db.put(b('bob'), b('on'));
    const alice = await db.transaction();
    const bob = await db.transaction();
    if (text(await alice.get(b('bob'))) === 'on') alice.put(b('alice'), b('off'));
    if (text(await bob.get(b('alice'))) === 'on') bob.put(b('bob'), b('off'));
    await alice.commit();
    await expect(bob.commit()).rejects.toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b('alice')) });
    expect(text(await db.get(b('alice')))).toBe('off');
    expect(text(await db.get(b('bob')))).toBe('on'); // someone stays on call
  });

  it('ConflictsWithPlainWrites: a put, delete or batch after the transaction began counts like a commit', async () => {
    const { db } = await open();
    await db.put(b('k'), b('0'));
    for (const write of [
      () => db.put(b('k'), b('1')),
      () => db.delete(b('k')),
      () => db.write(new WriteBatch().put(b('other'), b('x')).put(b('k'), b('2'))),
    ]) {
      const tx = await db.transaction();
      await tx.get(b('k'));
      tx.put(b('out'), b('y'));
      await write();
      await expect(tx.commit()).rejects.toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b('k')) });
      expect(await db.get(b('out'))).toBeUndefined(); // nothing of it was written
    }
  });

  it('PhantomsConflict: a key inserted into a scanned range after the scan makes the commit conflict', async () => {
    const { db, log } = await open();
    await db.put(b('row1'), b('x'));
    const tx = await db.transaction();
    expect(await txnScan(tx, { start: b('row'), end: b('rox') })).toEqual([['row1', 'x']]);
    tx.put(b('count'), b('1'));
    await db.put(b('zzz'), b('outside')); // outside the range: no conflict from it
    await db.put(b('row2'), b('y'));
    await expect(tx.commit()).rejects.toMatchObject({
      code: ErrorCode.TxnConflict,
      key: toHex(b('row2')),
      range: { start: toHex(b('row')), end: toHex(b('rox')) },
    });
    expect(log.of('txn.read')).toEqual([
      expect.objectContaining({ txn: tx.id, range: { start: toHex(b('row')), end: toHex(b('rox')) } }),
    ]);
    expect(log.of('txn.conflict')[0]).toMatchObject({
      key: toHex(b('row2')),
      range: { start: toHex(b('row')), end: toHex(b('rox')) },
    });
    expect(await db.get(b('count'))).toBeUndefined();
  });

  it('NoConflictOutsideWhatItRead: writes to keys it neither read nor scanned leave its commit alone', async () => {
    const { db } = await open();
    const tx = await db.transaction();
    await tx.get(b('a'));
    await txnScan(tx, { start: b('m'), end: b('n') });
    await db.put(b('b'), b('1'));
    await db.put(b('n'), b('1')); // the range's end is exclusive
    tx.put(b('a'), b('mine'));
    await tx.commit();
    expect(text(await db.get(b('a')))).toBe('mine');
  });

  it('ReadYourOwnWrites: get and scan see its puts and deletes over the snapshot, others do not', async () => {
    const { db } = await open({ memtableBytes: 256 });
    for (let i = 0; i < 20; i++) await db.put(b(`k${String(i).padStart(2, '0')}`), b(`v${i}`));
    const tx = await db.transaction();
    tx.put(b('k05'), b('mine'));
    tx.delete(b('k06'));
    tx.put(b('k055'), b('new'));
    tx.put(b('a'), b('first'));
    tx.put(b('z'), b('last'));
    tx.delete(b('nothing'));
    expect(text(await tx.get(b('k05')))).toBe('mine');
    expect(await tx.get(b('k06'))).toBeUndefined();
    expect(text(await tx.get(b('k055')))).toBe('new');
    expect(text(await tx.get(b('k07')))).toBe('v7');
    const all = await txnScan(tx);
    expect(all.map(([k]) => k)).toEqual([
      'a',
      'k00',
      'k01',
      'k02',
      'k03',
      'k04',
      'k05',
      'k055',
      ...Array.from({ length: 13 }, (_, i) => `k${String(i + 7).padStart(2, '0')}`),
      'z',
    ]);
    expect(all.find(([k]) => k === 'k05')![1]).toBe('mine');
    expect(await txnScan(tx, { start: b('k05'), end: b('k07') })).toEqual([
      ['k05', 'mine'],
      ['k055', 'new'],
    ]);
    // Nobody else sees the workspace.
    expect(text(await db.get(b('k05')))).toBe('v5');
    expect(await db.get(b('a'))).toBeUndefined();
    await db.flush();
    expect(text(await tx.get(b('k05')))).toBe('mine');
    await tx.commit();
    expect(text(await db.get(b('k05')))).toBe('mine');
    expect(await db.get(b('k06'))).toBeUndefined();
    expect((await dbScan(db)).length).toBe(22);
  });

  it('FinishedRefusesUse: after commit or abort every call fails with TxnFinished; abort drops the workspace', async () => {
    const { db } = await open();
    const committed = await db.transaction();
    committed.put(b('a'), b('1'));
    await committed.commit();
    const aborted = await db.transaction();
    aborted.put(b('b'), b('1'));
    aborted.abort();
    aborted.abort(); // harmless
    for (const tx of [committed, aborted]) {
      const finished = expect.objectContaining({ code: ErrorCode.TxnFinished });
      expect(() => tx.put(b('x'), b('1'))).toThrow(finished);
      expect(() => tx.delete(b('x'))).toThrow(finished);
      await expect(tx.get(b('x'))).rejects.toEqual(finished);
      await expect(txnScan(tx)).rejects.toEqual(finished);
      await expect(tx.commit()).rejects.toEqual(finished);
    }
    expect(committed.state).toBe('committed');
    expect(aborted.state).toBe('aborted');
    expect(await db.get(b('b'))).toBeUndefined();
    expect(text(await db.get(b('a')))).toBe('1');
  });

  it('ReleasesItsSnapshot: begin takes one, commit, a refused commit and abort release it', async () => {
    const { db, log } = await open();
    const a = await db.transaction();
    const c = await db.transaction();
    const d = await db.transaction();
    expect(log.of('txn.begin').map((e) => [e.txn, e.seq])).toEqual([
      [a.id, 0],
      [c.id, 0],
      [d.id, 0],
    ]);
    expect(log.of('snapshot.take')).toHaveLength(3);
    await a.get(b('k'));
    a.put(b('k'), b('a'));
    await c.get(b('k'));
    c.put(b('k'), b('c'));
    await a.commit();
    await expect(c.commit()).rejects.toMatchObject({ code: ErrorCode.TxnConflict });
    d.abort();
    expect(log.of('snapshot.release').at(-1)!.live).toEqual([]);
    expect(log.of('txn.abort').map((e) => e.txn)).toEqual([c.id, d.id]);
  });

  it('RefusesBadInput: keys and values as db.put does, an oversized workspace at commit, writing nothing', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    const tx = await db.transaction();
    expect(() => tx.put(new Uint8Array(0), b('v'))).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    const value = new Uint8Array(60 * 1024);
    for (let i = 0; i * value.length <= MAX_RECORD_PAYLOAD; i++) tx.put(b(`k${i}`), value);
    await expect(tx.commit()).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
    expect(tx.state).toBe('aborted');
    expect((await db.describe()).lastSequence).toBe(0);
  });

  it('NoLostUpdates: seeded interleavings of read-increment-write transactions; every committed increment counts', async () => {
    // Counters incremented by overlapping transactions, with plain increments, flushes and compactions between their
    // steps: under validation a commit that read a stale count is refused, so the final counts equal the increments
    // that were acknowledged. (Without validation this run loses 31 of c0's 52 increments.)
    const random = mulberry32(23);
    const { db } = await open({ memtableBytes: 512, l0Trigger: 2 });
    const counters = ['c0', 'c1', 'c2'];
    for (const c of counters) await db.put(b(c), b('0'));
    const expected = new Map(counters.map((c) => [c, 0]));
    const read = async (tx: Transaction, c: string) => Number(text(await tx.get(b(c))));
    let committed = 0;
    let refused = 0;
    const running: Array<{ tx: Transaction; c: string; step: number }> = [];
    for (let i = 0; i < 400; i++) {
      const roll = random();
      if (roll < 0.3 || running.length === 0) {
        running.push({ tx: await db.transaction(), c: counters[Math.floor(random() * counters.length)]!, step: 0 });
      } else if (roll < 0.8) {
        const at = Math.floor(random() * running.length);
        const t = running[at]!;
        if (t.step === 0) {
          t.tx.put(b(t.c), b(String((await read(t.tx, t.c)) + 1)));
          t.step = 1;
        } else {
          running.splice(at, 1);
          try {
            await t.tx.commit();
            committed++;
            expected.set(t.c, expected.get(t.c)! + 1);
          } catch (error) {
            expect(error).toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b(t.c)) });
            refused++;
          }
        }
      } else if (roll < 0.95) {
        const c = counters[Math.floor(random() * counters.length)]!;
        await db.put(b(c), b(String(Number(text(await db.get(b(c)))) + 1)));
        expected.set(c, expected.get(c)! + 1);
      } else {
        await db.flush();
      }
    }
    for (const t of running) t.tx.abort();
    for (const c of counters) expect(Number(text(await db.get(b(c)))), c).toBe(expected.get(c));
    expect(committed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('TracksWritesOnlyWhileNeeded: with no transaction open nothing is noted; a long one still sees every write', async () => {
    const { db } = await open({ memtableBytes: 512, l0Trigger: 2 });
    for (let i = 0; i < 50; i++) await db.put(b(`k${i}`), b('v'));
    const old = await db.transaction();
    await old.get(b('k1'));
    old.put(b('k2'), b('x'));
    // Many short transactions and plain writes come and go, with flushes and compactions, while `old` stays open.
    for (let i = 0; i < 30; i++) {
      const tx = await db.transaction();
      tx.put(b(`t${i}`), b('v'));
      await tx.commit();
      await db.put(b(`p${i}`), b('v'.repeat(40)));
    }
    await db.put(b('k1'), b('late'));
    await expect(old.commit()).rejects.toMatchObject({ code: ErrorCode.TxnConflict, key: toHex(b('k1')) });
  });
});
