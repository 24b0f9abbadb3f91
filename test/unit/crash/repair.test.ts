// Crash safety of repair: the process dies after each file operation of LsmTree.repair (FaultyStorage.crashAfter(k)
// for every k: reading the tables, turning the WALs into tables, setting files aside, the new manifest, the
// removals, the merge of tables that interleave, and the opening). The database repaired lost its manifest, so it will
// not open as it is. After each crash a new "process" opens the raw MemoryStorage, or, where that fails, repairs
// it again, and must show: acknowledged writes lost 0, ghosts 0, holes 0 (the oracle of the other crash files),
// failed recoveries 0. Then it writes once more, and a reopen must keep that write and the state.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, type MemoryStorage, utf8 } from '../../../engine';
import { sstableName } from '../../../engine/filenames';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { CrashFigures, crashWorkload, figure, isCrash, readState } from '../support/crash';
import { crashScenario, startScenario } from '../support/scenario';
import { writeFile } from '../support/storage';

const OPTIONS: LsmOptions = {
  memtableBytes: 160,
  l0Trigger: 2,
  blockSize: 128,
  compaction: 'leveled',
  dynamicLevelBytes: false,
};

/** Opens what the crash left, or repairs it when it will not open; then the oracle's verdict. */
async function recoverAndCheck(memory: MemoryStorage, oracle: Awaited<ReturnType<typeof startScenario>>['oracle']) {
  let db: LsmTree;
  let how = 'open';
  try {
    db = await LsmTree.open(memory, OPTIONS);
  } catch {
    memory.crash();
    how = 'repair';
    try {
      db = await LsmTree.repair(memory, OPTIONS);
    } catch (error) {
      return { how, verdict: { failedOpen: error } };
    }
  }
  const keys = oracle.keys();
  const { state, disagreements } = await readState(db, keys);
  const verdict = oracle.check(state);
  if (disagreements > 0) {
    verdict.hole = true;
    verdict.detail += `; ${disagreements} point reads disagree with the scan`;
  }
  await db.put(utf8('after-repair'), utf8('written after'));
  memory.crash();
  const again = await LsmTree.open(memory, OPTIONS);
  const after = await readState(again, [...keys, 'after-repair']);
  if (after.state.get('after-repair') !== 'written after') {
    verdict.lost++;
    verdict.detail += '; the write after recovery was lost';
  }
  after.state.delete('after-repair');
  if (after.state.size !== state.size || [...after.state].some(([k, v]) => state.get(k) !== v)) {
    verdict.hole = true;
    verdict.detail += '; the reopen changed the state';
  }
  memory.crash();
  return { how, verdict };
}

describe('Process crash during repair', () => {
  it('CrashAfterEveryRepairOperation: lost 0, ghosts 0, holes 0, failed recoveries 0', async () => {
    const s = await crashScenario({
      options: OPTIONS,
      setup: crashWorkload(21, 150, { tag: 's', flushes: 0.03 }),
      session: [],
    });
    // The manifest is gone: open refuses ("data files exist but no manifest"), repair must rebuild it.
    for (const name of await s.base.list()) if (name.startsWith('MANIFEST-')) await s.base.remove(name);
    // And a flush that crashed mid-table left half an SSTable (its writes are in the WAL): repair sets it aside.
    const names = await s.base.list();
    const table = names.filter((n) => n.endsWith('.sst')).at(-1)!;
    const highest = Math.max(...names.map((n) => Number(/\d+/.exec(n)![0])));
    const half = s.base.snapshot(table);
    await writeFile(s.base, sstableName(highest + 1), half.subarray(0, half.length >> 1));

    // The dry run: how many file operations one repair makes, and that it covers the hard parts.
    const dry = await startScenario(s);
    const events = new Map<string, number>();
    const db = await LsmTree.repair(dry.faulty, {
      ...OPTIONS,
      onEvent: (e) => events.set(e.type, (events.get(e.type) ?? 0) + 1),
    });
    expect(db.repairReport!.merged).toBe(true);
    expect(db.repairReport!.walRecordsRecovered).toBeGreaterThan(0);
    expect(db.repairReport!.tablesLost.map((t) => t.file)).toEqual([sstableName(highest + 1)]);
    await db.close();
    const operations = dry.faulty.operations;
    expect(events.get('repair.set-aside')).toBeGreaterThan(0);
    expect(events.get('repair.merge')).toBe(1);

    const figures = new CrashFigures();
    const recoveredBy = new Map<string, number>();
    const unexpected: unknown[] = [];
    for (let k = 0; k < operations; k++) {
      const { memory, oracle } = await startScenario(s);
      const faulty = new FaultyStorage(memory);
      faulty.crashAfter(k);
      try {
        await LsmTree.repair(faulty, OPTIONS);
        unexpected.push(`crash after ${k}: repair finished`);
      } catch (error) {
        if (!isCrash(error)) unexpected.push(error);
      }
      expect(faulty.dead, `crash after ${k}`).toBe(true);
      faulty.die();
      const { how, verdict } = await recoverAndCheck(memory, oracle);
      recoveredBy.set(how, (recoveredBy.get(how) ?? 0) + 1);
      figures.record(`crash after repair operation ${k} (then ${how})`, verdict);
    }
    console.log(
      `process crash during repair at ${figure(figures.points)} points (every file operation of a repair of ${operations}): recovered by open ${recoveredBy.get('open') ?? 0}, by repair ${recoveredBy.get('repair') ?? 0}: ${figures.summary()}`,
    );
    expect(unexpected).toEqual([]);
    expect(figures.failures).toEqual([]);
    expect(figures.clean).toBe(true);
    // Both ways back are exercised: before the new manifest commits, repair again; after, a plain open.
    expect(recoveredBy.get('open')).toBeGreaterThan(0);
    expect(recoveredBy.get('repair')).toBeGreaterThan(0);
  }, 120_000);
});
