// The flush off the write path (engine/background-flush.ts), with an in-process flush worker that runs the real
// build (flush-table.ts's buildTable) on the same MemoryStorage, and answers when the test lets it: reads find the
// immutable memtable, a second full memtable waits for the first's commit, close commits, a crash before the
// commit loses nothing acknowledged, a failed worker table is written again on the tree's thread.
import { describe, expect, it } from 'vitest';
import { type EngineEvent, LsmError, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { buildTable, type FlushReply, type FlushRequest, type FlushWorker } from '../../../engine/flush-table';
import { drainArenaPool, pooledChunks } from '../../../engine/memtable/arena';
import { FaultyStorage } from '../../../engine/storage';
import { CrashFigures, checkRecovery, crashWorkload, WriteOracle } from '../support/crash';
import { seededRandom } from '../support/random';
import { runUntilCrash } from '../support/scenario';
import { copyStorage } from '../support/storage';
import { expectOnlyLiveFiles, pad, scanAll, text } from '../support/tree';

/** A flush worker in this process: each request is built at once, its reply held until released (or sent at once). */
function inProcessWorker(
  storage: MemoryStorage,
  options: { hold?: boolean; fail?: boolean; turns?: () => number } = {},
) {
  const held: Array<() => void> = [];
  const requests: FlushRequest[] = [];
  let started = 0;
  const control = {
    requests,
    get started() {
      return started;
    },
    held: () => held.length,
    /** Sends the replies held so far. */
    release() {
      for (const send of held.splice(0)) send();
    },
    hold: options.hold ?? false,
    fail: options.fail ?? false,
    start: (): FlushWorker => {
      started++;
      const worker: FlushWorker = {
        onmessage: null,
        postMessage(request) {
          requests.push(request);
          void (async () => {
            const built = await buildTable(storage, request);
            const reply: FlushReply = control.fail
              ? {
                  id: request.id,
                  ok: false,
                  error: { code: 'io-error', message: 'the disk is gone' },
                  entries: built.entries,
                }
              : built;
            const send = () => worker.onmessage?.({ data: reply } as MessageEvent<FlushReply>);
            if (control.hold) held.push(send);
            else if (options.turns) {
              let turns = options.turns();
              const later = () => (turns-- > 0 ? setImmediate(later) : send());
              later();
            } else setTimeout(send, 0);
          })();
        },
        terminate() {},
      };
      return worker;
    },
  };
  return control;
}

const VALUE = new Uint8Array(200).fill(0x61);
const value = (i: number) => {
  const v = VALUE.slice();
  v.set(utf8(pad(i)), 0);
  return v;
};

/** Writes keys from..to-1 (each a 200-byte value naming it). */
async function putRange(db: LsmTree, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await db.put(utf8(`k${pad(i)}`), value(i));
}

/** Every key from..to-1 reads back as written. */
async function expectRange(db: LsmTree, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) expect(text(await db.get(utf8(`k${pad(i)}`))), `k${pad(i)}`).toBe(text(value(i)));
}

/** Lets every settled promise and timer that is due run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('background flush', () => {
  it('goes on taking writes while the table is written, and reads the immutable memtable', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60); // ~60 × 218 B: past 8 KiB, one switch
    expect(worker.requests).toHaveLength(1);
    expect(await db.property('num-immutable-mem-table')).toBe('1');
    // Nothing committed yet: no table, both WALs on storage, every key read from the two memtables.
    expect(await db.property('num-files-at-level0')).toBe('0');
    expect((await storage.list()).filter((f) => f.endsWith('.log'))).toHaveLength(2);
    await expectRange(db, 0, 60);
    const pairs = await scanAll(db);
    expect(pairs.map(([k]) => text(k))).toEqual(Array.from({ length: 60 }, (_, i) => `k${pad(i)}`));
    // An overwrite after the switch wins over the immutable memtable's version.
    await db.put(utf8(`k${pad(3)}`), utf8('newer'));
    expect(text(await db.get(utf8(`k${pad(3)}`)))).toBe('newer');

    worker.release();
    await db.waitForBackgroundWork();
    expect(await db.property('num-immutable-mem-table')).toBe('0');
    expect(await db.property('num-files-at-level0')).toBe('1');
    expect(await db.stats()).toMatchObject({ flushes: 1, flushesByWorker: 1 });
    expect(text(await db.get(utf8(`k${pad(3)}`)))).toBe('newer');
    await expectRange(db, 4, 60);
    await expectOnlyLiveFiles(storage, await db.describe());
    await db.close();
  });

  it('makes a write that fills the next memtable wait for the last one’s commit', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60);
    expect(worker.requests).toHaveLength(1);
    // Fill the new memtable too: the write that would switch again must wait for the held table.
    let done = false;
    const second = putRange(db, 60, 80).then(() => {
      done = true;
    });
    for (let i = 0; i < 20; i++) await turn();
    expect(done).toBe(false);
    expect(worker.requests).toHaveLength(1);
    worker.hold = false;
    worker.release();
    await second;
    await db.waitForBackgroundWork();
    expect(worker.requests).toHaveLength(2);
    expect(Number(await db.property('num-files-at-level0'))).toBe(2);
    await expectRange(db, 0, 80);
    await db.close();
  });

  it('is committed by close, and the reopened tree reads every key from tables and the WAL', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 70);
    const closing = db.close();
    for (let i = 0; i < 5; i++) await turn();
    worker.release();
    await closing;
    const again = await LsmTree.open(storage, { flushWorker: false });
    expect(await again.property('num-files-at-level0')).toBe('1');
    await expectRange(again, 0, 70);
    await expectOnlyLiveFiles(storage, await again.describe());
    await again.close();
  });

  it('loses nothing acknowledged in a crash before the commit, and leaves no orphan table', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60);
    for (let i = 0; i < 5; i++) await turn(); // the worker's table is written, its reply held
    const crashed = await copyStorage(storage);
    expect((await crashed.list()).filter((f) => f.endsWith('.sst'))).toHaveLength(1);
    const recovered = await LsmTree.open(crashed, { flushWorker: false });
    await expectRange(recovered, 0, 60);
    expect(await recovered.property('num-files-at-level0')).toBe('0'); // the table was named by nothing
    expect((await crashed.list()).filter((f) => f.endsWith('.sst'))).toHaveLength(0);
    await recovered.close();
    worker.release();
    await db.close();
  });

  it('writes the table on the tree’s own thread when the worker’s fails', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { fail: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60);
    // The commit hears of the failure (a background error) and writes the table here instead.
    await expect(db.waitForBackgroundWork()).resolves.toBeUndefined();
    expect(db.readOnly).toBeUndefined();
    expect(await db.stats()).toMatchObject({ flushes: 1, flushesByWorker: 0 });
    expect(await db.property('num-immutable-mem-table')).toBe('0');
    expect(await db.property('num-files-at-level0')).toBe('1');
    await expectRange(db, 0, 60);
    await expectOnlyLiveFiles(storage, await db.describe());
    await db.close();
  });

  it('reads an immutable memtable at a snapshot taken before the switch', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 30);
    const snapshot = await db.snapshot();
    await putRange(db, 30, 60); // the switch
    expect(worker.requests).toHaveLength(1);
    await db.put(utf8(`k${pad(5)}`), utf8('after'));
    expect(text(await db.get(utf8(`k${pad(5)}`), { snapshot }))).toBe(text(value(5)));
    expect(await db.get(utf8(`k${pad(40)}`), { snapshot })).toBeUndefined();
    expect(text(await db.get(utf8(`k${pad(5)}`)))).toBe('after');
    snapshot.release();
    worker.release();
    await db.waitForBackgroundWork();
    await db.close();
  });

  it('gives the immutable memtable’s arena chunks back at its commit, not before', async () => {
    drainArenaPool();
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 1024 * 1024, flushWorker: worker.start });
    const big = new Uint8Array(16 * 1024).fill(0x62);
    for (let i = 0; i < 70; i++) await db.put(utf8(`b${pad(i)}`), big); // ~1.1 MiB: one switch
    expect(worker.requests).toHaveLength(1);
    expect(pooledChunks()).toBe(0);
    for (let i = 0; i < 70; i++) expect((await db.get(utf8(`b${pad(i)}`)))?.every((b) => b === 0x62)).toBe(true);
    worker.release();
    await db.waitForBackgroundWork();
    expect(pooledChunks()).toBeGreaterThan(0);
    for (let i = 0; i < 70; i++) expect((await db.get(utf8(`b${pad(i)}`)))?.every((b) => b === 0x62)).toBe(true);
    await db.close();
  });

  for (const durability of ['durable', 'group'] as const) {
    it(`keeps the values of writes queued behind the switch (${durability}), in memory and on storage`, async () => {
      // Puts issued together: each record is carved out of the arena when called, before its turn. The write that
      // fills the memtable switches while those behind it wait with records in the same chunk; they go into the new
      // memtable, so that chunk must outlive the frozen memtable's commit (a poisoned chunk would read as 0xa5).
      const storage = new MemoryStorage();
      const worker = inProcessWorker(storage, { hold: true });
      const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, durability, flushWorker: worker.start });
      await Promise.all(Array.from({ length: 60 }, (_, i) => db.put(utf8(`k${pad(i)}`), value(i))));
      expect(worker.requests).toHaveLength(1);
      await expectRange(db, 0, 60);
      worker.release();
      await db.waitForBackgroundWork();
      await expectRange(db, 0, 60); // the frozen memtable's chunks went back; the new memtable's are intact
      await db.flush();
      await db.close();
      const again = await LsmTree.open(storage, { flushWorker: false });
      await expectRange(again, 0, 60);
      expect((await scanAll(again)).length).toBe(60);
      await again.close();
    });
  }

  it('commits nothing once the tree stopped writing: the WALs stay, for the next open to replay', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    // The worker writes to the files themselves, as the engine's own writes to OPFS beside the tree's storage.
    const worker = inProcessWorker(memory, { hold: true });
    const db = await LsmTree.open(faulty, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60);
    expect(worker.requests).toHaveLength(1);
    // A WAL flush fails and so does its cut-back: the tree must stop writing (failure.ts).
    faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    faulty.inject({ operation: 'truncate', nth: 1, kind: 'io', fileSuffix: '.log' });
    await expect(db.put(utf8('late'), value(99))).rejects.toBeInstanceOf(LsmError);
    expect(db.readOnly).toBeDefined();
    worker.release();
    await expect(db.waitForBackgroundWork()).rejects.toMatchObject({ code: 'read-only' });
    expect(await db.property('num-immutable-mem-table')).toBe('1');
    expect(await db.property('num-files-at-level0')).toBe('0');
    await db.close();
    faulty.clearFaults();
    const again = await LsmTree.open(memory, { flushWorker: false });
    await expectRange(again, 0, 60);
    await again.close();
  });

  it('stays on the write path while someone listens', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage);
    const types: string[] = [];
    const db = await LsmTree.open(storage, {
      memtableBytes: 8 * 1024,
      flushWorker: worker.start,
      onEvent: (e) => types.push(e.type),
    });
    await putRange(db, 0, 60);
    expect(worker.started).toBe(0);
    expect(types).toContain('flush.end');
    expect(await db.property('num-files-at-level0')).toBe('1');
    await db.close();
  });

  it('frames the commit as a flush for a listener that subscribed while the table was being written', async () => {
    const storage = new MemoryStorage();
    const worker = inProcessWorker(storage, { hold: true });
    const db = await LsmTree.open(storage, { memtableBytes: 8 * 1024, flushWorker: worker.start });
    await putRange(db, 0, 60);
    expect(await db.property('num-immutable-mem-table')).toBe('1');
    const events: EngineEvent[] = [];
    db.subscribe((e) => events.push(e));
    worker.release();
    await db.waitForBackgroundWork();
    const types = events.map((e) => e.type);
    const begin = types.indexOf('flush.begin');
    const end = types.indexOf('flush.end');
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(types.indexOf('manifest.edit'));
    expect(types.indexOf('sstable.write')).toBeGreaterThan(begin);
    expect(types.indexOf('manifest.edit')).toBeGreaterThan(types.indexOf('sstable.write'));
    expect(types.indexOf('wal.remove')).toBeGreaterThan(begin);
    expect(types.indexOf('wal.remove')).toBeLessThan(end);
    const { tables, wal } = await db.describe();
    const removed = events.find((e) => e.type === 'wal.remove');
    expect(events[begin]).toMatchObject({
      reason: 'threshold',
      wal: removed?.type === 'wal.remove' && removed.file,
      frozen: true,
    });
    expect(events[end]).toMatchObject({ table: tables[0]!.file, wal: wal.file, frozen: true });
    expect(events[begin]?.type === 'flush.begin' && events[begin].entries).toBeGreaterThan(30);
    await db.close();
  });

  it('loses nothing acknowledged when the process dies at any step of a session of background flushes', async () => {
    // A seeded session of puts, deletes and manual flushes through a 160-byte memtable (a switch every few writes),
    // the worker's replies arriving 0-5 turns of the event loop later: after every step the files are copied as a
    // dying process leaves them (a frozen memtable in flight, a table written but not committed, a commit done)
    // and opened by a new process without a flush worker, which must hold every acknowledged write.
    const storage = new MemoryStorage();
    const random = seededRandom(11);
    const worker = inProcessWorker(storage, { turns: () => random.below(6) });
    const oracle = new WriteOracle();
    const figures = new CrashFigures();
    let inFlight = 0;
    let last: LsmTree | undefined;
    // The crash suites' session runner, on a FaultyStorage with no fault planned: every step runs.
    const unexpected = await runUntilCrash(
      new FaultyStorage(storage),
      crashWorkload(5, 240, { reopenEvery: 80, flushes: 0.04 }),
      { memtableBytes: 160, l0Trigger: 2, flushWorker: worker.start },
      oracle,
      async (db, n) => {
        last = db;
        if ((await db.property('num-immutable-mem-table')) === '1') inFlight++;
        figures.record(`step ${n}`, await checkRecovery(await copyStorage(storage), oracle, { flushWorker: false }));
      },
    );
    expect(unexpected).toEqual([]);
    await last!.waitForBackgroundWork();
    await last!.close();
    expect(figures.failures).toEqual([]);
    expect(figures.clean).toBe(true);
    expect(worker.requests.length).toBeGreaterThan(20);
    expect(inFlight).toBeGreaterThan(10); // many crash points fell while a frozen memtable was in flight
  });
});
