// The whole engine against a Map: random puts, gets, deletes, range scans, flushes, compactions, range
// compactions, snapshots, clean reopens and crashes, under random settings (memtable and block sizes, bloom on or
// off, compression, compaction strategy, static or dynamic level targets). Every op is awaited, so every write is
// acknowledged and must survive a crash. A snapshot is checked against a frozen copy of the Map taken with it:
// its view (gets and scans) must never change while writes, flushes, compactions and range compactions go on.
//
// Runs: LSM_PROPERTY_RUNS (default 200). Seed: LSM_PROPERTY_SEED (default: a fresh one, printed at the start).
// A failure prints its seed and path; replay it with LSM_PROPERTY_SEED=<seed> LSM_PROPERTY_PATH=<path>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, type Snapshot, WriteBatch } from '../../../engine';
import type { TreeSettings } from '../../../engine/tree';
import { byteOrder, expectOnlyLiveFiles, expectSortedDisjointLevels, scanAll } from '../support/tree';

const RUNS = Number(process.env.LSM_PROPERTY_RUNS ?? 200);
const SEED = process.env.LSM_PROPERTY_SEED ? Number(process.env.LSM_PROPERTY_SEED) : (Date.now() ^ 0x5eed) >>> 0;
const PATH = process.env.LSM_PROPERTY_PATH;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Keys of 1 to 3 bytes from an alphabet with both ends of the byte range, so that memcmp order matters. */
const key = fc
  .array(fc.constantFrom(0x00, 0x01, 0x61, 0x62, 0x7f, 0x80, 0xfe, 0xff), { minLength: 1, maxLength: 3 })
  .map((bytes) => Uint8Array.from(bytes));
/** Random bytes, or a run of one byte that deflate squeezes; sometimes empty (a real value, not a delete). */
const value = fc.oneof(
  fc.uint8Array({ maxLength: 24 }),
  fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 120 })).map(([byte, length]) => new Uint8Array(length).fill(byte)),
);

/** Small memtables are drawn more often: they make the flushes and compactions worth testing. */
const memtableBytes = fc.oneof(fc.integer({ min: 64, max: 256 }), fc.integer({ min: 64, max: 2048 }));

const settings = fc.record({
  memtableBytes,
  blockSize: fc.integer({ min: 32, max: 512 }),
  bloomBitsPerKey: fc.constantFrom(0, 10),
  compression: fc.constantFrom('none' as const, 'deflate' as const),
  compaction: fc.constantFrom('off' as const, 'leveled' as const, 'tiered' as const),
  l0Trigger: fc.integer({ min: 2, max: 4 }),
  tieredMinRuns: fc.integer({ min: 2, max: 4 }),
  // Off, a few blocks (every get evicts, and block buffers are recycled), or the default (nothing evicted).
  blockCacheBytes: fc.constantFrom(0, 3 * 1024, 32 * 1024 * 1024),
  dynamicLevelBytes: fc.boolean(),
});

type Op =
  | { op: 'put'; key: Uint8Array; value: Uint8Array }
  | { op: 'delete'; key: Uint8Array }
  | { op: 'batch'; writes: Array<{ key: Uint8Array; value: Uint8Array | null }> }
  | { op: 'get'; key: Uint8Array }
  | { op: 'scan'; start: Uint8Array | undefined; end: Uint8Array | undefined }
  | { op: 'flush' }
  | { op: 'compact' }
  | { op: 'compactRange'; start: Uint8Array | undefined; end: Uint8Array | undefined }
  | { op: 'snapshot' }
  /** Of the live snapshots, the one at `pick` modulo their count. */
  | { op: 'release'; pick: number }
  | { op: 'readSnapshot'; pick: number; key: Uint8Array; start: Uint8Array | undefined; end: Uint8Array | undefined }
  | { op: 'reopen' }
  | { op: 'crash' }
  | { op: 'setOptions'; changes: Partial<TreeSettings> };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('put' as const), key, value }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('batch' as const),
      // null: a delete. Keys may repeat inside a batch: the later write wins, as if written one by one.
      writes: fc.array(fc.record({ key, value: fc.option(value, { freq: 4 }) }), { minLength: 1, maxLength: 8 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('scan' as const),
      start: fc.option(key, { nil: undefined }),
      end: fc.option(key, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'compact' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('compactRange' as const),
      start: fc.option(key, { nil: undefined }),
      end: fc.option(key, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'snapshot' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat(7) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('readSnapshot' as const),
      pick: fc.nat(7),
      key,
      start: fc.option(key, { nil: undefined }),
      end: fc.option(key, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crash' as const }) },
  {
    // Settings that change only how new SSTables are written: the strategy stays as chosen for the run.
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('setOptions' as const),
      changes: fc.record(
        {
          memtableBytes,
          blockSize: fc.integer({ min: 32, max: 512 }),
          bloomBitsPerKey: fc.constantFrom(0, 10),
          compression: fc.constantFrom('none' as const, 'deflate' as const),
        },
        { requiredKeys: [] },
      ),
    }),
  },
);

/** The model's pairs with start <= key < end, in memcmp order (Node's Buffer.compare, not the engine's). */
function expectedRange(model: Map<string, Uint8Array>, start?: Uint8Array, end?: Uint8Array) {
  return [...model.entries()]
    .map(([k, v]) => [Buffer.from(k, 'hex'), v] as const)
    .filter(([k]) => (!start || byteOrder(k, start) >= 0) && (!end || byteOrder(k, end) < 0))
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([k, v]) => [hex(k), hex(v)]);
}

async function scanned(db: LsmTree, start?: Uint8Array, end?: Uint8Array, snapshot?: Snapshot) {
  const range: { start?: Uint8Array; end?: Uint8Array; snapshot?: Snapshot } = {};
  if (start) range.start = start;
  if (end) range.end = end;
  if (snapshot) range.snapshot = snapshot;
  return (await scanAll(db, range)).map(([k, v]) => [hex(k), hex(v)]);
}

/** What the runs exercised, so that a green run can show it tested something. */
const coverage = {
  runs: 0,
  flushes: 0,
  compactions: 0,
  runsWithCompactions: 0,
  runsReachingL2: 0,
  crashes: 0,
  snapshotReads: 0,
  keptForSnapshots: 0,
};

async function run(chosen: LsmOptions, ops: Op[]): Promise<void> {
  let compactions = 0;
  let deepest = 0;
  const options: LsmOptions = {
    ...chosen,
    onEvent: (event) => {
      if (event.type === 'flush.end') coverage.flushes++;
      if (event.type === 'snapshot.kept') coverage.keptForSnapshots += event.versions;
      if (event.type === 'compaction.end') {
        compactions++;
        deepest = Math.max(deepest, event.outputLevel);
      }
    },
  };
  coverage.runs++;
  coverage.crashes += ops.filter((o) => o.op === 'crash').length;
  const storage = new MemoryStorage();
  let db = await LsmTree.open(storage, options);
  const model = new Map<string, Uint8Array>();
  /** Live snapshots, each with the Map as it was when it was taken. */
  let snapshots: Array<{ snapshot: Snapshot; model: Map<string, Uint8Array> }> = [];
  const checkSnapshot = async (
    s: (typeof snapshots)[number],
    key: Uint8Array,
    start?: Uint8Array,
    end?: Uint8Array,
  ) => {
    coverage.snapshotReads++;
    expect(await db.get(key, { snapshot: s.snapshot }), `get ${hex(key)} at ${s.snapshot.seq}`).toEqual(
      s.model.get(hex(key)),
    );
    expect(await scanned(db, start, end, s.snapshot)).toEqual(expectedRange(s.model, start, end));
  };
  for (const o of ops) {
    switch (o.op) {
      case 'put':
        await db.put(o.key, o.value);
        model.set(hex(o.key), o.value);
        break;
      case 'delete':
        await db.delete(o.key);
        model.delete(hex(o.key));
        break;
      case 'batch': {
        const batch = new WriteBatch();
        for (const w of o.writes) {
          if (w.value) batch.put(w.key, w.value);
          else batch.delete(w.key);
        }
        await db.write(batch);
        for (const w of o.writes) {
          if (w.value) model.set(hex(w.key), w.value);
          else model.delete(hex(w.key));
        }
        break;
      }
      case 'get':
        expect(await db.get(o.key), `get ${hex(o.key)}`).toEqual(model.get(hex(o.key)));
        break;
      case 'scan':
        expect(await scanned(db, o.start, o.end)).toEqual(expectedRange(model, o.start, o.end));
        break;
      case 'flush':
        await db.flush();
        expect((await db.describe()).memtable).toEqual([]);
        break;
      case 'compact':
        await db.compact();
        break;
      case 'compactRange':
        await db.compactRange({ ...(o.start ? { start: o.start } : {}), ...(o.end ? { end: o.end } : {}) });
        break;
      case 'snapshot':
        snapshots.push({ snapshot: await db.snapshot(), model: new Map(model) });
        break;
      case 'release': {
        if (snapshots.length === 0) break;
        const [released] = snapshots.splice(o.pick % snapshots.length, 1);
        released!.snapshot.release();
        break;
      }
      case 'readSnapshot':
        if (snapshots.length > 0) await checkSnapshot(snapshots[o.pick % snapshots.length]!, o.key, o.start, o.end);
        break;
      case 'reopen':
        await db.close();
        db = await LsmTree.open(storage, options);
        snapshots = []; // snapshots live in memory: they end with the database object
        break;
      case 'crash':
        storage.crash();
        db = await LsmTree.open(storage, options);
        snapshots = [];
        break;
      case 'setOptions':
        await db.setOptions(o.changes);
        break;
    }
  }
  // At the end: every live snapshot's whole view, then everything, by scan and by point read, and the shape of the
  // tree on storage.
  for (const s of snapshots) {
    expect(await scanned(db, undefined, undefined, s.snapshot)).toEqual(expectedRange(s.model));
    for (const [k, v] of s.model) expect(await db.get(Buffer.from(k, 'hex'), { snapshot: s.snapshot })).toEqual(v);
  }
  expect(await scanned(db)).toEqual(expectedRange(model));
  for (const [k, v] of model) expect(await db.get(Buffer.from(k, 'hex')), `get ${k}`).toEqual(v);
  for (const o of ops) if (o.op === 'delete' && !model.has(hex(o.key))) expect(await db.get(o.key)).toBeUndefined();
  for (const o of ops) {
    if (o.op !== 'batch') continue;
    for (const w of o.writes) if (!model.has(hex(w.key))) expect(await db.get(w.key)).toBeUndefined();
  }
  const state = await db.describe();
  expectSortedDisjointLevels(state.tables);
  if (options.compaction === 'tiered' && !ops.some((o) => o.op === 'compactRange')) {
    expect(state.tables.every((t) => t.level === 0)).toBe(true);
  }
  await expectOnlyLiveFiles(storage, state);
  // And once more after a crash, from the files alone.
  storage.crash();
  const recovered = await LsmTree.open(storage, options);
  expect(await scanned(recovered)).toEqual(expectedRange(model));
  coverage.compactions += compactions;
  if (compactions > 0) coverage.runsWithCompactions++;
  if (deepest >= 2) coverage.runsReachingL2++;
}

describe('The engine matches a Map model', () => {
  it(
    'RandomOpsUnderRandomSettings: put, get, delete, write batches, scan, flush, compact, reopen, crash',
    async () => {
      console.log(
        `model test: seed ${SEED}, ${RUNS} runs${PATH ? `, path ${PATH}` : ''} (replay: LSM_PROPERTY_SEED=${SEED})`,
      );
      await fc.assert(
        fc.asyncProperty(settings, fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), async (chosen, ops) =>
          run(chosen, ops),
        ),
        { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}) },
      );
      console.log(
        `model test covered: ${coverage.runs} runs, ${coverage.flushes} flushes, ${coverage.compactions} compactions (in ${coverage.runsWithCompactions} runs, ${coverage.runsReachingL2} reaching L2), ${coverage.crashes} crashes, ${coverage.snapshotReads} snapshot reads, ${coverage.keptForSnapshots} versions kept for snapshots`,
      );
      if (RUNS >= 100 && !PATH) {
        expect(coverage.runsWithCompactions).toBeGreaterThan(RUNS / 5);
        expect(coverage.runsReachingL2).toBeGreaterThan(RUNS / 50);
        expect(coverage.crashes).toBeGreaterThan(RUNS);
      }
    },
    Math.max(60_000, RUNS * 1_000),
  );
});
