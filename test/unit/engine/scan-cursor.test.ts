// A long scan reads in batches (one queued operation each); between batches its merge waits where it stopped
// and goes on from there, as long as the memtable and the tables are the same ones: each SSTable block is read
// once per scan, not once per batch. Writes between batches are newer than the scan: it still skips them.
//
// Figure printed: SSTable reads made by a 3,000-key scan over several tables, and how many blocks they hold.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, type Storage, type StorageFile, utf8 } from '../../../engine';
import { pad, text } from '../support/tree';

const keyOf = (i: number) => utf8(`key${pad(i)}`);

/** MemoryStorage that counts read() calls on SSTables. */
function countingStorage(inner: Storage) {
  const counts = { sstableReads: 0 };
  const storage: Storage = {
    open: async (name, options) => {
      const file = await inner.open(name, options);
      if (!name.endsWith('.sst')) return file;
      const counted: StorageFile = {
        read: (buffer, at) => {
          counts.sstableReads++;
          return file.read(buffer, at);
        },
        write: (buffer, at) => file.write(buffer, at),
        truncate: (size) => file.truncate(size),
        getSize: () => file.getSize(),
        flush: () => file.flush(),
        close: () => file.close(),
      };
      return counted;
    },
    remove: (name) => inner.remove(name),
    list: () => inner.list(),
  };
  return { storage, counts };
}

describe('scan batches share one merge', () => {
  it('ReadsEachBlockOnce: a scan over several tables reads each block at most once, whatever the batches', async () => {
    const { storage, counts } = countingStorage(new MemoryStorage());
    const db = await LsmTree.open(storage, { memtableBytes: 64 * 1024, compaction: 'off' });
    // Three overlapping tables (every third key in each) and some keys left in the memtable.
    for (let t = 0; t < 3; t++) {
      for (let i = t; i < 3000; i += 3) await db.put(keyOf(i), utf8(`v${i}`));
      await db.flush();
    }
    for (let i = 0; i < 3000; i += 7) await db.put(keyOf(i), utf8(`m${i}`));
    const blocks = (await db.describe()).tables.reduce((sum, t) => sum + t.blocks, 0);
    counts.sstableReads = 0;
    let n = 0;
    for await (const [key, value] of db.scan()) {
      expect(text(key)).toBe(`key${pad(n)}`);
      expect(text(value)).toBe(n % 7 === 0 ? `m${n}` : `v${n}`);
      n++;
    }
    console.log(`a ${n}-key scan over 3 tables of ${blocks} blocks in all made ${counts.sstableReads} SSTable reads`);
    expect(n).toBe(3000);
    expect(counts.sstableReads).toBeLessThanOrEqual(blocks);
    await db.close();
  });

  it('WritesBetweenBatches: keys, overwrites and deletes ahead of the scan, in the same memtable, stay unseen', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 1 << 20 });
    for (let i = 0; i < 2000; i += 2) await db.put(keyOf(i), utf8('before'));
    await db.flush();
    for (let i = 1000; i < 2000; i += 2) await db.put(keyOf(i), utf8('before'));
    const seen: string[] = [];
    for await (const [key, value] of db.scan()) {
      seen.push(`${text(key)}=${text(value)}`);
      if (seen.length === 300) {
        // No flush: the memtable is the same one, the merge goes on past these.
        for (let i = 601; i < 2000; i += 10) {
          await db.put(keyOf(i), utf8('after'));
          await db.put(keyOf(i + 1), utf8('after'));
          await db.delete(keyOf(i + 3));
        }
      }
    }
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => `key${pad(2 * i)}=before`));
    await db.close();
  });

  it('PairsAreTheCallers: pairs cut from shared slabs stay as read when the caller overwrites the ones before', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 4096 });
    for (let i = 0; i < 1500; i++) await db.put(keyOf(i), utf8(`value ${i}`));
    await db.put(keyOf(7), utf8('newer')); // in the memtable, over an older version in a table
    const kept: Array<[Uint8Array, Uint8Array]> = [];
    for await (const pair of db.scan()) {
      // The engine must not read, nor hand out again, what a caller does with its copies.
      kept.push(pair);
      for (const [key, value] of kept.slice(-3, -1)) {
        key.fill(0xff);
        value.fill(0xff);
      }
    }
    expect(kept.length).toBe(1500);
    const last = kept[kept.length - 1]!;
    expect(`${text(last[0])}=${text(last[1])}`).toBe(`${text(keyOf(1499))}=value 1499`);
    const again: string[] = [];
    for await (const [key, value] of db.scan()) again.push(`${text(key)}=${text(value)}`);
    expect(again).toEqual(
      Array.from({ length: 1500 }, (_, i) => `${text(keyOf(i))}=${i === 7 ? 'newer' : `value ${i}`}`),
    );
    await db.close();
  });
});
