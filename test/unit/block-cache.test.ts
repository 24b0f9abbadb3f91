// The block cache: a hot block is read and verified once; the least recently used blocks go past the budget.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../engine';
import type { Entry } from '../../engine/codec/record';
import { BlockCache } from '../../engine/sstable/block-cache';
import type { Storage, StorageFile } from '../../engine/storage/storage';

const block = (n: number): Entry[] => [{ op: 'put', seq: n, key: utf8(`k${n}`), value: utf8('v') }];

describe('BlockCache', () => {
  it('KeepsRecentlyUsedBlocksWithinItsBudget', () => {
    const cache = new BlockCache(300);
    cache.set('a.sst', 0, 100, block(1));
    cache.set('a.sst', 100, 100, block(2));
    cache.set('a.sst', 200, 100, block(3));
    expect(cache.get('a.sst', 0)).toEqual(block(1)); // now the most recently used
    cache.set('b.sst', 0, 100, block(4)); // over budget: the least recently used (a.sst@100) goes
    expect(cache.get('a.sst', 100)).toBeUndefined();
    expect(cache.get('a.sst', 0)).toEqual(block(1));
    expect(cache.get('b.sst', 0)).toEqual(block(4));
    cache.forget('a.sst');
    expect(cache.get('a.sst', 0)).toBeUndefined();
    expect(cache.get('a.sst', 200)).toBeUndefined();
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
