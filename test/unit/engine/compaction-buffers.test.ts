// Compaction reads its inputs into reused buffers (sstable/reader.ts, ReadBuffers), while the values it has not
// written out yet are views into them. The hardest case for that: blocks holding a single key (values larger than
// a block), several versions kept for snapshots, and a compaction filter, so that the merge holds the versions of
// two keys at once. Every value must come out as it went in.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { text } from '../support/tree';

const key = (i: number) => `key${String(i).padStart(3, '0')}`;
/** A value larger than a block, different for every key and version, so a reused buffer would show. */
const value = (i: number, version: number) =>
  `${key(i)}/v${version}/`.padEnd(300, String.fromCharCode(97 + ((i + version) % 26)));

describe('Compaction with reused read buffers', () => {
  it('OneKeyPerBlock, versions kept for snapshots and a filter: every value reads back exactly', async () => {
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 4096,
      blockSize: 128,
      compaction: 'off',
      filterPrefixes: ['key0x'], // matches nothing, but runs the filter stage (which holds a key's versions)
    });
    const snapshots = [];
    for (let version = 0; version < 3; version++) {
      for (let i = 0; i < 60; i++) await db.put(utf8(key(i)), utf8(value(i, version)));
      snapshots.push(await db.snapshot());
      await db.flush();
    }
    await db.setOptions({ compaction: 'leveled' });
    await db.compactRange();
    for (let version = 0; version < 3; version++) {
      for (let i = 0; i < 60; i++) {
        expect(text(await db.get(utf8(key(i)), { snapshot: snapshots[version]! }))).toBe(value(i, version));
      }
    }
    for (let i = 0; i < 60; i++) expect(text(await db.get(utf8(key(i))))).toBe(value(i, 2));
    // Once more, with the buffers the first compaction handed on.
    for (const s of snapshots) s.release();
    await db.compactRange();
    for (let i = 0; i < 60; i++) expect(text(await db.get(utf8(key(i))))).toBe(value(i, 2));
    await db.close();
  });
});
