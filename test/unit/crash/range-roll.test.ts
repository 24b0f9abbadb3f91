// Crash safety 5: compactRange, and the manifest rolled over while the database runs (a new manifest holding one
// snapshot record, then the old one deleted). Seeded sessions (one with a tiny roll threshold, so that it rolls
// many times; one that calls compactRange on changing ranges every few writes) are cut by a process crash after
// every file operation in turn, and by a power loss (every unflushed write kept, dropped, torn or garbled, seeded)
// at every file operation in turn. After each, the raw storage must open with acknowledged writes lost 0, ghosts
// 0, holes 0, failed opens 0.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, type StorageFile, utf8 } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { FileWrapper, StorageWrapper } from '../../../engine/storage/wrapper';
import { CrashFigures, type CrashStep, checkRecovery, crashWorkload, figure, WriteOracle } from '../support/crash';
import { runUntilCrash } from '../support/scenario';
import { copyStorage } from '../support/storage';
import { text } from '../support/tree';

const OPTIONS: LsmOptions = {
  memtableBytes: 160,
  l0Trigger: 2,
  blockSize: 128,
  manifestRollBytes: 256,
};

const runSteps = runUntilCrash;

/** Every file operation of a session, crashed after, then cut by a power loss at; returns the figures. */
async function sweep(
  session: readonly CrashStep[],
  options: LsmOptions,
  extra?: (db: LsmTree, step: number) => Promise<unknown>,
): Promise<{ figures: CrashFigures; unexpected: unknown[]; operations: number; events: Map<string, number> }> {
  const base = new MemoryStorage();
  const events = new Map<string, number>();
  const dry = new FaultyStorage(await copyStorage(base));
  const onEvent = (e: { type: string }) => events.set(e.type, (events.get(e.type) ?? 0) + 1);
  expect(await runSteps(dry, session, { ...options, onEvent }, new WriteOracle(), extra)).toEqual([]);
  const operations = dry.operations;
  const figures = new CrashFigures();
  const unexpected: unknown[] = [];
  for (const power of [false, true]) {
    for (let k = 0; k < operations; k++) {
      const memory = await copyStorage(base);
      const faulty = new FaultyStorage(memory);
      if (power) faulty.powerLossSeed = k;
      const oracle = new WriteOracle();
      faulty.crashAfter(k);
      unexpected.push(...(await runSteps(faulty, session, options, oracle, extra)));
      expect(faulty.dead).toBe(true);
      figures.record(
        `${power ? 'power loss' : 'crash'} at operation ${k}`,
        await checkRecovery(memory, oracle, options, true),
      );
    }
  }
  return { figures, unexpected, operations, events };
}

describe('Crashes while the manifest rolls over, and during compactRange', () => {
  it('RollCrashAndPowerLossAtEveryOperation: lost 0, ghosts 0, holes 0, failed opens 0', async () => {
    const { figures, unexpected, operations, events } = await sweep(crashWorkload(5, 90, { flushes: 0.05 }), OPTIONS);
    const rolls = events.get('manifest.roll') ?? 0;
    expect(rolls).toBeGreaterThan(5);
    console.log(
      `manifest roll: ${rolls} rolls in the session; process crash and power loss at each of ${figure(operations)} operations: ${figures.summary()}`,
    );
    expect(unexpected).toEqual([]);
    expect(figures.failures).toEqual([]);
    expect(figures.clean).toBe(true);
  }, 120_000);

  it('CompactRangeCrashAndPowerLossAtEveryOperation: lost 0, ghosts 0, holes 0, failed opens 0', async () => {
    const options: LsmOptions = { ...OPTIONS, dynamicLevelBytes: false, manifestRollBytes: 1 << 20 };
    const ranges = [{}, { start: utf8('k0010'), end: utf8('k0025') }, { start: utf8('k0030') }, { end: utf8('k0012') }];
    const extra = async (db: LsmTree, step: number) => {
      if (step % 12 === 11) await db.compactRange(ranges[Math.floor(step / 12) % ranges.length]);
    };
    const { figures, unexpected, operations, events } = await sweep(
      crashWorkload(6, 80, { flushes: 0.03 }),
      options,
      extra,
    );
    expect(events.get('compaction.end') ?? 0).toBeGreaterThan(10);
    console.log(
      `compactRange: ${events.get('compaction.end')} compactions in the session; process crash and power loss at each of ${figure(operations)} operations: ${figures.summary()}`,
    );
    expect(unexpected).toEqual([]);
    expect(figures.failures).toEqual([]);
    expect(figures.clean).toBe(true);
  }, 120_000);
});

describe('A manifest roll that fails', () => {
  it('RollWriteFails: the old manifest stays in charge, writes go on, and reopening sees every write', async () => {
    const memory = new MemoryStorage();
    // The snapshot record of the first new manifest fails to write.
    let failed = 0;
    const storage = new (class extends StorageWrapper {
      override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
        const file = await super.open(name, options);
        if (!name.startsWith('MANIFEST-') || !options?.create || name === 'MANIFEST-000001' || failed > 0) return file;
        failed++;
        return new (class extends FileWrapper {
          override write(): number {
            throw new DOMException('injected: write failed', 'InvalidStateError');
          }
        })(file);
      }
    })(memory);
    const errors: string[] = [];
    const rolls: string[] = [];
    const db = await LsmTree.open(storage, {
      ...OPTIONS,
      onEvent: (e) => {
        if (e.type === 'background.error') errors.push(e.message);
        if (e.type === 'manifest.roll') rolls.push(e.to);
      },
    });
    const oracle = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const key = `k${i % 17}`;
      await db.put(utf8(key), utf8(`v${i}`));
      oracle.set(key, `v${i}`);
    }
    expect(failed).toBe(1);
    expect(errors.some((m) => m.includes('write failed'))).toBe(true);
    expect(rolls.length).toBeGreaterThan(0);
    expect(db.readOnly).toBeUndefined();
    await db.close();
    const reopened = await LsmTree.open(memory);
    for (const [key, value] of oracle) expect(text(await reopened.get(utf8(key)))).toBe(value);
    await reopened.close();
  });
});
