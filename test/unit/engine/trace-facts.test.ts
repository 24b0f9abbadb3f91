// The facts the picture draws come from the engine's events, and they are the engine's own: the skip list search path
// is the search the list ran, the bloom probe agrees with the filter's verdict, the sparse index names the block that
// was read, a tombstone's hidden version is the one beneath it, a manifest replay names each record, a compaction
// links each output to its inputs and names what it dropped.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, toHex, utf8 } from '../../../engine';
import type { EngineEvent } from '../../../engine/events';
import { SkipList } from '../../../engine/memtable/skiplist';
import { bloomMayContain, bloomProbe, buildBloom, hash32 } from '../../../engine/sstable/bloom';

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
const only = <T extends EngineEvent['type']>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Of<T> => e.type === type);

async function openTraced(storage = new MemoryStorage(), options: Parameters<typeof LsmTree.open>[1] = {}) {
  const events: EngineEvent[] = [];
  const db = await LsmTree.open(storage, { memtableBytes: 1 << 20, ...options, onEvent: (e) => events.push(e) });
  return { db, events, storage };
}

describe('skip list search paths', () => {
  it('walk down the lanes, never overshoot, and arrive at the first key >= the target', () => {
    const list = new SkipList<number>();
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i * 2).padStart(3, '0')}`);
    for (const k of keys) list.set(utf8(k), 0);
    for (let t = 0; t < 121; t++) {
      const target = `k${String(t).padStart(3, '0')}`;
      const path = list.searchPath(utf8(target));
      expect(path[0]).toMatchObject({ key: null });
      for (let i = 1; i < path.length; i++) expect(path[i]!.lane).toBeLessThanOrEqual(path[i - 1]!.lane);
      const stood = path.slice(0, -1).filter((p) => p.key !== null);
      for (const p of stood) expect(new TextDecoder().decode(p.key!) < target).toBe(true);
      const arrived = keys.find((k) => k >= target);
      const last = path[path.length - 1]!;
      if (arrived) expect(new TextDecoder().decode(last.key!)).toBe(arrived);
      expect(last.lane).toBe(0);
    }
  });

  it('come with inserts and gets while the memtable is small, and stop beyond 16 entries', async () => {
    const { db, events } = await openTraced();
    for (let i = 0; i < 20; i++) await db.put(utf8(`key:${String(i).padStart(2, '0')}`), utf8('v'));
    await db.get(utf8('key:05'));
    const inserts = only(events, 'memtable.insert');
    expect(inserts.slice(0, 16).every((e) => e.path && e.path.at(-1)!.key === e.key)).toBe(true);
    expect(inserts.slice(16).every((e) => e.path === undefined)).toBe(true);
    expect(only(events, 'read.memtable')[0]!.path).toBeUndefined();
    await db.close();
  });
});

describe('a get inside an SSTable', () => {
  it('bloomProbe agrees with bloomMayContain, bit for bit', () => {
    const filter = buildBloom(
      Array.from({ length: 20 }, (_, i) => hash32(utf8(`in:${i}`))),
      10,
    );
    for (let i = 0; i < 500; i++) {
      const key = utf8(`probe:${i}`);
      const probe = bloomProbe(filter, hash32(key));
      expect(probe.set.every(Boolean)).toBe(bloomMayContain(filter, key));
      expect(probe.bits).toBe((filter.length - 1) * 8);
      expect(probe.filter).toBe(toHex(filter.subarray(0, filter.length - 1)));
    }
  });

  it('reports the filter, the index lines around the chosen block, and the search that found the key', async () => {
    const { db, events } = await openTraced(new MemoryStorage(), { blockSize: 64 });
    for (let i = 0; i < 40; i++) await db.put(utf8(`key:${String(i).padStart(2, '0')}`), utf8(`value ${i}`));
    await db.flush();
    events.length = 0;
    await db.get(utf8('key:27'));
    const step = only(events, 'read.sstable')[0]!;
    expect(step.found).toBe('value');
    expect(step.bloom!.set.every(Boolean)).toBe(true);
    const index = step.index!;
    expect(index.chosen).toBe(step.block);
    const line = index.chosen - index.from;
    expect(index.keys[line]! <= toHex(utf8('key:27'))).toBe(true);
    if (line + 1 < index.keys.length) expect(index.keys[line + 1]! > toHex(utf8('key:27'))).toBe(true);
    const search = step.search!;
    expect(search.compared.at(-1)).toMatchObject({ key: toHex(utf8('key:27')), order: 0 });
    expect(search.at).toBe(search.compared.at(-1)!.entry);
    await db.close();
  });

  it('tells the sub-steps in a table in the order the reader took them, then the verdict', async () => {
    const { db, events } = await openTraced(new MemoryStorage(), { blockSize: 512 });
    for (let i = 0; i < 40; i++) await db.put(utf8(`key:${String(i).padStart(2, '0')}`), utf8(`value ${i}`));
    await db.flush();
    events.length = 0;
    await db.get(utf8('key:27'));
    const inTable = events.filter((e) => e.type.startsWith('read.') && 'file' in e);
    const compares = only(events, 'read.compare');
    expect(inTable.map((e) => e.type)).toEqual([
      'read.bloom',
      'read.index',
      'read.block',
      ...compares.map(() => 'read.compare'),
      'read.sstable',
    ]);
    const verdict = only(events, 'read.sstable')[0]!;
    expect(only(events, 'read.bloom')[0]).toMatchObject({ maybe: true, bloom: verdict.bloom });
    expect(only(events, 'read.index')[0]!.index).toEqual(verdict.index);
    // The block: where it lies, where it came from (storage: nothing cached yet), and every key in it, in order.
    const block = only(events, 'read.block')[0]!;
    expect(block).toMatchObject({ block: verdict.block, blockOffset: verdict.blockOffset, cached: false });
    expect(block.keys).toHaveLength(block.entries);
    expect(block.keys).toEqual([...block.keys!].sort());
    expect(block.keys).toContain(toHex(utf8('key:27')));
    // Each comparison is the search's, on that block's keys; the last one found the key.
    // (In a prefix-compressed block, each also says which restart point it compared, or whose run it scanned.)
    const told = compares.map((c) => ({
      entry: c.entry,
      key: c.with,
      order: c.order,
      ...(c.restart === undefined ? {} : { restart: c.restart }),
      ...(c.run === undefined ? {} : { run: c.run }),
    }));
    expect(told).toEqual(verdict.search!.compared);
    for (const c of compares) expect(block.keys![c.entry]).toBe(c.with);
    expect(compares.at(-1)).toMatchObject({ with: toHex(utf8('key:27')), order: 0 });
    expect(compares.length).toBeGreaterThan(1);
    // A table its filter rules out: the filter's "no", then the verdict, nothing read.
    events.length = 0;
    for (const absent of ['key:27x', 'key:05x', 'key:11x']) await db.get(utf8(absent));
    const ruledOut = events.flatMap((e, at) => (e.type === 'read.bloom' && !e.maybe ? [at] : []));
    expect(ruledOut.length).toBeGreaterThan(0);
    for (const at of ruledOut) expect(events[at + 1]).toMatchObject({ type: 'read.sstable', found: 'bloom-negative' });
    expect(only(events, 'read.block')).toHaveLength(3 - ruledOut.length);
    await db.close();
  });

  it('a get stopped by a tombstone names the older version it hides, and where', async () => {
    const { db, events } = await openTraced();
    await db.put(utf8('apple'), utf8('red'));
    await db.flush();
    await db.delete(utf8('apple'));
    await db.get(utf8('apple'));
    const end = only(events, 'read.end').at(-1)!;
    expect(end).toMatchObject({ found: false, source: 'memtable' });
    expect(end.hidden).toEqual({ value: toHex(utf8('red')), source: only(events, 'sstable.write')[0]!.table.file });
    await db.flush();
    await db.get(utf8('apple'));
    const again = only(events, 'read.end').at(-1)!;
    expect(again.source).toBe(only(events, 'sstable.write')[1]!.table.file);
    expect(again.hidden?.value).toBe(toHex(utf8('red')));
    // The older table was read quietly, to find what the tombstone hides: no events of its own, not counted.
    const lastRead = events.slice(events.findLastIndex((e) => e.type === 'read.begin'));
    expect(lastRead.filter((e) => e.type === 'read.sstable')).toHaveLength(1);
    expect(again.tablesChecked).toBe(1);
    await db.put(utf8('pear'), utf8('green'));
    await db.get(utf8('pear'));
    expect(only(events, 'read.end').at(-1)!.hidden).toBeUndefined();
    await db.close();
  });
});

describe('recovery and compaction facts', () => {
  it('recovery names each manifest record it reads, and the towers of the list it loaded', async () => {
    const { db, storage } = await openTraced();
    for (const k of ['a', 'b', 'c']) {
      await db.put(utf8(k), utf8('1'));
      await db.flush();
    }
    await db.put(utf8('d'), utf8('2'));
    await db.put(utf8('e'), utf8('2'));
    await db.close();
    const { db: again, events } = await openTraced(storage);
    const edits = only(events, 'recovery.edit');
    const manifest = only(events, 'recovery.manifest')[0]!;
    expect(edits).toHaveLength(manifest.records);
    expect(edits.flatMap((e) => e.added).sort()).toEqual(manifest.tables.map((t) => t.file).sort());
    expect(edits.map((e) => e.offset)).toEqual([...edits.map((e) => e.offset)].sort((a, b) => a - b));
    expect(events.indexOf(edits.at(-1)!)).toBeLessThan(events.indexOf(manifest));
    const end = only(events, 'recovery.end')[0]!;
    expect(end.heights!.map((h) => h.key)).toEqual(['d', 'e'].map((k) => toHex(utf8(k))));
    expect(end.heights!.every((h) => h.height >= 1)).toBe(true);
    await again.close();
  });

  it('a compaction links each output to the inputs it overlaps and names the versions it dropped', async () => {
    const { db, events } = await openTraced();
    await db.put(utf8('k1'), utf8('old'));
    await db.put(utf8('k2'), utf8('gone'));
    await db.flush();
    await db.put(utf8('k1'), utf8('new'));
    await db.delete(utf8('k2'));
    await db.flush();
    await db.compactRange();
    const end = only(events, 'compaction.end').find((e) => e.entriesRead > 0)!;
    expect(end.links!.map((l) => l.output)).toEqual(end.outputs);
    for (const link of end.links!) expect(link.inputs.every((i) => end.inputs.includes(i))).toBe(true);
    expect(end.dropped).toHaveLength(end.droppedShadowed + end.droppedTombstones);
    expect(end.dropped!.some((d) => d.key === toHex(utf8('k1')) && d.why === 'shadowed')).toBe(true);
    await db.close();
  });
});

describe('opening', () => {
  it('says a new database was created, and a reopened empty one was recovered', async () => {
    const first = await openTraced();
    expect(only(first.events, 'recovery.end')).toMatchObject([{ created: true, replayed: 0, tables: 0 }]);
    await first.db.close();
    const again = await openTraced(first.storage);
    const [end] = only(again.events, 'recovery.end');
    expect(end).toMatchObject({ replayed: 0, tables: 0 });
    expect(end!.created).toBeUndefined();
    await again.db.close();
  });
});

describe('a workload read', () => {
  it('is counted in the stats but makes no events', async () => {
    const { db, events } = await openTraced(new MemoryStorage(), { memtableBytes: 64 });
    for (let i = 0; i < 20; i++) await db.put(utf8(`k${i}`), utf8('value'));
    const before = events.length;
    const gets = (await db.stats()).gets;
    expect((await db.lookup(utf8('k3'), { events: false })).value).toEqual(utf8('value'));
    expect(events.slice(before).filter((e) => e.type.startsWith('read.'))).toEqual([]);
    expect((await db.stats()).gets).toBe(gets + 1);
    await db.lookup(utf8('k3'));
    expect(only(events.slice(before), 'read.begin')).toHaveLength(1);
    await db.close();
  });
});
