// A transaction's commit is all or nothing across a crash at any point: the process dies (or the power fails) just
// before each storage operation the commit makes in turn (FaultyStorage.crashAfter, as the crash sweeps in
// test/unit/crash/ use it): the commit's WAL append, its flush, and the flush and compaction its write sets off;
// and its WAL record torn in mid-write.
// After each crash a new process opens the raw storage: the transaction's writes are all there or none is, an
// acknowledged commit is all there, and every write acknowledged before it is there.
import { describe, expect, it } from 'vitest';
import { type EngineEvent, LsmError, type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { text } from '../support/tree';

const OPTIONS: LsmOptions = { memtableBytes: 256, l0Trigger: 2, blockSize: 128, compaction: 'leveled' };
const BEFORE = 24;
/** The transaction's writes: new values for old keys, a new key, and a delete. */
const WRITES: Array<[string, string | null]> = [
  ['k03', 'txn-3'],
  ['k07', 'txn-7'],
  ['k11', null],
  ['k15', 'txn-15'],
  ['new', 'txn-new'],
];

const old = (i: number) => `v${i}-${'x'.repeat(12)}`;
const key = (i: number) => `k${String(i).padStart(2, '0')}`;

/** Opens a database, writes the earlier keys, and commits one transaction with `crashAt` armed (undefined: none). */
async function session(crashAt: number | 'tear' | undefined, powerLossSeed: number | undefined) {
  const memory = new MemoryStorage();
  const faulty = new FaultyStorage(memory);
  const events: EngineEvent[] = [];
  const db = await LsmTree.open(faulty, { ...OPTIONS, onEvent: (e) => events.push(e) });
  for (let i = 0; i < BEFORE; i++) await db.put(utf8(key(i)), utf8(old(i)));
  // Filled to just below its limit, so that the commit's record fills the memtable: a flush follows inside it.
  for (let i = 0; (await db.peekMemtable(0)).bytes < OPTIONS.memtableBytes! - 80; i++) {
    await db.put(utf8(`f${i}`), utf8('fill'));
  }
  const tx = await db.transaction();
  for (const [k] of WRITES) await tx.get(utf8(k));
  for (const [k, v] of WRITES) {
    if (v === null) tx.delete(utf8(k));
    else tx.put(utf8(k), utf8(v));
  }
  const before = faulty.operations;
  events.length = 0;
  if (crashAt === 'tear') faulty.tearNextWrite('.log');
  else if (crashAt !== undefined) {
    faulty.powerLossSeed = powerLossSeed;
    faulty.crashAfter(before + crashAt);
  }
  const outcome = await tx.commit().then(
    () => 'acknowledged' as const,
    (error: unknown) => error,
  );
  const operations = faulty.operations - before;
  if (!faulty.dead) faulty.die();
  return { memory, outcome, operations, events };
}

/** What a new process finds: the transaction's keys, 'all' of its writes or 'none'. Fails on anything in between. */
async function recovered(memory: MemoryStorage): Promise<'all' | 'none' | string> {
  const db = await LsmTree.open(memory, OPTIONS);
  for (let i = 0; i < BEFORE; i++) {
    if (WRITES.some(([k]) => k === key(i))) continue;
    const value = text(await db.get(utf8(key(i))));
    if (value !== old(i)) return `${key(i)} lost: ${value}`;
  }
  const found: Array<string | undefined> = [];
  for (const [k] of WRITES) found.push(text(await db.get(utf8(k))));
  await db.close();
  const all = WRITES.every(([, v], i) => found[i] === (v ?? undefined));
  const none = WRITES.every(([k], i) => {
    const n = Number(k.slice(1));
    return found[i] === (k === 'new' ? undefined : old(n));
  });
  if (all) return 'all';
  if (none) return 'none';
  return `a mix: ${JSON.stringify(found)}`;
}

describe('transaction commit across crashes', () => {
  it('AllOrNothing: a crash before each storage operation of a commit (and its flush) leaves all of it or none', async () => {
    const dry = await session(undefined, undefined);
    expect(dry.outcome).toBe('acknowledged');
    // The commit is one WAL record, and its write fills the memtable: a flush (and a compaction) follow inside it.
    expect(dry.events.filter((e) => e.type === 'wal.batch')).toHaveLength(1);
    expect(dry.events.some((e) => e.type === 'flush.end')).toBe(true);
    expect(dry.operations).toBeGreaterThan(5);
    const tally = { points: 0, all: 0, none: 0, acknowledgedButNone: 0, mixed: [] as string[] };
    for (const powerLoss of [undefined, 7]) {
      for (let k = 0; k <= dry.operations; k++) {
        const run = await session(k, powerLoss === undefined ? undefined : powerLoss + k);
        tally.points++;
        if (run.outcome !== 'acknowledged') expect(run.outcome, `crash after ${k}`).toBeInstanceOf(LsmError);
        const found = await recovered(run.memory);
        if (found === 'all') tally.all++;
        else if (found === 'none') {
          tally.none++;
          if (run.outcome === 'acknowledged') tally.acknowledgedButNone++;
        } else tally.mixed.push(`${powerLoss ? 'power loss' : 'crash'} after ${k}: ${found}`);
      }
    }
    // The commit's WAL record torn in mid-write: recovery cuts it off, and none of it is there.
    const torn = await session('tear', undefined);
    expect(torn.outcome).toBeInstanceOf(LsmError);
    expect(await recovered(torn.memory)).toBe('none');
    console.log(
      `txn commit crash sweep: ${tally.points} points (${dry.operations} operations per commit, process crash and ` +
        `power loss): all ${tally.all}, none ${tally.none}, mixed ${tally.mixed.length}, acknowledged-but-lost ${tally.acknowledgedButNone}`,
    );
    expect(tally.mixed).toEqual([]);
    expect(tally.acknowledgedButNone).toBe(0);
    // Both outcomes happen: crashes before the WAL flush lose it, crashes after keep it.
    expect(tally.all).toBeGreaterThan(0);
    expect(tally.none).toBeGreaterThan(0);
  });
});
