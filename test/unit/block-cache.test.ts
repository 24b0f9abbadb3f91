// The block cache: a hot block is read and verified once; the least recently used blocks go past the budget.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../engine';
import { BlockCache } from '../../engine/sstable/block-cache';
import type { Storage, StorageFile } from '../../engine/storage/storage';

const block = (n: number) => ({ block: n });
const A = 1;
const B = 2;

describe('BlockCache', () => {
  it('KeepsRecentlyUsedBlocksWithinItsBudget', () => {
    const cache = new BlockCache<{ block: number }>(300);
    cache.set(A, 0, 100, block(1));
    cache.set(A, 100, 100, block(2));
    cache.set(A, 200, 100, block(3));
    expect(cache.get(A, 0)).toEqual(block(1)); // now the most recently used
    cache.set(B, 0, 100, block(4)); // over budget: the least recently used (A@100) goes
    expect(cache.get(A, 100)).toBeUndefined();
    expect(cache.get(A, 0)).toEqual(block(1));
    expect(cache.get(B, 0)).toEqual(block(4));
    expect(cache.bytes).toBe(300);
    cache.set(B, 0, 50, block(5)); // the same block again replaces it, and its charge
    expect(cache.bytes).toBe(250);
    cache.forget(A);
    expect(cache.get(A, 0)).toBeUndefined();
    expect(cache.get(A, 200)).toBeUndefined();
    expect(cache.get(B, 0)).toEqual(block(5));
    expect(cache.bytes).toBe(50);
  });

  it('AHotKeysBlockIsReadFromStorageOnce', async () => {
    const memory = new MemoryStorage();
    let reads = 0;
    const counting: Storage = {
      open: async (name, options) => {
        const file = await memory.open(name, options);
        const counted: StorageFile = {
          read: (buffer, o) => {
            if (name.endsWith('.sst')) reads++;
            return file.read(buffer, o);
          },
          write: (buffer, o) => file.write(buffer, o),
          truncate: (size) => file.truncate(size),
          getSize: () => file.getSize(),
          flush: () => file.flush(),
          close: () => file.close(),
        };
        return counted;
      },
      remove: (name) => memory.remove(name),
      list: () => memory.list(),
    };
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
