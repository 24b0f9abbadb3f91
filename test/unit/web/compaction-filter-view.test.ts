// The compaction banner's account of a compaction filter, folded from a real run's events: what the filters dropped
// is counted apart from overwritten versions and tombstones, by reason, with the tombstones left in their place.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, toHex, utf8 } from '../../../engine';
import { describeFile } from '../../../web/model/fields';
import { narrate } from '../../../web/model/narrate';
import { foldEvents } from '../../../web/model/view';
import { eventLog } from '../support/events';
import { scenarioEngine } from './scenario-engine';

describe('a compaction filter in the view', () => {
  it('counts filtered values by reason, apart from overwrites and tombstones', async () => {
    let now = 0;
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      memtableBytes: 4096,
      compaction: 'off',
      filterPrefixes: ['tmp:'],
      filterTtlMs: 1_000,
      clock: () => now,
      onEvent: log.record,
    });
    await db.put(utf8('old'), utf8('1')); // expires
    await db.put(utf8('keep'), utf8('1'));
    await db.put(utf8('gone'), utf8('1'));
    await db.flush(); // a table of its own: the overwrites below do not replace these in the memtable
    now = 5_000;
    await db.put(utf8('keep'), utf8('2')); // overwrites the first: one older version
    await db.delete(utf8('gone')); // a tombstone, over a value: both go at the bottom
    await db.put(utf8('tmp:a'), utf8('1'));
    await db.put(utf8('tmp:b'), utf8('1'));
    now = 5_500;
    await db.compactRange();

    const view = foldEvents(log.events);
    expect(view.compaction).toMatchObject({
      done: true,
      droppedShadowed: 2,
      droppedTombstones: 1,
      filtered: { prefix: 2, ttl: 1, tombstones: 0 },
    });
    expect(view.compaction!.filtered.shown).toEqual([
      { key: toHex(utf8('old')), seq: 1, reason: 'ttl' },
      { key: toHex(utf8('tmp:a')), seq: 6, reason: 'prefix' },
      { key: toHex(utf8('tmp:b')), seq: 7, reason: 'prefix' },
    ]);
    // The log's line for it says so too.
    const end = log.of('compaction.end').at(-1)!;
    expect(narrate(end)).toContain('(2 older versions and 1 tombstone dropped; 3 values filtered)');
    // The next compaction, which filters nothing, shows nothing filtered.
    await db.put(utf8('keep'), utf8('3'));
    await db.compactRange();
    expect(foldEvents(log.events).compaction!.filtered).toEqual({ prefix: 0, ttl: 0, tombstones: 0, shown: [] });
    await db.close();
  });

  it('the hex inspector names the write-time section of a manifest record, every byte of it', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { memtableBytes: 4096, filterTtlMs: 60_000, clock: () => 1_000 });
    await db.put(utf8('a'), utf8('1'));
    await db.put(utf8('b'), utf8('2'));
    await db.flush();
    const manifest = (await storage.list()).find((name) => name.startsWith('MANIFEST-'))!;
    const bytes = storage.snapshot(manifest);
    const fields = describeFile(manifest, bytes);
    expect(fields.filter((f) => f.kind === 'unparsed' || f.kind === 'torn')).toEqual([]);
    expect(fields.map((f) => f.label)).toContain('the write-time map starts at sequence number 1');
    expect(fields.map((f) => f.label)).toContain('pair 0: the writes up to sequence number 2…');
    expect(fields.find((f) => f.kind === 'write-time')!.label).toBe(
      '…were made at or before 1970-01-01T00:00:01.000Z (1000 ms)',
    );
    await db.close();
  });

  it('a lesson moves the engine clock past the TTL with a clock operation, and the next compaction expires', async () => {
    const db = await scenarioEngine({ memtableBytes: 4096 });
    const events = await db.run([
      { op: 'settings', changes: { filterTtlMs: 60_000 } },
      { op: 'put', key: 'old', value: '1' },
      { op: 'clock', advanceMs: 60_000 },
      { op: 'put', key: 'new', value: '2' },
      { op: 'compact' },
    ]);
    const end = events.filter((e) => e.type === 'compaction.end').at(-1)!;
    expect(end).toMatchObject({ filtered: { ttl: 1, prefix: 0, shown: [{ key: toHex(utf8('old')), reason: 'ttl' }] } });
  });
});
