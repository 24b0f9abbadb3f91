// Space amplification, RocksDB's definition: bytes on storage ÷ bytes of the same data fully compacted (one
// sorted run, no stale versions, no tombstones). The workload: 30,000 overwrites of 1,000 keys, memtable 4 KiB,
// leveled, then flush() and compact(). Dynamic level targets (RocksDB's level_compaction_dynamic_level_bytes)
// keep most data in the last level, fully merged; the manifest is rolled over while the database is open.
//
// Figures printed: SSTable and total space amplification, dynamic and static targets.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { figure } from '../support/crash';
import { seededRandom } from '../support/random';

const KEYS = 1_000;
const WRITES = 30_000;

async function overwrites(options: LsmOptions) {
  const storage = new MemoryStorage();
  const db = await LsmTree.open(storage, { memtableBytes: 4096, compaction: 'leveled', ...options });
  const random = seededRandom(30);
  const live = new Map<string, string>();
  for (let n = 0; n < WRITES; n++) {
    const key = `key:${String(random.below(KEYS)).padStart(6, '0')}`;
    const value = `value-${String(n).padStart(6, '0')}-${'x'.repeat(16)}`;
    await db.put(utf8(key), utf8(value));
    live.set(key, value);
  }
  await db.flush();
  await db.compact();
  const state = await db.describe();
  const tableBytes = state.tables.reduce((sum, t) => sum + t.size, 0);
  let allBytes = 0;
  for (const name of await storage.list()) allBytes += storage.snapshot(name).length;
  await db.close();
  // The same data fully compacted: the live pairs in one table.
  const compactedStorage = new MemoryStorage();
  const compacted = await LsmTree.open(compactedStorage, { memtableBytes: 1 << 24, compaction: 'off' });
  for (const [key, value] of [...live].sort()) await compacted.put(utf8(key), utf8(value));
  await compacted.flush();
  const fullyCompacted = (await compacted.describe()).tables.reduce((sum, t) => sum + t.size, 0);
  await compacted.close();
  return { tables: tableBytes / fullyCompacted, all: allBytes / fullyCompacted, fullyCompacted };
}

describe('space amplification', () => {
  it('30,000 overwrites of 1,000 keys: SSTables within 1.2x of fully compacted with dynamic level targets', async () => {
    const dynamic = await overwrites({});
    const fixed = await overwrites({ dynamicLevelBytes: false });
    console.log(
      `space amplification (fully compacted ${figure(dynamic.fullyCompacted)} B): dynamic targets SSTables ` +
        `${dynamic.tables.toFixed(2)}x, all files ${dynamic.all.toFixed(2)}x; static targets SSTables ` +
        `${fixed.tables.toFixed(2)}x, all files ${fixed.all.toFixed(2)}x`,
    );
    expect(dynamic.tables).toBeLessThanOrEqual(1.2);
    expect(dynamic.all).toBeLessThanOrEqual(1.5);
    expect(fixed.tables).toBeGreaterThan(1.2);
  }, 120_000);
});
