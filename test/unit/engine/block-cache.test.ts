// The block cache: a hot block is read and verified once; the least recently used blocks go past the budget.
// Blocks are named by their reader's id and their number in its file.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { ADMIT_WHEN_FULL_EVERY, BlockCache, BufferPool } from '../../../engine/sstable/block-cache';
import type { StorageFile } from '../../../engine/storage/storage';
import { FileWrapper, StorageWrapper } from '../../../engine/storage/wrapper';
import { text } from '../support/tree';

const block = (n: number) => ({ block: n });
const A = 1;
const B = 2;

describe('BlockCache', () => {
  it('KeepsRecentlyUsedBlocksWithinItsBudget', () => {
    const cache = new BlockCache<{ block: number }>(300);
    cache.set(A, 0, 100, block(1));
    cache.set(A, 1, 100, block(2));
    cache.set(A, 2, 100, block(3));
    expect(cache.get(A, 0)).toEqual(block(1)); // now the most recently used
    cache.set(B, 0, 100, block(4)); // over budget: the least recently used (A's block 1) goes
    expect(cache.get(A, 1)).toBeUndefined();
    expect(cache.get(A, 0)).toEqual(block(1));
    expect(cache.get(B, 0)).toEqual(block(4));
    expect(cache.bytes).toBe(300);
    cache.set(B, 0, 50, block(5)); // the same block again replaces it, and its charge
    expect(cache.bytes).toBe(250);
    cache.forget(A);
    expect(cache.get(A, 0)).toBeUndefined();
    expect(cache.get(A, 2)).toBeUndefined();
    expect(cache.get(B, 0)).toEqual(block(5));
    expect(cache.bytes).toBe(50);
  });

  it('AdmitsEveryBlockWhileThereIsRoomThenAboutOneInFour, whatever the pattern of offers', () => {
    const cache = new BlockCache<{ block: number }>(300);
    for (let i = 0; i < 3; i++) {
      expect(cache.admits(100)).toBe(true);
      cache.set(A, i, 100, block(i));
    }
    const admitted = Array.from({ length: 4000 }, () => cache.admits(100));
    const share = admitted.filter(Boolean).length / admitted.length;
    expect(share).toBeGreaterThan(0.8 / ADMIT_WHEN_FULL_EVERY);
    expect(share).toBeLessThan(1.2 / ADMIT_WHEN_FULL_EVERY);
    // Offers in a fixed rhythm (every get missing two blocks, say): each position still gets in.
    for (let phase = 0; phase < 2; phase++) {
      expect(admitted.filter((yes, i) => yes && i % 2 === phase).length).toBeGreaterThan(300);
    }
    expect(cache.admits(301)).toBe(false); // larger than the whole budget: never
  });

  it('KeepsAHotBlockThroughAStreamOfOneOffBlocks, within budget, forgetting by owner', () => {
    const cache = new BlockCache<{ block: number }>(1000);
    cache.set(A, 0, 100, block(0));
    for (let i = 1; i <= 500; i++) {
      expect(cache.get(A, 0), `hot block after ${i - 1} others`).toEqual(block(0));
      cache.set(B, i, 100, block(i));
      expect(cache.bytes).toBeLessThanOrEqual(1000);
    }
    expect(cache.get(B, 500)).toEqual(block(500));
    expect(cache.get(B, 1)).toBeUndefined(); // long gone
    cache.forget(B);
    expect(cache.bytes).toBe(100);
    expect(cache.get(A, 0)).toEqual(block(0));
  });

  it('AKeptBlockAnswersAsTheBlockReadFromStorage: values, tombstones, snapshots, traced reads, deflate', async () => {
    for (const compression of ['none', 'deflate'] as const) {
      const db = await LsmTree.open(new MemoryStorage(), { compaction: 'off', compression, blockSize: 512 });
      const key = (i: number) => utf8(`key${String(i).padStart(3, '0')}`);
      for (let i = 0; i < 120; i++) await db.put(key(i), utf8(`old${i}`.repeat(4)));
      const snapshot = await db.snapshot();
      for (let i = 0; i < 120; i += 3) await db.put(key(i), utf8(`new${i}`));
      for (let i = 1; i < 120; i += 3) await db.delete(key(i));
      await db.flush();
      const answers = async () => {
        const out: string[] = [];
        for (let i = 0; i < 121; i++) {
          out.push(`${text(await db.get(key(i)))}|${text(await db.get(key(i), { snapshot }))}`);
        }
        return out;
      };
      db.evictCache();
      const fromStorage = await answers(); // every block read, and kept (the cache has room)
      const fromCache = await answers();
      expect(fromCache).toEqual(fromStorage);
      expect(fromStorage[3]).toBe(`new3|${'old3'.repeat(4)}`);
      expect(fromStorage[4]).toBe(`undefined|${'old4'.repeat(4)}`);
      expect(fromStorage[5]).toBe(`${'old5'.repeat(4)}|${'old5'.repeat(4)}`);
      expect(fromStorage[120]).toBe('undefined|undefined');
      // A traced read of a kept block: the picture's facts, from the cache, with the same answer.
      const blocks: Array<{ cached: boolean; entries: number }> = [];
      const stop = db.subscribe((event) => {
        if (event.type === 'read.block') blocks.push(event);
      });
      expect(text(await db.get(key(6)))).toBe('new6');
      expect((await db.lookup(key(7))).value).toBeUndefined();
      stop();
      expect(blocks.map((b) => b.cached)).toEqual([true, true]);
      expect(blocks[0]!.entries).toBeGreaterThan(1);
      snapshot.release();
      await db.close();
    }
  });

  it('AHotKeysBlockIsReadFromStorageOnce', async () => {
    const memory = new MemoryStorage();
    let reads = 0;
    const counting = new (class extends StorageWrapper {
      override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
        return new (class extends FileWrapper {
          override read(buffer: Uint8Array, o?: { at?: number }): number {
            if (name.endsWith('.sst')) reads++;
            return super.read(buffer, o);
          }
        })(await super.open(name, options));
      }
    })(memory);
    const db = await LsmTree.open(counting, { compaction: 'off' });
    for (let i = 0; i < 50; i++) await db.put(utf8(`key${i}`), utf8(`value${i}`));
    await db.flush();
    const before = reads;
    for (let i = 0; i < 10; i++) expect(await db.get(utf8('key7'))).toEqual(utf8('value7'));
    expect(reads - before).toBe(1);
    db.evictCache();
    await db.get(utf8('key7'));
    expect(reads - before).toBe(2);
  });
});

describe('BufferPool and recycling', () => {
  it('HandsBackTheBuffersOfBlocksLetGo: a recycled buffer is leased again, and gets stay right', async () => {
    const pool = new BufferPool();
    const a = pool.lease(4133);
    expect(a.length).toBe(4352); // rounded up to a 256-byte class
    pool.give(a);
    expect(pool.lease(4300)).toBe(a); // same class: the very buffer
    expect(pool.lease(4300)).not.toBe(a);
    expect(pool.lease(4353).length).toBe(4608);

    // Through the tree: a cache of about two blocks, so nearly every get evicts one and reuses its buffer.
    const db = await LsmTree.open(new MemoryStorage(), { compaction: 'off', blockSize: 256, blockCacheBytes: 1100 });
    for (let i = 0; i < 200; i++) await db.put(utf8(`key${String(i).padStart(3, '0')}`), utf8(`value${i}`.repeat(3)));
    await db.flush();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i += 7) {
        expect(text(await db.get(utf8(`key${String(i).padStart(3, '0')}`)))).toBe(`value${i}`.repeat(3));
      }
    }
  });
});
