// Compaction's merge over parsed blocks (engine/compaction/merge.ts) against the merge an entry at a time that it
// replaces where no snapshot or filter is live (iterators.ts mergeAll, then snapshot.ts retain): for random tables
// with overwrites, deletes and several versions of a key in one table, the same output bytes, the same split
// points, the same counts, the same progress events and the same dropped versions named, at the same moments.
// Then whole trees: compacted over blocks (no filter) and an entry at a time (a filter that matches nothing), the
// same SSTables byte for byte and the same compaction.end events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EngineEvent, LsmTree, MemoryStorage, mulberry32, toHex, utf8 } from '../../../engine';
import { type Entry, entrySize } from '../../../engine/codec/entry';
import { LoserTree, MergedSurvivors, sharedByAll, TableCursor } from '../../../engine/compaction/merge';
import { OutputSplitter } from '../../../engine/compaction/splitter';
import type { SstableMeta } from '../../../engine/events';
import { mergeAll } from '../../../engine/iterators';
import { retain } from '../../../engine/snapshot';
import { SstableBuilder } from '../../../engine/sstable/builder';
import { ReadBuffers, SstableReader } from '../../../engine/sstable/reader';
import type { MemoryStorage as Memory } from '../../../engine/storage/memory';
import { type CompactionProgress, newCompactionProgress, Trace } from '../../../engine/trace';
import { text } from '../support/tree';

const OPTIONS = { blockSize: 256, bloomBitsPerKey: 10, compression: 'none' as const, restartInterval: 4 };

/** Tables of entries: keys from a small alphabet (so they collide, also inside one table), distinct sequences. */
const tablesArbitrary = fc
  .array(
    fc.array(
      fc.record({
        key: fc.integer({ min: 0, max: 60 }),
        /** A long shared start, or none: prefix compression both ways. */
        long: fc.boolean(),
        del: fc.boolean(),
        valueLength: fc.integer({ min: 0, max: 300 }),
      }),
      { minLength: 1, maxLength: 60, size: 'max' },
    ),
    { minLength: 1, maxLength: 9, size: 'max' },
  )
  .map((lists) => {
    let seq = 1;
    return lists.map((list) => {
      const entries = list.map(
        ({ key, long, del, valueLength }): Entry => ({
          op: del ? 'delete' : 'put',
          seq: seq++,
          key: utf8(long ? `user/profile/settings/${String(key).padStart(4, '0')}` : `k${key}`),
          value: del
            ? new Uint8Array(0)
            : utf8(`${key}:${seq}:`.padEnd(valueLength, String.fromCharCode(97 + (seq % 26)))),
        }),
      );
      // A table's order: keys ascending, a key's versions newest first.
      return entries.sort((a, b) => compare(a.key, b.key) || b.seq - a.seq);
    });
  });

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

async function writeTables(storage: Memory, tables: Entry[][]): Promise<SstableReader[]> {
  const readers: SstableReader[] = [];
  for (const [i, entries] of tables.entries()) {
    const name = `in${i}.sst`;
    const file = await storage.open(name, { create: true });
    const builder = new SstableBuilder(file, name, OPTIONS);
    for (const entry of entries) builder.add(entry);
    builder.finish();
    readers.push(SstableReader.open(file, name));
  }
  return readers;
}

async function fileBytes(storage: Memory, name: string): Promise<Uint8Array> {
  const file = await storage.open(name);
  const bytes = new Uint8Array(file.getSize());
  file.read(bytes, { at: 0 });
  file.close();
  return bytes;
}

function newProgress(): CompactionProgress {
  return newCompactionProgress(true);
}

/** Grandparents for the splitter: a few tables of the level below, over the same keys. */
function grandparents(bounds: number[]): SstableMeta[] {
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  return sorted.map((b, i) => ({ largest: utf8(`k${b}`), size: 100 + 37 * i }) as SstableMeta);
}

/** Merges `tables` both ways, into files split by `split` (none: one file); expects the same of all; the events. */
async function expectSameMerges(
  tables: Entry[][],
  bottom: boolean,
  split: { target: number; bounds: number[] } | null,
): Promise<number> {
  const storage = new MemoryStorage();
  const readers = await writeTables(storage, tables);
  const splitter = () =>
    split ? new OutputSplitter(grandparents(split.bounds), split.target, 2 * split.target) : undefined;

  // Before: an entry at a time, read one ahead as the compaction's Lookahead reads it.
  const oldTrace = new Trace();
  const oldEvents: EngineEvent[] = [];
  oldTrace.subscribe((e) => oldEvents.push(e));
  const oldProgress = newProgress();
  const oldSplitter = splitter();
  const merged = mergeAll(
    readers.map((r) => r.scanFrom(undefined, new ReadBuffers())),
    oldProgress,
  );
  const oldFiles: string[] = [];
  const survivors = (function* () {
    for (const entry of retain(merged, [], bottom, oldProgress)) {
      oldProgress.entriesWritten++;
      oldProgress.bytes += entrySize(entry.key.length, entry.value.length);
      if (oldProgress.entriesWritten % 512 === 0) oldTrace.compactionProgress(oldProgress);
      yield entry;
    }
  })();
  // Each survivor is shown to the splitter once, the first too, as it is read (one ahead of the builder).
  const judge = (entry: Entry) =>
    oldSplitter?.stopBefore(entry.key, entrySize(entry.key.length, entry.value.length)) === true;
  let next = survivors.next();
  if (!next.done) judge(next.value);
  while (!next.done) {
    const name = `old${oldFiles.length}.sst`;
    const file = await storage.open(name, { create: true });
    const builder = new SstableBuilder(file, name, OPTIONS);
    let opens = false;
    do {
      builder.add(next.value);
      next = survivors.next();
      opens = !next.done && judge(next.value);
    } while (!next.done && !opens);
    builder.finish();
    file.close();
    oldFiles.push(name);
  }

  // After: over parsed blocks.
  const newTrace = new Trace();
  const newEvents: EngineEvent[] = [];
  newTrace.subscribe((e) => newEvents.push(e));
  const newProgress_ = newProgress();
  const stream = new MergedSurvivors(
    readers.map((r) => new TableCursor(r.blocksFrom(undefined, new ReadBuffers()), r.name)),
    bottom,
    newProgress_,
    newTrace,
    splitter(),
  );
  const newFiles: string[] = [];
  while (!stream.done) {
    const name = `new${newFiles.length}.sst`;
    const file = await storage.open(name, { create: true });
    const builder = new SstableBuilder(file, name, OPTIONS);
    await stream.fillFile(builder);
    builder.finish();
    file.close();
    newFiles.push(name);
  }

  expect(newFiles.length).toBe(oldFiles.length);
  for (let i = 0; i < oldFiles.length; i++) {
    expect(await fileBytes(storage, newFiles[i]!)).toEqual(await fileBytes(storage, oldFiles[i]!));
  }
  expect(newProgress_).toEqual(oldProgress);
  expect(newEvents).toEqual(oldEvents);
  return newEvents.length;
}

describe('Compaction merge over parsed blocks', () => {
  it('LoserTree orders entries as a sort does: key ascending, then newest first, then input', async () => {
    // Half the time every key starts with the same long prefix: the tree then compares keys past what they share.
    const samePrefix = fc
      .tuple(tablesArbitrary, fc.boolean())
      .map(([tables, prefixed]) =>
        prefixed ? tables.map((list) => list.map((e) => ({ ...e, key: utf8(`user/profile/${text(e.key)}`) }))) : tables,
      );
    await fc.assert(
      fc.asyncProperty(samePrefix, async (tables) => {
        const storage = new MemoryStorage();
        const readers = await writeTables(storage, tables);
        const cursors = readers.map((r) => new TableCursor(r.blocksFrom(), r.name));
        for (const c of cursors) c.next();
        const shared = sharedByAll(tables.map((list) => ({ smallest: list[0]!.key, largest: list.at(-1)!.key })));
        if (tables.flat().every((e) => (text(e.key) ?? '').startsWith('user/profile/'))) {
          expect(shared).toBeGreaterThanOrEqual('user/profile/'.length);
        }
        const tree = new LoserTree(cursors, shared);
        const got: string[] = [];
        for (let w = tree.winner; w >= 0; w = tree.winner) {
          const c = cursors[w]!;
          got.push(`${toHex(c.key.subarray(0, c.keyLength))}/${c.seq}`);
          c.next();
          tree.replay();
        }
        const want = tables
          .flat()
          .sort((a, b) => compare(a.key, b.key) || b.seq - a.seq)
          .map((e) => `${toHex(e.key)}/${e.seq}`);
        expect(got).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('LoserTree past a shared start: numbers of different lengths after it still sort as bytes do', async () => {
    // "p/12" sorts before "p/3": the tree must compare the byte right after the shared "p/", not skip it.
    let seq = 1;
    const table = (keys: string[]): Entry[] =>
      keys.map((key) => ({ op: 'put', seq: seq++, key: utf8(key), value: utf8('v') }));
    const tables = [table(['p/1', 'p/3', 'p/5', 'p/50']), table(['p/12', 'p/2', 'p/4']), table(['p/0', 'p/30'])];
    const storage = new MemoryStorage();
    const readers = await writeTables(storage, tables);
    const cursors = readers.map((r) => new TableCursor(r.blocksFrom(), r.name));
    for (const c of cursors) c.next();
    const shared = sharedByAll(tables.map((list) => ({ smallest: list[0]!.key, largest: list.at(-1)!.key })));
    expect(shared).toBe(2);
    const tree = new LoserTree(cursors, shared);
    const got: string[] = [];
    for (let w = tree.winner; w >= 0; w = tree.winner) {
      got.push(text(cursors[w]!.key.subarray(0, cursors[w]!.keyLength))!);
      cursors[w]!.next();
      tree.replay();
    }
    expect(got).toEqual(['p/0', 'p/1', 'p/12', 'p/2', 'p/3', 'p/30', 'p/4', 'p/5', 'p/50']);
  });

  it('SharedByAll: every key between the smallest and the largest starts with the bytes those two share', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 6 }), { minLength: 1, maxLength: 30 }), (keys) => {
        const sorted = [...keys].sort(compare);
        // Tables as runs of the sorted keys: each knows only its first and last.
        const tables: { smallest: Uint8Array; largest: Uint8Array }[] = [];
        for (let i = 0; i < sorted.length; i += 3) {
          const run = sorted.slice(i, i + 3);
          tables.push({ smallest: run[0]!, largest: run.at(-1)! });
        }
        const shared = sharedByAll(tables.reverse());
        const first = sorted[0]!;
        for (const key of sorted) {
          expect(key.length).toBeGreaterThanOrEqual(shared);
          expect([...key.subarray(0, shared)]).toEqual([...first.subarray(0, shared)]);
        }
        // And no more than that: the smallest and the largest differ right after it.
        const last = sorted.at(-1)!;
        expect(shared === first.length || shared === last.length || first[shared] !== last[shared]).toBe(true);
      }),
    );
    expect(sharedByAll([])).toBe(0);
  });

  it('SameFilesAndEvents: as mergeAll then retain, for overwrites, deletes, at the bottom or not, split or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        tablesArbitrary,
        fc.boolean(),
        fc.option(fc.record({ target: fc.integer({ min: 200, max: 3000 }), bounds: fc.array(fc.nat(60)) })),
        async (tables, bottom, split) => {
          await expectSameMerges(tables, bottom, split);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('SameProgress: thousands of entries, so that progress events are emitted every 512 written', async () => {
    const random = mulberry32(24);
    let seq = 1;
    const tables = Array.from({ length: 13 }, () =>
      Array.from({ length: 400 }, (): Entry => {
        const key = utf8(`k${String(Math.floor(random() * 4000)).padStart(6, '0')}`);
        const del = random() < 0.1;
        return { op: del ? 'delete' : 'put', seq: seq++, key, value: del ? new Uint8Array(0) : utf8(`v${seq}`) };
      }).sort((a, b) => compare(a.key, b.key) || b.seq - a.seq),
    );
    expect(await expectSameMerges(tables, true, { target: 4096, bounds: [500, 1500, 2500] })).toBeGreaterThan(3);
    expect(await expectSameMerges(tables, false, null)).toBeGreaterThan(3);
  });

  it('SameTrees: the same SSTables byte for byte and the same compaction events as the merge an entry at a time', async () => {
    const ops = fc.array(
      fc.oneof(
        {
          weight: 12,
          arbitrary: fc.record({ put: fc.integer({ min: 0, max: 80 }), size: fc.integer({ min: 0, max: 120 }) }),
        },
        { weight: 3, arbitrary: fc.record({ del: fc.integer({ min: 0, max: 80 }) }) },
        { weight: 1, arbitrary: fc.constant({ snapshot: true }) },
        { weight: 1, arbitrary: fc.constant({ flush: true }) },
      ),
      { minLength: 1, maxLength: 300, size: 'max' },
    );
    // How many merges wrote several files and dropped versions: the property must have been tried on real ones.
    let merges = 0;
    await fc.assert(
      fc.asyncProperty(ops, fc.boolean(), async (list, pushDown) => {
        const run = async (entryAtATime: boolean) => {
          const storage = new MemoryStorage();
          const events: EngineEvent[] = [];
          const db = await LsmTree.open(storage, {
            memtableBytes: 1024,
            blockSize: 256,
            targetFileBytes: 1024,
            compaction: 'off',
            // A filter that matches no key: the compaction keeps a key's versions together, an entry at a time.
            filterPrefixes: entryAtATime ? ['\u{10ffff}'] : [],
            onEvent: (e) => {
              if (e.type.startsWith('compaction.') || e.type === 'sstable.write') events.push(e);
            },
          });
          const snapshots = [];
          for (const op of list) {
            if ('put' in op) await db.put(utf8(`key${op.put}`), utf8(`v${op.put}`.padEnd(op.size, '.')));
            else if ('del' in op) await db.delete(utf8(`key${op.del}`));
            else if ('snapshot' in op)
              snapshots.push(await db.snapshot()); // older versions into the L0 files
            else await db.flush();
          }
          await db.flush();
          // Released before compaction: the merge over blocks runs (with several versions of a key in one input).
          for (const s of snapshots) s.release();
          await db.setOptions({ compaction: 'leveled' });
          await db.compact();
          if (pushDown) await db.compactRange();
          await db.close();
          const files = new Map<string, Uint8Array>();
          for (const name of (await storage.list()).filter((n) => n.endsWith('.sst')).sort()) {
            files.set(name, await fileBytes(storage, name));
          }
          // Progress events are reported at the same entries written, but a filter reads a key's versions ahead.
          const shown = events.map((e) => (e.type === 'compaction.progress' ? { ...e, entriesRead: 0 } : e));
          return { files, events: shown };
        };
        const overBlocks = await run(false);
        const entryAtATime = await run(true);
        expect([...overBlocks.files.keys()]).toEqual([...entryAtATime.files.keys()]);
        for (const [name, bytes] of overBlocks.files) expect(bytes).toEqual(entryAtATime.files.get(name));
        expect(overBlocks.events).toEqual(entryAtATime.events);
        merges += overBlocks.events.filter(
          (e) => e.type === 'compaction.end' && e.outputs.length > 1 && e.droppedShadowed + e.droppedTombstones > 0,
        ).length;
      }),
      { numRuns: 25 },
    );
    expect(merges).toBeGreaterThan(5);
  });
});
