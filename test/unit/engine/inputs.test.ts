// Input rules (engine/limits.ts): keys 1..MAX_KEY_BYTES bytes, values 0..MAX_VALUE_BYTES bytes, both
// Uint8Array. A refused write writes nothing. A closed database refuses everything with code 'closed'.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, LsmTree, MAX_KEY_BYTES, MAX_VALUE_BYTES, MemoryStorage, utf8 } from '../../../engine';
import { eventLog } from '../support/events';
import { scanAll } from '../support/tree';

/**
 * The error an operation fails with, whether it throws at once or returns a rejected promise: the tests
 * pin the error, not the way it is delivered.
 */
async function failure(operation: () => unknown): Promise<unknown> {
  try {
    await operation();
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

async function seeded() {
  const storage = new MemoryStorage();
  const log = eventLog();
  const db = await LsmTree.open(storage, { onEvent: log.record });
  await db.put(utf8('existing'), utf8('value'));
  await db.flush();
  await db.put(utf8('in memory'), utf8('value'));
  const state = await db.describe();
  const files = await storage.list();
  const walBytes = storage.snapshot(state.wal.file);
  log.clear();
  /** Nothing was written: same WAL bytes, same files, same tree, and no write event. */
  const expectNothingWritten = async () => {
    expect(storage.snapshot(state.wal.file)).toEqual(walBytes);
    expect(await storage.list()).toEqual(files);
    expect(await db.describe()).toEqual(state);
    expect(log.events.filter((e) => e.type.startsWith('wal.') || e.type.startsWith('memtable.'))).toEqual([]);
  };
  return { storage, db, expectNothingWritten };
}

const bad = (value: unknown) => value as Uint8Array;

describe('Invalid arguments', () => {
  it('EmptyKeyIsInvalidArgument, for put, delete, get and scan bounds', async () => {
    const { db, expectNothingWritten } = await seeded();
    const empty = new Uint8Array(0);
    for (const operation of [
      () => db.put(empty, utf8('v')),
      () => db.delete(empty),
      () => db.get(empty),
      () => db.lookup(empty),
      () => scanAll(db, { start: empty }),
      () => scanAll(db, { end: empty }),
    ]) {
      const error = await failure(operation);
      expect(error).toBeInstanceOf(LsmError);
      expect(error).toMatchObject({ code: ErrorCode.InvalidArgument });
    }
    await expectNothingWritten();
  });

  it('OversizedKeyIsInvalidArgument; a key of exactly MAX_KEY_BYTES is fine', async () => {
    const { db, expectNothingWritten } = await seeded();
    const tooLong = new Uint8Array(MAX_KEY_BYTES + 1).fill(0x61);
    for (const operation of [() => db.put(tooLong, utf8('v')), () => db.delete(tooLong), () => db.get(tooLong)]) {
      expect(await failure(operation)).toMatchObject({ name: 'LsmError', code: ErrorCode.InvalidArgument });
    }
    await expectNothingWritten();

    const longest = new Uint8Array(MAX_KEY_BYTES).fill(0x62);
    await db.put(longest, utf8('fits'));
    await db.flush();
    expect(await db.get(longest)).toEqual(utf8('fits'));
  });

  it('OversizedValueIsInvalidArgument; MAX_VALUE_BYTES and the empty value are fine', async () => {
    const { db, expectNothingWritten } = await seeded();
    const error = await failure(() => db.put(utf8('k'), new Uint8Array(MAX_VALUE_BYTES + 1)));
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidArgument });
    await expectNothingWritten();

    const largest = new Uint8Array(MAX_VALUE_BYTES).fill(7);
    await db.put(utf8('big'), largest);
    await db.put(utf8('empty'), new Uint8Array(0));
    expect(await db.get(utf8('big'))).toEqual(largest);
    expect(await db.get(utf8('empty'))).toEqual(new Uint8Array(0)); // an empty value, not a delete
    await db.flush();
    expect(await db.get(utf8('big'))).toEqual(largest);
    expect(await db.get(utf8('empty'))).toEqual(new Uint8Array(0));
  });

  it('NonBytesAreATypeError: strings, numbers, null, arrays as key or value', async () => {
    const { db, expectNothingWritten } = await seeded();
    const notBytes = ['key', 42, null, undefined, [1, 2, 3], new ArrayBuffer(3), { length: 3 }];
    for (const thing of notBytes) {
      expect(await failure(() => db.put(bad(thing), utf8('v')))).toBeInstanceOf(TypeError);
      expect(await failure(() => db.put(utf8('k'), bad(thing)))).toBeInstanceOf(TypeError);
      expect(await failure(() => db.delete(bad(thing)))).toBeInstanceOf(TypeError);
      expect(await failure(() => db.get(bad(thing)))).toBeInstanceOf(TypeError);
    }
    await expectNothingWritten();
  });

  it('BadOptionsAreRefusedAtOpen', async () => {
    for (const options of [{ memtableBytes: 0 }, { memtableBytes: -1 }, { memtableBytes: 1.5 }, { blockSize: 0 }]) {
      const storage = new MemoryStorage();
      expect(await failure(() => LsmTree.open(storage, options))).toMatchObject({ code: ErrorCode.InvalidArgument });
      expect(await storage.list()).toEqual([]);
    }
    const db = await LsmTree.open(new MemoryStorage());
    expect(await failure(() => db.setMemtableBytes(0))).toMatchObject({ code: ErrorCode.InvalidArgument });
  });

  it('CallerBuffersAreCopied: changing them after put changes nothing stored', async () => {
    const { db } = await seeded();
    const key = utf8('mutable');
    const value = utf8('original');
    await db.put(key, value);
    value.fill(0x58);
    expect(await db.get(utf8('mutable'))).toEqual(utf8('original'));
    key.fill(0x59);
    expect(await db.get(utf8('mutable'))).toEqual(utf8('original'));
    const read = (await db.get(utf8('mutable')))!;
    read.fill(0);
    expect(await db.get(utf8('mutable'))).toEqual(utf8('original'));
  });
});

describe('A closed database', () => {
  it('EveryOperationAfterCloseRejectsWithClosed', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    await db.put(utf8('k'), utf8('v'));
    await db.close();
    const operations: Array<[string, () => Promise<unknown>]> = [
      ['put', () => db.put(utf8('k'), utf8('v'))],
      ['delete', () => db.delete(utf8('k'))],
      ['get', () => db.get(utf8('k'))],
      ['lookup', () => db.lookup(utf8('k'))],
      ['scan', () => scanAll(db)],
      ['flush', () => db.flush()],
      ['compact', () => db.compact()],
      ['describe', () => db.describe()],
      ['setMemtableBytes', () => db.setMemtableBytes(100)],
      ['close', () => db.close()],
    ];
    for (const [name, operation] of operations) {
      const error = await operation().then(
        () => new Error(`${name} succeeded after close`),
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(LsmError);
      expect(error, name).toMatchObject({ code: ErrorCode.Closed });
    }
    // Close released every handle: the database opens again with its data.
    const reopened = await LsmTree.open(storage);
    expect(await reopened.get(utf8('k'))).toEqual(utf8('v'));
  });

  it('OperationsQueuedBeforeCloseStillComplete', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage);
    const put = db.put(utf8('queued'), utf8('before close'));
    const closed = db.close();
    const late = db.put(utf8('late'), utf8('after close'));
    await put;
    await closed;
    expect(await late.catch((e: unknown) => e)).toMatchObject({ code: ErrorCode.Closed });
    const reopened = await LsmTree.open(storage);
    expect(await reopened.get(utf8('queued'))).toEqual(utf8('before close'));
    expect(await reopened.get(utf8('late'))).toBeUndefined();
  });
});
