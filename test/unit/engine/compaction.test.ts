// Compaction, end to end on MemoryStorage: a seeded workload of puts, updates and deletes, with the tree's
// invariants checked after every single write (levels sorted and disjoint, every key as a Map model says, no
// file left over), the amplification each strategy trades, tombstones at the bottom, crashes in the middle of
// a compaction, and levels that survive a reopen.
import { describe, expect, it } from 'vitest';
import { ErrorCode, type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { sstableName } from '../../../engine/filenames';
import { eventLog } from '../support/events';
import { seededRandom } from '../support/random';
import { mortalStorage } from '../support/storage';
import { expectOnlyLiveFiles, expectSortedDisjointLevels, pad, scanAll, text } from '../support/tree';

const KEYS = 300;
const keyOf = (k: number) => `key${pad(k)}`;

type Write = { op: 'put'; key: string; value: string } | { op: 'delete'; key: string };

/** Puts of new keys, updates of existing ones and deletes (mostly of live keys), over KEYS keys. */
function workload(seed: number, count: number): Write[] {
  const random = seededRandom(seed);
  const live = new Set<string>();
  const writes: Write[] = [];
  for (let n = 0; n < count; n++) {
    const roll = random.next();
    const liveKeys = [...live];
    let key = keyOf(random.below(KEYS));
    if (roll < 0.25 && liveKeys.length > 0) key = liveKeys[random.below(liveKeys.length)]!;
    if (roll >= 0.75) {
      if (liveKeys.length > 0 && random.next() < 0.9) key = liveKeys[random.below(liveKeys.length)]!;
      writes.push({ op: 'delete', key });
      live.delete(key);
    } else {
      writes.push({ op: 'put', key, value: `v${n}${'.'.repeat(random.below(24))}` });
      live.add(key);
    }
  }
  return writes;
}

async function apply(db: LsmTree, write: Write, model: Map<string, string>): Promise<void> {
  if (write.op === 'put') {
    await db.put(utf8(write.key), utf8(write.value));
    model.set(write.key, write.value);
  } else {
    await db.delete(utf8(write.key));
    model.delete(write.key);
  }
}

/**
 * Every key, by scan and by point read, exactly as the model has it: none lost, none resurrected. `only` limits
 * the point reads to the keys given (the scan still covers every key).
 */
async function expectModel(db: LsmTree, model: Map<string, string>, only?: string[]): Promise<void> {
  const expected = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  expect((await scanAll(db)).map(([k, v]) => [text(k), text(v)])).toEqual(expected);
  for (const key of only ?? Array.from({ length: KEYS }, (_, k) => keyOf(k))) {
    const found = await db.lookup(utf8(key), { trace: false });
    expect(text(found.value), key).toBe(model.get(key));
  }
}

const SMALL: LsmOptions = { memtableBytes: 512, l0Trigger: 4, blockSize: 128 };

describe('Compaction keeps the tree whole after every write', () => {
  for (const strategy of ['leveled', 'tiered'] as const) {
    it(`${strategy === 'leveled' ? 'Leveled' : 'Tiered'}: levels, files and every key checked after each of 700 writes`, async () => {
      const storage = new MemoryStorage();
      const log = eventLog();
      const db = await LsmTree.open(storage, { ...SMALL, compaction: strategy, onEvent: log.record });
      const model = new Map<string, string>();
      let deepest = 0;
      let mostTables = 0;
      let tablesBefore = '';
      for (const write of workload(7, 700)) {
        await apply(db, write, model);
        const state = await db.describe();
        expectSortedDisjointLevels(state.tables);
        await expectOnlyLiveFiles(storage, state);
        // The scan reads every key after every write; point reads of every key follow each flush or compaction
        // (a write that left the tables as they were changed only the memtable, and only its own key).
        const tables = state.tables.map((t) => `${t.file}@${t.level}`).join();
        await expectModel(db, model, tables === tablesBefore ? [write.key] : undefined);
        tablesBefore = tables;
        deepest = Math.max(deepest, ...state.tables.map((t) => t.level));
        mostTables = Math.max(mostTables, state.tables.length);
        if (strategy === 'tiered') expect(state.tables.every((t) => t.level === 0)).toBe(true);
        if (strategy === 'leveled') {
          // Compaction runs before a write is acknowledged: L0 is never left at its trigger.
          expect(state.tables.filter((t) => t.level === 0).length).toBeLessThan(4);
        }
      }

      const begins = log.of('compaction.begin');
      const ends = log.of('compaction.end');
      expect(begins.length).toBeGreaterThan(5);
      expect(ends.map((e) => e.inputs)).toEqual(begins.map((e) => e.inputs));
      expect(begins.every((e) => e.strategy === strategy)).toBe(true);
      const stats = await db.stats();
      expect(stats.compactions).toBe(ends.length);
      expect(stats.flushes).toBe(log.of('flush.end').length);
      if (strategy === 'leveled') {
        expect(deepest).toBeGreaterThanOrEqual(2);
        expect(ends.every((e) => e.outputLevel >= 1)).toBe(true);
        expect(begins.some((e) => e.inputLevels[0]! >= 1)).toBe(true);
      } else {
        expect(ends.every((e) => e.outputLevel === 0)).toBe(true);
        // Runs are merged as they pile up: far fewer tables than the flushes that made them.
        expect(mostTables).toBeLessThan(stats.flushes / 4);
      }
      // Every input of every compaction is gone from storage, and every deletion was told.
      const removed = log.of('sstable.remove').map((e) => e.file);
      const rewrittenInputs = begins.filter((e) => !e.trivialMove).flatMap((e) => e.inputs);
      expect(removed).toEqual(rewrittenInputs);
      const files = await storage.list();
      expect(removed.filter((f) => files.includes(f))).toEqual([]);
      console.log(
        `${strategy}: ${stats.flushes} flushes, ${stats.compactions} compactions, deepest level L${deepest}, at most ${mostTables} tables`,
      );
    }, 30_000);
  }

  it('LevelAwareReads: a point read considers every L0 table but at most one table per deeper level', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { ...SMALL, compaction: 'leveled' });
    const model = new Map<string, string>();
    for (const write of workload(11, 800)) await apply(db, write, model);
    const { tables } = await db.describe();
    const l0 = tables.filter((t) => t.level === 0).length;
    const deeperLevels = new Set(tables.filter((t) => t.level > 0).map((t) => t.level)).size;
    expect(tables.length).toBeGreaterThan(l0 + deeperLevels);
    for (let k = 0; k < KEYS; k++) {
      const found = await db.lookup(utf8(keyOf(k)));
      expect(text(found.value)).toBe(model.get(keyOf(k)));
      expect(found.tablesChecked).toBeLessThanOrEqual(l0 + deeperLevels);
    }
  });

  it('ScanSourcesNameWhereEachNewestVersionLives', async () => {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), { ...SMALL, compaction: 'leveled', onEvent: log.record });
    const model = new Map<string, string>();
    for (const write of workload(5, 400)) await apply(db, write, model);
    const state = await db.describe();
    log.clear();
    await scanAll(db);
    const [begin] = log.of('scan.begin');
    expect(begin!.sources).toEqual(['memtable', ...state.tables.map((t) => t.file)]);
    const results = log.of('scan.end')[0]!.results;
    expect(results.length).toBe(Math.min(50, model.size));
    const inMemtable = new Set(state.memtable.map((e) => e.key));
    for (const { key, source } of results) {
      const found = await db.lookup(Buffer.from(key, 'hex'), { trace: false });
      expect(source).toBe(inMemtable.has(key) ? 'memtable' : found.source);
    }
  });
});

describe('Amplification', () => {
  it('OffLeveledTiered: L0 grows without compaction, and reads pay for it', async () => {
    const writes = workload(3, 1500);
    const results: Record<string, Awaited<ReturnType<LsmTree['stats']>> & { tables: number }> = {};
    for (const strategy of ['off', 'leveled', 'tiered'] as const) {
      const db = await LsmTree.open(new MemoryStorage(), { ...SMALL, compaction: strategy });
      const model = new Map<string, string>();
      let previous = 0;
      for (const write of writes) {
        await apply(db, write, model);
        if (strategy === 'off') {
          // Nothing ever merges: the number of tables only grows, one per flush.
          const count = (await db.describe()).tables.length;
          expect(count).toBeGreaterThanOrEqual(previous);
          previous = count;
        }
      }
      for (let k = 0; k < KEYS; k++) expect(text(await db.get(utf8(keyOf(k))))).toBe(model.get(keyOf(k)));
      const stats = await db.stats();
      results[strategy] = { ...stats, tables: (await db.describe()).tables.length };
      console.log(
        `${strategy.padEnd(7)} write amplification ${stats.writeAmplification.toFixed(2)}, space amplification ${stats.spaceAmplification.toFixed(2)}, tables per get ${stats.tablesPerGet.toFixed(2)}, ${results[strategy]!.tables} tables`,
      );
    }
    const { off, leveled, tiered } = results as Record<'off' | 'leveled' | 'tiered', (typeof results)[string]>;
    expect(off.compactions).toBe(0);
    expect(off.tables).toBe(off.flushes);
    expect(off.levels.map((l) => l.files)).toEqual([off.tables, 0]);
    expect(off.tables).toBeGreaterThan(3 * leveled.tables);
    expect(off.tablesPerGet).toBeGreaterThan(leveled.tablesPerGet);
    expect(off.tablesPerGet).toBeGreaterThan(tiered.tablesPerGet);
    // Compaction rewrites data (more bytes written) to keep fewer copies of it (less space).
    expect(leveled.writeAmplification).toBeGreaterThan(off.writeAmplification);
    expect(tiered.writeAmplification).toBeGreaterThan(off.writeAmplification);
    expect(leveled.spaceAmplification).toBeLessThan(off.spaceAmplification);
    expect(tiered.spaceAmplification).toBeLessThan(off.spaceAmplification);
    expect(leveled.liveKeys).toBe(off.liveKeys);
    expect(tiered.liveBytes).toBe(off.liveBytes);
  });
});

describe('Tombstones', () => {
  it('DroppedAtTheBottom: delete every key, compact to the last level, no entry is left', async () => {
    const log = eventLog();
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { ...SMALL, compaction: 'leveled', maxLevels: 3, onEvent: log.record });
    for (let k = 0; k < KEYS; k++) await db.put(utf8(keyOf(k)), utf8(`value${k}`));
    for (let k = 0; k < KEYS; k += 2) await db.put(utf8(keyOf(k)), utf8(`again${k}`));
    for (let k = 0; k < KEYS; k++) await db.delete(utf8(keyOf(k)));
    await db.flush();
    expect((await db.describe()).tables.reduce((sum, t) => sum + t.entries, 0)).toBeGreaterThan(0);
    // Push everything down: L0 compacts at one file, L1 is over a 1-byte target, L2 is the last level.
    await db.setOptions({ l0Trigger: 1, levelBaseBytes: 1 });
    await db.compact();
    const state = await db.describe();
    const entries = state.tables.reduce((sum, t) => sum + t.entries, 0);
    expect(entries, `tables left: ${JSON.stringify(state.tables.map((t) => [t.file, t.level, t.entries]))}`).toBe(0);
    expect(log.of('compaction.end').reduce((sum, e) => sum + e.droppedTombstones, 0)).toBeGreaterThan(0);
    expect(await scanAll(db)).toEqual([]);
    for (let k = 0; k < KEYS; k += 17) expect(await db.get(utf8(keyOf(k)))).toBeUndefined();
    await expectOnlyLiveFiles(storage, state);
  });

  it('KeptAboveOlderData: a tombstone is not dropped while a deeper level may hold the key', async () => {
    const log = eventLog();
    // Static targets: L0 compacts into L1, over an L2 that holds the keys.
    const db = await LsmTree.open(new MemoryStorage(), {
      ...SMALL,
      compaction: 'leveled',
      dynamicLevelBytes: false,
      onEvent: log.record,
    });
    for (let k = 0; k < KEYS; k++) await db.put(utf8(keyOf(k)), utf8(`value${k}`));
    expect((await db.describe()).tables.some((t) => t.level >= 2)).toBe(true);
    log.clear();
    for (let k = 0; k < KEYS; k += 3) await db.delete(utf8(keyOf(k)));
    await db.setOptions({ l0Trigger: 1 });
    await db.flush();
    // The deletes went down into L1 over an L2 holding the keys: kept, not dropped.
    const intoL1 = log.of('compaction.begin').filter((e) => e.outputLevel === 1);
    expect(intoL1.length).toBeGreaterThan(0);
    expect(intoL1.every((e) => !e.dropTombstones)).toBe(true);
    const ends = log.of('compaction.end').filter((e) => e.outputLevel === 1);
    expect(ends.reduce((sum, e) => sum + e.droppedTombstones, 0)).toBe(0);
    for (let k = 0; k < KEYS; k++) {
      expect(text(await db.get(utf8(keyOf(k))))).toBe(k % 3 === 0 ? undefined : `value${k}`);
    }
  });

  it('SwitchingFromLeveledToTiered never resurrects a deleted key', async () => {
    // A leveled tree has its older data in L1 and below. Switched to tiered at run time, its L0 runs are
    // merged; a tombstone in the oldest L0 run still hides a value in L1 and must survive that merge.
    const db = await LsmTree.open(new MemoryStorage(), { ...SMALL, compaction: 'leveled' });
    for (let k = 0; k < KEYS; k++) await db.put(utf8(keyOf(k)), utf8(`value${k}`));
    await db.setOptions({ l0Trigger: 1 });
    await db.flush();
    expect((await db.describe()).tables.every((t) => t.level > 0)).toBe(true);
    await db.setOptions({ compaction: 'tiered' });
    const model = new Map(Array.from({ length: KEYS }, (_, k) => [keyOf(k), `value${k}`]));
    for (let k = 0; k < KEYS; k += 2) await apply(db, { op: 'delete', key: keyOf(k) }, model);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 20; i++) await apply(db, { op: 'put', key: `new${round}-${i}`, value: 'x' }, model);
      await db.flush();
    }
    expect(await db.compact()).toBe(0); // each flush already merged what it could
    const resurrected: string[] = [];
    for (let k = 0; k < KEYS; k += 2) if ((await db.get(utf8(keyOf(k)))) !== undefined) resurrected.push(keyOf(k));
    expect(resurrected).toEqual([]);
    await expectModel(db, model);
  });
});

describe('Crashes during compaction', () => {
  /** Four L0 tables and deeper levels, compaction off: switching it on makes the next compact() do work. */
  async function readyToCompact(storage: MemoryStorage) {
    const db = await LsmTree.open(storage, { ...SMALL, compaction: 'leveled' });
    const model = new Map<string, string>();
    for (const write of workload(21, 500)) await apply(db, write, model);
    await db.setOptions({ compaction: 'off' });
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 12; i++) {
        const k = (round * 37 + i * 23) % KEYS;
        await apply(db, { op: 'put', key: keyOf(k), value: `round${round}` }, model);
      }
      await db.flush();
    }
    const state = await db.describe();
    expect(state.tables.filter((t) => t.level === 0).length).toBeGreaterThanOrEqual(4);
    await db.close();
    return model;
  }

  // 'manifest.edit' is the compaction's commit: the outputs are named, and every input is still on storage (they
  // are deleted together after it).
  for (const at of ['sstable.write', 'manifest.edit'] as const) {
    it(`CrashAt ${at}: every acknowledged write is there after reopening, and nothing is left over`, async () => {
      const memory = new MemoryStorage();
      const model = await readyToCompact(memory);
      const tablesBefore = (await memory.list()).filter((f) => f.endsWith('.sst'));
      const mortal = mortalStorage(memory);
      let compacting = false;
      let crashed = false;
      const log = eventLog();
      const db = await LsmTree.open(mortal.storage, {
        ...SMALL,
        compaction: 'leveled',
        onEvent: (event) => {
          log.record(event);
          if (event.type === 'compaction.begin' && !event.trivialMove) compacting = true;
          if (compacting && !crashed && event.type === at) {
            crashed = true;
            mortal.die();
            throw new Error('the process died here');
          }
        },
      });
      await expect(db.compact()).rejects.toThrow();
      expect(crashed).toBe(true);
      const begin = log.of('compaction.begin').at(-1)!;
      const written = log.of('sstable.write').map((e) => e.table.file);
      const committed = log.of('manifest.edit').some((e) => e.added.some((t) => written.includes(t.file)));
      expect(committed).toBe(at === 'manifest.edit');
      // What the crash left: outputs nobody names (before the commit: those written, and perhaps the next one,
      // created ahead while the first filled), or inputs nobody names (after it).
      const created = (await memory.list()).filter((f) => f.endsWith('.sst') && !tablesBefore.includes(f));
      const leftovers = at === 'sstable.write' ? created : begin.inputs;
      expect(leftovers.length).toBeGreaterThan(0);
      if (at === 'sstable.write') {
        expect(created).toEqual(expect.arrayContaining(written));
        expect(created.length).toBeLessThanOrEqual(written.length + 1);
      }
      const files = await memory.list();
      for (const file of leftovers) expect(files).toContain(file);

      const recovery = eventLog();
      const reopened = await LsmTree.open(memory, { ...SMALL, compaction: 'off', onEvent: recovery.record });
      expect(
        recovery
          .of('recovery.delete')
          .map((e) => e.file)
          .sort(),
      ).toEqual([...leftovers].sort());
      const state = await reopened.describe();
      await expectOnlyLiveFiles(memory, state);
      expectSortedDisjointLevels(state.tables);
      const names = state.tables.map((t) => t.file);
      if (at === 'sstable.write') {
        expect(names).toEqual(expect.arrayContaining(begin.inputs));
      } else {
        expect(names.filter((f) => begin.inputs.includes(f))).toEqual([]);
        expect(names).toEqual(expect.arrayContaining(written));
      }
      await expectModel(reopened, model);
      // And the interrupted compaction can simply run again.
      await reopened.setOptions({ compaction: 'leveled' });
      expect(await reopened.compact()).toBeGreaterThan(0);
      await expectModel(reopened, model);
      await expectOnlyLiveFiles(memory, await reopened.describe());
    });
  }
});

describe('Reopening', () => {
  it('LevelsSurviveCloseAndReopen after many compactions', async () => {
    const storage = new MemoryStorage();
    const log = eventLog();
    const options: LsmOptions = { ...SMALL, compaction: 'leveled' };
    const db = await LsmTree.open(storage, { ...options, onEvent: log.record });
    const model = new Map<string, string>();
    for (const write of workload(9, 900)) await apply(db, write, model);
    expect(log.of('compaction.end').length).toBeGreaterThan(20);
    const before = await db.describe();
    expect(new Set(before.tables.map((t) => t.level)).size).toBeGreaterThanOrEqual(2);
    expect(before.memtable.length).toBeGreaterThan(0);
    await db.close();

    const reopened = await LsmTree.open(storage, options);
    const after = await reopened.describe();
    expect(after.tables).toEqual(before.tables);
    expect(after.memtable).toEqual(before.memtable);
    expect(after.memtableBytes).toBe(before.memtableBytes);
    expect(after.lastSequence).toBe(before.lastSequence);
    expect(after.wal).toEqual(before.wal);
    // The manifest may have been rewritten as one snapshot record; either way it is the only one.
    expect((await storage.list()).filter((f) => f.startsWith('MANIFEST-'))).toEqual([after.manifest.file]);
    await expectOnlyLiveFiles(storage, after);
    await expectModel(reopened, model);
    // A second reopen, with nothing written in between, changes nothing at all.
    await reopened.close();
    const again = await LsmTree.open(storage, options);
    expect(await again.describe()).toEqual(after);
  });
});

describe('Output files created ahead', () => {
  it('TableAheadGivenBack: a next output created on a wrong guess is deleted and its number reused', async () => {
    // 100 keys only in the oldest table, then 100 keys with four versions each; a file holds ~120 entries. After
    // the first output (the 100 single keys, every one kept, and a few of the others), the merge guesses from the
    // 70 % kept so far that what is left needs a third file and creates it ahead; only a quarter of what is left
    // survives, and it fits in the second.
    const created: string[] = [];
    const storage = new (class extends MemoryStorage {
      override open(name: string, options?: { create?: boolean }) {
        if (options?.create) created.push(name);
        return super.open(name, options);
      }
    })();
    const log = eventLog();
    const value = 'v'.repeat(80);
    const db = await LsmTree.open(storage, {
      memtableBytes: 64 * 1024,
      targetFileBytes: 12_000,
      compaction: 'off',
      onEvent: log.record,
    });
    for (let k = 0; k < 100; k++) await db.put(utf8(keyOf(k)), utf8(value));
    await db.put(utf8(keyOf(150)), utf8(value)); // so that the oldest table overlaps the others
    await db.flush();
    for (let round = 0; round < 4; round++) {
      for (let k = 100; k < 200; k++) await db.put(utf8(keyOf(k)), utf8(`${value}${round}`));
      await db.flush();
    }
    await db.setOptions({ compaction: 'leveled' });
    created.length = 0;
    expect(await db.compact()).toBe(1);
    const outputs = log
      .of('compaction.end')
      .at(-1)!
      .outputs.map((file) => Number.parseInt(file, 10));
    expect(outputs).toHaveLength(2);
    const ahead = sstableName(outputs[1]! + 1);
    expect(created).toEqual([sstableName(outputs[0]!), sstableName(outputs[1]!), ahead]);
    await expectOnlyLiveFiles(storage, await db.describe());
    // The next file made takes the number right after the outputs (the flush's new WAL): it was given back.
    await db.put(utf8('after'), utf8('x'));
    await db.flush();
    expect(await storage.list()).toContain(ahead.replace('.sst', '.log'));
    for (let k = 0; k < 200; k++) {
      expect(text(await db.get(utf8(keyOf(k))))).toBe(k < 100 ? value : `${value}3`);
    }
    await db.close();
  });
});

/** MemoryStorage whose deletions of `suffix` files wait until `release()`: the browser's storage process, slow. */
class SlowRemovals extends MemoryStorage {
  readonly pending: string[] = [];
  readonly #suffix: string;
  #gate: Promise<void> = new Promise(() => {});
  #open = () => {};

  constructor(suffix = '.sst') {
    super();
    this.#suffix = suffix;
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  release(): void {
    this.#open();
  }

  override async remove(name: string): Promise<void> {
    if (name.endsWith(this.#suffix)) {
      this.pending.push(name);
      await this.#gate;
    }
    return super.remove(name);
  }
}

/** Four overlapping L0 tables of 100 keys, compaction off; then switched on. */
async function fourTables(storage: MemoryStorage, options: LsmOptions = {}): Promise<LsmTree> {
  const db = await LsmTree.open(storage, { memtableBytes: 1 << 20, compaction: 'off', ...options });
  for (let round = 0; round < 4; round++) {
    for (let k = 0; k < 100; k++) await db.put(utf8(keyOf(k)), utf8(`v${round}`));
    await db.flush();
  }
  await db.setOptions({ compaction: 'leveled' });
  return db;
}

describe('Deleting files no committed state needs', () => {
  it('NobodyListening: the compaction does not wait for the deletions; close does', async () => {
    const storage = new SlowRemovals();
    const db = await fourTables(storage);
    const inputs = (await db.describe()).tables.map((t) => t.file);
    expect(await db.compact()).toBe(1);
    // Committed, and the inputs' deletions asked for, not done: the tree reads and writes on meanwhile.
    expect(storage.pending).toEqual(inputs);
    for (const file of inputs) expect(await storage.list()).toContain(file);
    const state = await db.describe();
    expect(state.tables.map((t) => t.file).some((f) => inputs.includes(f))).toBe(false);
    await db.put(utf8('after'), utf8('x'));
    expect(text(await db.get(utf8(keyOf(7))))).toBe('v3');
    // close() waits for them: a closed tree leaves only the files its manifest names.
    let closed = false;
    const closing = db.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    storage.release();
    await closing;
    const reopened = await LsmTree.open(storage);
    await expectOnlyLiveFiles(storage, await reopened.describe());
    expect(text(await reopened.get(utf8('after')))).toBe('x');
    await reopened.close();
  });

  it('Listened to: the compaction ends after its inputs are deleted, as the picture shows it', async () => {
    const storage = new SlowRemovals();
    const log = eventLog();
    const db = await fourTables(storage, { onEvent: log.record });
    let compacted = false;
    const compacting = db.compact().then(() => {
      compacted = true;
    });
    while (storage.pending.length < 4) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(compacted).toBe(false);
    expect(log.of('compaction.end')).toEqual([]);
    storage.release();
    await compacting;
    const types = log.events.map((e) => e.type);
    expect(log.of('sstable.remove').map((e) => e.file)).toEqual(storage.pending);
    expect(types.lastIndexOf('sstable.remove')).toBeLessThan(types.indexOf('compaction.end'));
    await db.close();
  });

  it('AFlushedWal, nobody listening: the flush does not wait for its deletion; close does', async () => {
    const storage = new SlowRemovals('.log');
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
    for (let k = 0; k < 50; k++) await db.put(utf8(keyOf(k)), utf8('v'));
    const wal = (await db.describe()).wal.file;
    await db.flush();
    expect(storage.pending).toEqual([wal]);
    expect(await storage.list()).toContain(wal);
    await db.put(utf8('after'), utf8('x'));
    const closing = db.close();
    storage.release();
    await closing;
    expect(await storage.list()).not.toContain(wal);
    const reopened = await LsmTree.open(storage);
    expect(text(await reopened.get(utf8(keyOf(3))))).toBe('v');
    expect(text(await reopened.get(utf8('after')))).toBe('x');
    await reopened.close();
  });

  it('AFlushCreatesItsWalAndItsTableTogether: both creations are asked for before either is answered', async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const storage = new (class extends MemoryStorage {
      override async open(name: string, options?: { create?: boolean }) {
        if (!options?.create) return super.open(name, options);
        asked.push(name);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return super.open(name, options);
      }
    })();
    const db = await LsmTree.open(storage, { memtableBytes: 1 << 20 });
    await db.put(utf8('k'), utf8('v'));
    asked.length = 0;
    most = 0;
    await db.flush();
    const state = await db.describe();
    expect(asked).toEqual([state.wal.file, state.tables[0]!.file]);
    expect(most).toBe(2);
    await db.close();
  });

  it('AFailedDeletion nobody waited for leaves the file for the next open to delete', async () => {
    const storage = new (class extends MemoryStorage {
      failing = true;
      override async remove(name: string): Promise<void> {
        if (this.failing && name.endsWith('.sst')) throw new Error('storage says no');
        return super.remove(name);
      }
    })();
    const db = await fourTables(storage);
    const inputs = (await db.describe()).tables.map((t) => t.file);
    // Nothing is thrown at anyone (and no rejection goes unhandled): the compaction itself succeeded.
    expect(await db.compact()).toBe(1);
    await db.close();
    for (const file of inputs) expect(await storage.list()).toContain(file);
    storage.failing = false;
    const reopened = await LsmTree.open(storage);
    await expectOnlyLiveFiles(storage, await reopened.describe());
    await reopened.close();
  });
});

describe('A damaged input', () => {
  it('CorruptInputBlock: the compaction fails naming the file and the block, and every input stays', async () => {
    // Three L0 tables of ~1 MiB: a compaction reads each in 256 KiB runs and checks a run's blocks as soon as it
    // is read. A byte flipped in the third run of the second table fails it there, with the block's bytes.
    const storage = new MemoryStorage();
    const settings = { memtableBytes: 1 << 20, compaction: 'off' } as const;
    let db = await LsmTree.open(storage, settings);
    const value = 'v'.repeat(1000);
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 1000; k++) await db.put(utf8(keyOf(k)), utf8(`${value}${round}`));
      await db.flush();
    }
    const tables = (await db.describe()).tables.map((t) => t.file);
    expect(tables).toHaveLength(3);
    await db.close();
    const victim = tables[1]!;
    const file = await storage.open(victim);
    const damageAt = 600_000;
    expect(file.getSize()).toBeGreaterThan(damageAt + 100_000);
    const byte = new Uint8Array(1);
    file.read(byte, { at: damageAt });
    byte[0]! ^= 0xff;
    file.write(byte, { at: damageAt });
    file.close();

    const log = eventLog();
    // Outputs of 256 KiB: some are written before the merge reaches the damaged block, and must go again.
    db = await LsmTree.open(storage, { ...settings, targetFileBytes: 256 << 10, onEvent: log.record });
    // Three L0 tables do not call for a compaction by score: compactRange merges them anyway.
    const error = await db.compactRange().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: victim });
    const [, from, to] = /checksum mismatch in bytes (\d+)–(\d+)/.exec((error as Error).message)!.map(Number);
    expect(from).toBeLessThanOrEqual(damageAt);
    expect(to).toBeGreaterThanOrEqual(damageAt);
    expect(error).toMatchObject({ offset: from });
    expect(log.of('corruption')).toEqual([expect.objectContaining({ file: victim, offset: from })]);
    // The compaction is told to have failed, where, and after the corruption (the picture stops its merge there);
    // the outputs written before it were deleted, each told as never committed.
    expect(log.of('compaction.end')).toEqual([]);
    expect(log.of('compaction.fail')).toEqual([
      expect.objectContaining({ inputs: tables, code: ErrorCode.Corruption, file: victim, offset: from }),
    ]);
    const written = log.of('sstable.write').map((e) => e.table.file);
    expect(written.length).toBeGreaterThan(0);
    expect(log.of('sstable.remove')).toEqual(
      written.map((file) => expect.objectContaining({ file, uncommitted: true })),
    );
    for (const file of written) expect(await storage.list()).not.toContain(file);
    const types = log.events.map((e) => e.type);
    expect(types.indexOf('corruption')).toBeGreaterThan(types.lastIndexOf('sstable.remove'));
    expect(types.indexOf('compaction.fail')).toBe(types.indexOf('corruption') + 1);
    // Nothing was committed: the three inputs are still the tree's, and the keys the others hold read back.
    expect((await db.describe()).tables.map((t) => t.file)).toEqual(tables);
    for (const table of tables) expect(await storage.list()).toContain(table);
    expect(text(await db.get(utf8(keyOf(0))))).toBe(`${value}2`);
    await db.close();
  });
});
