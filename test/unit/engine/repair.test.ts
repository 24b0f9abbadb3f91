// Repair (LevelDB's RepairDB, engine/repair.ts): a database whose manifest was deleted, truncated, or whose table
// was damaged is rebuilt from the files found, and every acknowledged write that sits in a readable file is found
// afterwards. The writes are judged by the crash suite's oracle (engine/worker/oracle.ts): a seeded workload of
// puts, overwrites and deletes, with flushes, leveled compactions down to L2, and writes left in the WAL.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, type LsmOptions, LsmTree, MemoryStorage, type RepairReport, utf8 } from '../../../engine';
import { SstableReader } from '../../../engine/sstable/reader';
import { crashWorkload, readState, WriteOracle } from '../support/crash';
import { applyWrite } from '../support/scenario';
import { flippedByte } from '../support/storage';
import { text } from '../support/tree';

const OPTIONS: LsmOptions = {
  memtableBytes: 160,
  l0Trigger: 2,
  blockSize: 128,
  compaction: 'leveled',
  dynamicLevelBytes: false,
};

/** A database built by a seeded workload, its last writes left in the WAL, then a crash (no clean close). */
async function built(steps = 160): Promise<{ memory: MemoryStorage; oracle: WriteOracle }> {
  const memory = new MemoryStorage();
  const oracle = new WriteOracle();
  const db = await LsmTree.open(memory, OPTIONS);
  for (const step of crashWorkload(7, steps, { flushes: 0.03 })) {
    if (step.op === 'flush') await db.flush();
    else if (step.op === 'put' || step.op === 'delete') {
      const index = oracle.issue(step);
      await applyWrite(db, step);
      oracle.ack(index);
    }
  }
  const state = await db.describe();
  expect(state.tables.some((t) => t.level >= 2)).toBe(true);
  expect(state.memtable.length).toBeGreaterThan(0);
  memory.crash();
  return { memory, oracle };
}

async function openFails(memory: MemoryStorage): Promise<LsmError> {
  const error = await LsmTree.open(memory, OPTIONS).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LsmError);
  memory.crash();
  return error as LsmError;
}

/** Every acknowledged write is there; the state is one some prefix of the writes gives; a reopen keeps it. */
async function expectAllFound(memory: MemoryStorage, oracle: WriteOracle, db: LsmTree): Promise<void> {
  const { state, disagreements } = await readState(db, oracle.keys());
  expect(disagreements).toBe(0);
  expect(oracle.check(state)).toMatchObject({ lost: 0, ghosts: 0, hole: false });
  await db.put(utf8('after-repair'), utf8('yes'));
  await db.close();
  const again = await LsmTree.open(memory, OPTIONS);
  expect(text(await again.get(utf8('after-repair')))).toBe('yes');
  const after = (await readState(again, oracle.keys())).state;
  after.delete('after-repair');
  expect(after).toEqual(state);
  await again.close();
}

function manifestOf(memory: MemoryStorage): Promise<string> {
  return memory.list().then((names) => names.find((n) => n.startsWith('MANIFEST-'))!);
}

describe('Repair', () => {
  it('ManifestDeleted: open fails with a typed corruption; repair finds every acknowledged write', async () => {
    const { memory, oracle } = await built();
    const manifest = await manifestOf(memory);
    await memory.remove(manifest);
    const error = await openFails(memory);
    expect(error.code).toBe(ErrorCode.Corruption);

    const events: string[] = [];
    const db = await LsmTree.repair(memory, { ...OPTIONS, onEvent: (e) => events.push(e.type) });
    const report = db.repairReport as RepairReport;
    expect(report.tablesLost).toEqual([]);
    expect(report.tablesKept.length).toBeGreaterThan(2);
    expect(report.walRecordsRecovered).toBeGreaterThan(0);
    expect(report.walRecordsLost).toBe(0);
    // Tables from L1 and L2 overlap L0's with interleaved sequence numbers: repair merged them.
    expect(report.merged).toBe(true);
    expect(events[0]).toBe('repair.begin');
    expect(events).toContain('repair.manifest');
    expect(events.at(-1)).toBe('repair.end');
    expect(events.indexOf('recovery.begin')).toBeGreaterThan(events.indexOf('repair.manifest'));
    await expectAllFound(memory, oracle, db);
  });

  it('ManifestTruncated: cut in the middle of a record, repair finds every acknowledged write', async () => {
    const { memory, oracle } = await built();
    const manifest = await manifestOf(memory);
    const bytes = memory.snapshot(manifest);
    memory.cut(manifest, Math.floor(bytes.length / 2));
    const db = await LsmTree.repair(memory, OPTIONS);
    const report = db.repairReport!;
    expect(report.tablesLost).toEqual([]);
    expect(report.manifestsReplaced).toEqual([manifest]);
    // The damaged manifest is set aside, byte for byte as the repair found it.
    expect(report.setAside).toContain(`lost-${manifest}`);
    expect(memory.snapshot(`lost-${manifest}`)).toEqual(bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectAllFound(memory, oracle, db);
  });

  it('TableDamaged: a byte flipped mid-block loses that block alone, reported with file and offset', async () => {
    // Keys written once each, so that what the damaged block held is simply gone, never an older version. Small
    // blocks: prefix-compressed tables of a few keys would otherwise fit in one.
    const memory = new MemoryStorage();
    const oracle = new WriteOracle();
    const db = await LsmTree.open(memory, { ...OPTIONS, compaction: 'off', blockSize: 64 });
    for (let i = 0; i < 60; i++) {
      const w = { op: 'put' as const, key: `k${String(i).padStart(3, '0')}`, value: `value number ${i}` };
      oracle.ack(oracle.issue(w));
      await applyWrite(db, w);
    }
    const { tables } = await db.describe();
    await db.close();
    const victim = tables.find((t) => t.blocks >= 2)!;
    expect(victim).toBeDefined();
    // The keys in the victim's first block, read before the damage.
    const inVictim = new Set<string>();
    const file = await memory.open(victim.file);
    for (const entry of SstableReader.open(file, victim.file).blockEntries(0)) inVictim.add(text(entry.key)!);
    file.close();
    const at = 40; // inside the first data block (blocks of about 128 bytes)
    memory.poke(victim.file, at, flippedByte(memory.snapshot(victim.file), at));
    const original = memory.snapshot(victim.file);

    const repaired = await LsmTree.repair(memory, OPTIONS);
    const report = repaired.repairReport!;
    expect(report.tablesLost).toHaveLength(1);
    expect(report.tablesLost[0]).toMatchObject({
      file: victim.file,
      setAside: `lost-${victim.file}`,
      error: { code: ErrorCode.Corruption, file: victim.file, offset: 0 },
      // LevelDB's repair does the same: the blocks that still pass their checksums go into a new table.
      salvaged: { entries: victim.entries - inVictim.size, blocks: victim.blocks, blocksLost: 1 },
    });
    expect(report.tablesKept.map((t) => t.file)).not.toContain(victim.file);
    expect(memory.snapshot(`lost-${victim.file}`)).toEqual(original);
    expect(await memory.list()).not.toContain(victim.file);

    const { state } = await readState(repaired, oracle.keys());
    for (const [key, value] of oracle.lastAcknowledged()) {
      if (inVictim.has(key)) expect(state.has(key), key).toBe(false);
      else expect(state.get(key), key).toBe(value);
    }
    expect(inVictim.size).toBeGreaterThan(0);
    expect(state.size).toBe(oracle.keys().length - inVictim.size);
    await repaired.close();
  });

  it('WalDamaged: records up to the first bad one are kept, those after it counted as lost', async () => {
    const memory = new MemoryStorage();
    const db = await LsmTree.open(memory, { ...OPTIONS, memtableBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) await db.put(utf8(`k${i}`), utf8(`v${i}`));
    const { wal } = await db.describe();
    memory.crash();
    const bytes = memory.snapshot(wal.file);
    // Damage the fifth record's payload (records are of equal size here).
    const recordBytes = bytes.length / 10;
    const at = Math.floor(4 * recordBytes + recordBytes / 2);
    memory.poke(wal.file, at, flippedByte(bytes, at));

    const repaired = await LsmTree.repair(memory, OPTIONS);
    const log = repaired.repairReport!.logs[0]!;
    expect(log).toMatchObject({ file: wal.file, records: 4, recordsLost: 5, setAside: `lost-${wal.file}` });
    expect(log.error).toMatchObject({ code: ErrorCode.Corruption, file: wal.file, offset: 4 * recordBytes });
    expect(repaired.repairReport!.walRecordsLost).toBe(6);
    for (let i = 0; i < 10; i++) expect(text(await repaired.get(utf8(`k${i}`)))).toBe(i < 4 ? `v${i}` : undefined);
    await repaired.close();
  });

  it('InterleavedTables: a deep table newer by sequence number than an L0 one it overlaps is merged, not misread', async () => {
    const memory = new MemoryStorage();
    const db = await LsmTree.open(memory, { ...OPTIONS, compaction: 'off' });
    await db.put(utf8('a'), utf8('old a'));
    await db.put(utf8('z'), utf8('old z'));
    await db.compactRange(); // [a@1, z@2] at the bottom
    await db.put(utf8('a'), utf8('new a'));
    await db.flush(); // [a@3] in L0
    await db.put(utf8('z'), utf8('new z'));
    await db.flush();
    await db.compactRange({ start: utf8('y') }); // [a@1, z@4] at the bottom; [a@3] stays in L0
    const { tables } = await db.describe();
    const deep = tables.find((t) => t.level > 0)!;
    const shallow = tables.find((t) => t.level === 0)!;
    expect([deep.smallestSeq, deep.largestSeq, shallow.largestSeq]).toEqual([1, 4, 3]);
    await db.close();
    await memory.remove((await manifestOf(memory))!);

    // Both in level 0, read newest first by largest sequence number, `a` would be read from the deep table: old a.
    const repaired = await LsmTree.repair(memory, OPTIONS);
    expect(repaired.repairReport!.merged).toBe(true);
    expect(text(await repaired.get(utf8('a')))).toBe('new a');
    expect(text(await repaired.get(utf8('z')))).toBe('new z');
    const after = await repaired.describe();
    expect(after.tables.map((t) => t.file)).toEqual(repaired.repairReport!.mergedInto);
    await repaired.close();
  });

  it('RepairOfAHealthyDatabase changes nothing a reader sees', async () => {
    const { memory, oracle } = await built(80);
    const db = await LsmTree.repair(memory, OPTIONS);
    expect(db.repairReport!.tablesLost).toEqual([]);
    await expectAllFound(memory, oracle, db);
  });
});
