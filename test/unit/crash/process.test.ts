// Crash safety 2: the process dies after each file operation of a session on an existing database, a seeded
// workload with threshold and manual flushes, leveled compactions (L0 -> L1 -> L2) and clean reopens (one of
// whose recoveries rewrites the manifest): FaultyStorage.crashAfter(k) for every k, then a torn write (half
// written, then the process dies) to each WAL record, SSTable and manifest record in turn. After each crash a new
// "process" opens the raw MemoryStorage and must show: acknowledged writes lost 0 (each acknowledged key holds its
// acknowledged value or a later issued one), ghosts 0 (no value that was never written), holes 0 (the state after
// some prefix of the issued writes that covers every acknowledged one; point reads agree with the scan), failed
// opens 0. Then it writes once more and crashes again: that write and the state must survive too.
//
// The database the session starts from is built once, without faults, and copied for each crash point (its
// writes all acknowledged), so that the points are spent where the crashes are.
//
// Default: every operation of one session. Long run (the first 2,000 operations of three longer sessions):
//   LSM_CRASH_LONG=1 npx vitest run --project unit test/unit/crash
import { describe, expect, it } from 'vitest';
import { type EngineEvent, type LsmOptions, LsmTree, MemoryStorage } from '../../../engine';
import {
  CRASH_LONG,
  CrashFigures,
  type CrashWrite,
  checkRecovery,
  crashWorkload,
  figure,
  WriteOracle,
} from '../support/crash';
import { applyWrite, type CrashScenario, crashScenario, runUntilCrash, startScenario } from '../support/scenario';

// Static level targets (L0 -> L1 -> L2), and no manifest roll while running, so that a reopen's recovery is what
// rewrites the manifest here (range-roll.test.ts sweeps the roll).
const OPTIONS: LsmOptions = {
  memtableBytes: 160,
  l0Trigger: 2,
  blockSize: 128,
  compaction: 'leveled',
  dynamicLevelBytes: false,
  manifestRollBytes: 1 << 20,
};
/** Steps run once, without faults, to build the database each session starts from (about 60 manifest records). */
const SETUP_STEPS = 150;
/** The session the crashes hit: every operation of it (bounded), or its first 2,000 (long). */
const SESSION_STEPS = CRASH_LONG ? 420 : 110;
const REOPEN_EVERY = CRASH_LONG ? 70 : 45;
const SEEDS = CRASH_LONG ? [1, 2, 3] : [1];
const MAX_POINTS = 2000;

type Scenario = CrashScenario & { seed: number };

async function scenario(seed: number): Promise<Scenario> {
  const built = await crashScenario({
    options: OPTIONS,
    setup: crashWorkload(seed, SETUP_STEPS, { tag: 's', flushes: 0.03 }),
    session: crashWorkload(seed + 1000, SESSION_STEPS, { reopenEvery: REOPEN_EVERY, flushes: 0.03 }),
  });
  return { seed, ...built };
}

const start = startScenario;

/** What the uncrashed session does: its file operations, and the events that prove it covers the hard parts. */
async function dryRun(s: Scenario) {
  const { faulty, oracle } = await start(s);
  const counts = new Map<string, number>();
  let rewrites = 0;
  let deepest = 0;
  const onEvent = (e: EngineEvent) => {
    counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    if (e.type === 'recovery.delete' && e.file.startsWith('MANIFEST-')) rewrites++;
    if (e.type === 'compaction.end') deepest = Math.max(deepest, e.outputLevel);
  };
  expect(await runUntilCrash(faulty, s.session, { ...OPTIONS, onEvent }, oracle)).toEqual([]);
  const n = (type: string) => counts.get(type) ?? 0;
  return {
    operations: faulty.operations,
    appends: n('wal.append'),
    tables: n('sstable.write'),
    edits: n('manifest.edit'),
    flushes: n('flush.end'),
    compactions: n('compaction.end'),
    replayed: n('recovery.replay'),
    reopens: s.session.filter((step) => step.op === 'reopen').length,
    rewrites,
    deepest,
  };
}

describe('Process crash after every file operation', () => {
  it(
    'CrashAfterEveryOperation: lost 0, ghosts 0, holes 0, failed opens 0',
    async () => {
      const figures = new CrashFigures();
      const unexpected: unknown[] = [];
      const covered = { flushes: 0, compactions: 0, replayed: 0, reopens: 0, rewrites: 0, deepest: 0 };
      for (const seed of SEEDS) {
        const s = await scenario(seed);
        const dry = await dryRun(s);
        // The session must reach what the crash points are meant to cover: recovery with a WAL to replay,
        // threshold and manual flushes, compactions down to L2, a manifest rewrite at a reopen.
        expect(dry.replayed).toBeGreaterThan(0);
        expect(dry.flushes).toBeGreaterThan(10);
        expect(dry.compactions).toBeGreaterThan(10);
        expect(dry.deepest).toBeGreaterThanOrEqual(2);
        expect(dry.rewrites).toBeGreaterThan(0);
        for (const key of ['flushes', 'compactions', 'replayed', 'reopens', 'rewrites'] as const)
          covered[key] += dry[key];
        covered.deepest = Math.max(covered.deepest, dry.deepest);
        const points = Math.min(MAX_POINTS, dry.operations);
        for (let k = 0; k < points; k++) {
          const { memory, faulty, oracle } = await start(s);
          faulty.crashAfter(k);
          unexpected.push(...(await runUntilCrash(faulty, s.session, OPTIONS, oracle)));
          // The crash fired, exactly before operation k + 1.
          expect(faulty.dead, `seed ${seed}, crash after ${k}`).toBe(true);
          expect(faulty.operations).toBe(k);
          figures.record(
            `seed ${seed}, crash after operation ${k}`,
            await checkRecovery(memory, oracle, OPTIONS, true),
          );
        }
      }
      console.log(
        `process crash at ${figure(figures.points)} points (every file operation of ${SEEDS.length > 1 ? `${SEEDS.length} seeded sessions` : 'a seeded session'} of ${SESSION_STEPS} steps on a database of ${SETUP_STEPS}, up to ${figure(MAX_POINTS)} each: ${covered.replayed} WAL records replayed, ${covered.flushes} flushes, ${covered.compactions} compactions down to L${covered.deepest}, ${covered.reopens} reopens, ${covered.rewrites} manifest rewrite${covered.rewrites === 1 ? '' : 's'}): ${figures.summary()}`,
      );
      expect(unexpected).toEqual([]);
      expect(figures.failures).toEqual([]);
      expect(figures.clean).toBe(true);
    },
    CRASH_LONG ? 1_800_000 : 60_000,
  );

  const tears = [
    { name: 'TornWalRecord', what: 'WAL record', event: 'wal.append', count: 'appends' },
    { name: 'TornSstable', what: 'SSTable', event: 'sstable.write', count: 'tables' },
    { name: 'TornManifestRecord', what: 'manifest record', event: 'manifest.edit', count: 'edits' },
  ] as const;
  for (const { name, what, event, count } of tears) {
    it(
      `${name}: each ${what} of the session in turn is half written, then the process dies`,
      async () => {
        const figures = new CrashFigures();
        const unexpected: unknown[] = [];
        let torn = 0;
        for (const seed of SEEDS) {
          const s = await scenario(seed);
          const dry = await dryRun(s);
          expect(dry[count]).toBeGreaterThan(20);
          for (let j = 0; j < dry[count]; j++) {
            const { memory, faulty, oracle } = await start(s);
            // Armed after the j-th such write, so the (j + 1)-th is torn. WALs and SSTables are matched by their
            // suffix, a manifest by its name (from the last edit's event, or the one the base database has).
            const arm = (file: string) =>
              faulty.tearNextWrite(event === 'wal.append' ? '.log' : event === 'sstable.write' ? '.sst' : file);
            if (j === 0) arm((await memory.list()).find((f) => f.startsWith('MANIFEST-'))!);
            let seen = 0;
            const onEvent = (e: EngineEvent) => {
              if (e.type === event && ++seen === j) arm(e.type === 'manifest.edit' ? e.file : '');
            };
            unexpected.push(...(await runUntilCrash(faulty, s.session, { ...OPTIONS, onEvent }, oracle)));
            const tornHere = faulty.dead;
            if (tornHere) torn++;
            faulty.die();
            const where = `seed ${seed}, ${what} ${j + 1} torn${tornHere ? '' : ' (none came)'}`;
            figures.record(where, await checkRecovery(memory, oracle, OPTIONS, true));
            // A WAL record or an SSTable always comes (the session writes more); a manifest record may not, when
            // a reopen moved to a new manifest first.
            if (event !== 'manifest.edit') expect(tornHere, where).toBe(true);
          }
        }
        console.log(
          `process crash with a torn ${what} at ${figure(torn)} points (every ${what} of the session): ${figures.summary()}`,
        );
        expect(torn).toBeGreaterThan(20);
        expect(unexpected).toEqual([]);
        expect(figures.failures).toEqual([]);
        expect(figures.clean).toBe(true);
      },
      CRASH_LONG ? 600_000 : 30_000,
    );
  }
});

describe('The crash oracle itself', () => {
  const put = (key: string, value: string): CrashWrite => ({ op: 'put', key, value });
  const del = (key: string): CrashWrite => ({ op: 'delete', key });
  function oracleOf(writes: CrashWrite[], acked: number) {
    const oracle = new WriteOracle();
    for (const [i, w] of writes.entries()) {
      const index = oracle.issue(w);
      if (i < acked) oracle.ack(index);
    }
    return oracle;
  }
  const state = (pairs: Record<string, string>) => new Map<string, string>(Object.entries(pairs));

  it('AcceptsEveryPrefixThatCoversTheAcknowledgedWrites, and nothing else', () => {
    // Acknowledged: a=1, b=2, delete a. In flight: c=3, b=4.
    const oracle = oracleOf([put('a', '1'), put('b', '2'), del('a'), put('c', '3'), put('b', '4')], 3);
    for (const ok of [{ b: '2' }, { b: '2', c: '3' }, { b: '4', c: '3' }] as Array<Record<string, string>>) {
      expect(oracle.check(state(ok))).toMatchObject({ lost: 0, ghosts: 0, hole: false });
    }
    // The delete lost (a is back), b lost, a value nobody wrote, b=4 without c=3 before it.
    expect(oracle.check(state({ a: '1', b: '2' }))).toMatchObject({ lost: 1, ghosts: 0, hole: true });
    expect(oracle.check(state({}))).toMatchObject({ lost: 1, ghosts: 0, hole: true });
    expect(oracle.check(state({ b: '2', d: '3' }))).toMatchObject({ lost: 0, ghosts: 1, hole: true });
    expect(oracle.check(state({ b: 'x' }))).toMatchObject({ lost: 1, ghosts: 1, hole: true });
    expect(oracle.check(state({ b: '4' }))).toMatchObject({ lost: 0, ghosts: 0, hole: true });
  });

  it('CatchesALostWalEndToEnd: the checker sees acknowledged writes that a damaged database lost', async () => {
    const memory = new MemoryStorage();
    const db = await LsmTree.open(memory, OPTIONS);
    const oracle = new WriteOracle();
    for (const w of crashWorkload(7, 30, { tag: 'x', flushes: 0 })) {
      if (w.op !== 'put' && w.op !== 'delete') continue;
      const index = oracle.issue(w);
      await applyWrite(db, w);
      oracle.ack(index);
    }
    const { wal } = await db.describe();
    memory.crash();
    await memory.remove(wal.file);
    const figures = new CrashFigures();
    figures.record('WAL removed', await checkRecovery(memory, oracle, OPTIONS));
    expect(figures.lost).toBeGreaterThan(0);
    expect(figures.clean).toBe(false);
  });
});
