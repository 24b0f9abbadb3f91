// Crash safety with a TTL filter set: every flush's manifest record then carries its writes' times (write-times.ts),
// and every new manifest's snapshot the whole map. A seeded session with a tiny roll threshold is cut by a process
// crash after every file operation in turn, and by a power loss at every file operation in turn; after each, the
// raw storage must open with acknowledged writes lost 0, ghosts 0, holes 0, failed opens 0. The TTL is far longer
// than the session (nothing expires, so the oracle's expectations stand), and the map must read back whole.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { CrashFigures, checkRecovery, crashWorkload, figure, WriteOracle } from '../support/crash';
import { runUntilCrash } from '../support/scenario';
import { copyStorage } from '../support/storage';

const OPTIONS: LsmOptions = {
  memtableBytes: 160,
  l0Trigger: 2,
  blockSize: 128,
  manifestRollBytes: 256,
  filterTtlMs: 1_000_000_000,
};

/**
 * A clock that moves one millisecond every fourth reading, from `start`: the manifest's records, and so its rolls
 * and every session's file operations, are the same on any machine. On the real clock they were not: writes that
 * fell in one millisecond share a (sequence, time) pair, so a slower machine wrote more pairs, a larger snapshot
 * record, and rolled the manifest less often (2 rolls on a busy CI machine, 3 on a quiet one).
 */
function ticking(start: number): () => number {
  let readings = 0;
  return () => start + (readings++ >> 2);
}

describe('Crashes with write times in the manifest', () => {
  it('WriteTimesCrashAndPowerLossAtEveryOperation: lost 0, ghosts 0, holes 0, failed opens 0', async () => {
    const session = crashWorkload(7, 70, { flushes: 0.05 });
    // Near the real time, so that a recovery on the real clock (checkRecovery) expires nothing.
    const start = Date.now();
    const base = new MemoryStorage();
    const events = new Map<string, number>();
    const onEvent = (e: { type: string }) => events.set(e.type, (events.get(e.type) ?? 0) + 1);
    const dryMemory = await copyStorage(base);
    const dry = new FaultyStorage(dryMemory);
    expect(
      await runUntilCrash(dry, session, { ...OPTIONS, onEvent, clock: ticking(start) }, new WriteOracle()),
    ).toEqual([]);
    // After the whole session, the map reads back from the manifest: a clock past the TTL expires the flushed values.
    const later = () => Date.now() + 2 * OPTIONS.filterTtlMs!;
    const reopened = await LsmTree.open(await copyStorage(dryMemory), { ...OPTIONS, clock: later });
    expect((await reopened.compactRange()).entriesFiltered).toBeGreaterThan(0);
    await reopened.close();

    const figures = new CrashFigures();
    const unexpected: unknown[] = [];
    for (const power of [false, true]) {
      for (let k = 0; k < dry.operations; k++) {
        const memory = await copyStorage(base);
        const faulty = new FaultyStorage(memory);
        if (power) faulty.powerLossSeed = k;
        const oracle = new WriteOracle();
        faulty.crashAfter(k);
        unexpected.push(...(await runUntilCrash(faulty, session, { ...OPTIONS, clock: ticking(start) }, oracle)));
        figures.record(
          `${power ? 'power loss' : 'crash'} at operation ${k}`,
          await checkRecovery(memory, oracle, OPTIONS, true),
        );
      }
    }
    expect(events.get('manifest.roll') ?? 0).toBeGreaterThan(2);
    console.log(
      `write times: ${events.get('manifest.roll')} manifest rolls; crash and power loss at each of ${figure(dry.operations)} operations: ${figures.summary()}`,
    );
    expect(unexpected).toEqual([]);
    expect(figures.failures).toEqual([]);
    expect(figures.clean).toBe(true);
  }, 120_000);
});
