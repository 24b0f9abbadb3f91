// Prefix-compressed data blocks (SSTable format 2, sstable/prefix-block.ts): keys store only what they do not share
// with the key before, whole every restartInterval entries. Round trips at and around restart boundaries, the
// restart-point search against a linear scan (the parsed block's, and a get's search of the bytes as they lie),
// version 1 files still read, damage in the restart array and in an entry a get reads reported with file and
// offset, and the facts the read probe draws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareBytes,
  type EngineEvent,
  ErrorCode,
  LsmError,
  LsmTree,
  MemoryStorage,
  toHex,
  utf8,
} from '../../../engine';
import { type Entry, OP_DELETE, OP_PUT } from '../../../engine/codec/entry';
import { putVarint32, readVarint32, varint32Size } from '../../../engine/codec/varint';
import type { BlockSearch } from '../../../engine/events';
import { frameBlock, unframeBlock } from '../../../engine/sstable/block';
import { SstableBuilder } from '../../../engine/sstable/builder';
import { SSTABLE_VERSION_FLAT, TRAILER_SIZE } from '../../../engine/sstable/format';
import { copyWords, type PrefixDataBlock, parsePrefixBlock, pointSearch } from '../../../engine/sstable/prefix-block';
import { TableProbe } from '../../../engine/sstable/read-probe';
import { SstableReader } from '../../../engine/sstable/reader';
import { caught, text } from '../support/tree';

const NAME = '000009.sst';
/** Big enough that every table here is one data block. */
const ONE_BLOCK = 1 << 20;

/** user:000001, user:000002, ...: keys that share all but their last bytes. */
function userEntries(count: number): Entry[] {
  return Array.from({ length: count }, (_, i) => ({
    op: i % 7 === 5 ? ('delete' as const) : ('put' as const),
    seq: i + 1,
    key: utf8(`user:${String(i + 1).padStart(6, '0')}`),
    value: i % 7 === 5 ? new Uint8Array(0) : utf8(`v${i}`),
  }));
}

async function build(
  storage: MemoryStorage,
  list: Entry[],
  options: { restartInterval?: number; formatVersion?: number; blockSize?: number; name?: string } = {},
) {
  const name = options.name ?? NAME;
  const file = await storage.open(name, { create: true });
  const builder = new SstableBuilder(file, name, {
    blockSize: options.blockSize ?? ONE_BLOCK,
    bloomBitsPerKey: 0,
    compression: 'none',
    ...(options.restartInterval === undefined ? {} : { restartInterval: options.restartInterval }),
    ...(options.formatVersion === undefined ? {} : { formatVersion: options.formatVersion }),
  });
  for (const entry of list) builder.add(entry);
  const built = builder.finish();
  file.flush();
  file.close();
  return built;
}

/** The index block's offset, from the footer: a one-block table's data block is [0, this). */
function indexOffset(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerLength = view.getUint32(bytes.length - TRAILER_SIZE + 4, true);
  return view.getUint32(bytes.length - TRAILER_SIZE - footerLength, true);
}

/** The body (verified, unframed) of the one data block of a table built from `list`. */
async function bodyOf(list: Entry[], restartInterval: number): Promise<Uint8Array> {
  const storage = new MemoryStorage();
  await build(storage, list, { restartInterval });
  const bytes = storage.snapshot(NAME);
  return unframeBlock(bytes.subarray(0, indexOffset(bytes)), NAME, 0, 'data block');
}

/** The one data block of a table built from `list`, parsed. */
async function blockOf(list: Entry[], restartInterval: number): Promise<PrefixDataBlock> {
  return parsePrefixBlock(await bodyOf(list, restartInterval), NAME, 0, true);
}

/**
 * Sorted keys under one shared start ('', 'u' or 'user:0000') with 1-3 versions each, newest first, some of them
 * tombstones; a restart interval; and queries: every key, and keys near them that may be absent.
 */
const searchCases = (() => {
  const tail = fc.uint8Array({ minLength: 0, maxLength: 6, max: 4 });
  return fc
    .record({
      prefix: fc.constantFrom('', 'u', 'user:0000'),
      tails: fc.uniqueArray(tail, { minLength: 1, maxLength: 60, comparator: (a, b) => compareBytes(a, b) === 0 }),
      versions: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 60, maxLength: 60 }),
      interval: fc.integer({ min: 1, max: 20 }),
      near: fc.array(tail, { maxLength: 20 }),
    })
    .map(({ prefix, tails, versions, interval, near }) => {
      const head = utf8(prefix);
      const keys = tails.map((t) => new Uint8Array([...head, ...t])).sort(compareBytes);
      const list: Entry[] = [];
      let seq = 10_000;
      for (const [i, key] of keys.entries()) {
        for (let v = 0; v < versions[i]!; v++) {
          const op = (i + v) % 5 === 3 ? 'delete' : 'put';
          list.push({ op, seq: seq--, key, value: op === 'put' ? utf8(`${i}.${v}`) : new Uint8Array(0) });
        }
      }
      return { list, interval, queries: [...near.map((t) => new Uint8Array([...head, ...t])), ...keys] };
    });
})();

function plain(entry: Entry) {
  return { op: entry.op, seq: entry.seq, key: toHex(entry.key), value: toHex(entry.value) };
}

describe('prefix-compressed data blocks', () => {
  for (const count of [1, 15, 16, 17, 33]) {
    it(`RoundTrip${count}: ${count} user:… keys come back whole, restart points every 16 entries`, async () => {
      const storage = new MemoryStorage();
      const list = userEntries(count);
      await build(storage, list);
      const reader = SstableReader.open(await storage.open(NAME), NAME);
      expect(reader.formatVersion).toBe(2);
      expect([...reader.scanFrom()].map(plain)).toEqual(list.map(plain));
      for (const [i, entry] of list.entries()) {
        const explain = new TableProbe();
        const result = reader.get(entry.key, undefined, undefined, explain);
        if (entry.op === 'put') expect(result).toMatchObject({ found: 'value', value: entry.value });
        else expect(result.found).toBe('tombstone');
        const restarts = explain.search?.restarts;
        expect(restarts?.points).toEqual(Array.from({ length: Math.ceil(count / 16) }, (_, r) => 16 * r));
        // The run scanned starts at the restart point at or before the key, and stops at the key.
        const restart = i === 0 ? 0 : Math.floor((i - 1) / 16);
        expect(restarts?.run).toEqual({ restart, from: 16 * restart, to: i });
        expect(explain.search?.at).toBe(i);
      }
      // A key between two stored ones, one before the first, one after the last.
      expect(reader.get(utf8('user:0000015')).found).toBe(count > 1 ? 'absent' : 'out-of-range');
      expect(reader.get(utf8('user:0000000')).found).toBe('out-of-range');
      const block = await blockOf(list, 16);
      expect(block.restartEntries).toEqual(Array.from({ length: Math.ceil(count / 16) }, (_, r) => 16 * r));
      expect(block.seek(utf8('user:0000015'))).toBe(Math.min(1, count));
      expect(block.seek(utf8('zzz'))).toBe(count);
      expect(block.seek(utf8(''))).toBe(0);
    });
  }

  it('SmallerThanVersion1: the same user:… keys take fewer bytes, and read the same', async () => {
    const list = userEntries(10_000);
    const sizes: Record<string, number> = {};
    for (const [label, formatVersion, restartInterval] of [
      ['version 1', 1, 16],
      ['version 2, restart 16', 2, 16],
      ['version 2, restart 1', 2, 1],
    ] as const) {
      const storage = new MemoryStorage();
      const built = await build(storage, list, { formatVersion, restartInterval, blockSize: 4096 });
      sizes[label] = built.size;
      const reader = SstableReader.open(await storage.open(NAME), NAME);
      expect(reader.formatVersion).toBe(formatVersion);
      expect([...reader.scanFrom(list[5000]!.key)].length).toBe(5000);
      expect(reader.get(list[4321]!.key)).toMatchObject({ found: 'value', value: list[4321]!.value });
    }
    console.log(`10,000 user:NNNNNN keys, 2-5 byte values, 4 KiB blocks: ${JSON.stringify(sizes)} bytes`);
    expect(sizes['version 2, restart 16']).toBeLessThan(0.7 * sizes['version 1']!);
    expect(sizes['version 2, restart 16']).toBeLessThan(sizes['version 2, restart 1']!);
  });

  it('Varint32RoundTrips: one byte below 128, five at most, and malformed ones refused', () => {
    for (const value of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 21, 2 ** 28, 2 ** 32 - 1]) {
      const out = new Uint8Array(8);
      const end = putVarint32(out, 1, value);
      expect(end - 1, `${value}`).toBe(varint32Size(value));
      expect(readVarint32(out, 1, end)).toBe(value * 8 + varint32Size(value));
      // Cut one byte short: refused, never a smaller number.
      expect(readVarint32(out, 1, end - 1)).toBe(-1);
    }
    expect(varint32Size(127)).toBe(1);
    expect(varint32Size(2 ** 32 - 1)).toBe(5);
    // Six bytes, or five that say more than 32 bits: not a varint32.
    expect(readVarint32(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 0, 6)).toBe(-1);
    expect(readVarint32(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x7f), 0, 5)).toBe(-1);
  });

  it('CopyWordsCopiesExactly: any length and offsets, the bytes before and after left alone', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        fc.nat(7),
        (source, a, b, at) => {
          const from = source.length === 0 ? 0 : a % source.length;
          const to = from + (source.length === 0 ? 0 : b % (source.length - from + 1));
          // Views that start inside their buffers, as a block body read from a file does.
          const sourceView = new DataView(source.buffer, source.byteOffset, source.byteLength);
          const out = new Uint8Array(at + to - from + 9).fill(0xee);
          const end = copyWords(sourceView, from, to, new DataView(out.buffer, 1), at);
          expect(end).toBe(at + to - from);
          expect([...out.subarray(1 + at, 1 + end)]).toEqual([...source.subarray(from, to)]);
          expect(out.subarray(0, 1 + at).every((x) => x === 0xee)).toBe(true);
          expect(out.subarray(1 + end).every((x) => x === 0xee)).toBe(true);
        },
      ),
    );
  });

  it('ReadmeExample: user:1 = Ada, user:2 = Bob make the block body engine/README.md shows', async () => {
    const storage = new MemoryStorage();
    const list: Entry[] = [
      { op: 'put', seq: 1, key: utf8('user:1'), value: utf8('Ada') },
      { op: 'put', seq: 2, key: utf8('user:2'), value: utf8('Bob') },
    ];
    await build(storage, list);
    const bytes = storage.snapshot(NAME);
    const body = unframeBlock(bytes.subarray(0, indexOffset(bytes)), NAME, 0, 'data block');
    expect(toHex(body)).toBe(
      '000603' +
        '01' +
        '0100000000000000' +
        '757365723a31' +
        '416461' +
        '050103' +
        '01' +
        '0200000000000000' +
        '32' +
        '426f62' +
        '00000000' +
        '01000000',
    );
  });

  it('RestartSearchMatchesALinearScan: find and seek, any keys, versions, restart interval', () => {
    return fc.assert(
      fc.asyncProperty(searchCases, async ({ list, interval, queries }) => {
        const block = await blockOf(list, interval);
        expect(block.count).toBe(list.length);
        for (const [i, entry] of list.entries()) expect(toHex(block.key(i))).toBe(toHex(entry.key));
        for (const q of queries) {
          const first = list.findIndex((e) => compareBytes(e.key, q) >= 0);
          const seek = first < 0 ? list.length : first;
          expect(block.seek(q)).toBe(seek);
          const equal = seek < list.length && compareBytes(list[seek]!.key, q) === 0;
          const search: BlockSearch = { entries: block.count, compared: [], at: -1 };
          expect(block.find(q, search)).toBe(equal ? seek : -1);
          // Every restart point the search compared is one; the run it scanned starts at one.
          const points = search.restarts!.points;
          expect(search.restarts!.probed.every((r) => r > 0 && r < points.length)).toBe(true);
          expect(points).toContain(search.restarts!.run.from);
          // Each comparison reports the entry's whole key and how it really compares with q (the scan compares
          // a run's keys without rebuilding them).
          for (const c of search.compared) {
            expect(c.key).toBe(toHex(list[c.entry]!.key));
            expect(c.order).toBe(Math.sign(compareBytes(list[c.entry]!.key, q)));
          }
        }
      }),
      { numRuns: Number(process.env.LSM_PROPERTY_RUNS ?? 150) },
    );
  });

  it('PointSearchMatchesALinearScan: a get of a block it does not keep finds the version a scan finds, any snapshot', () => {
    return fc.assert(
      fc.asyncProperty(searchCases, async ({ list, interval, queries }) => {
        const body = await bodyOf(list, interval);
        const atSeqs = [Number.POSITIVE_INFINITY, 10_000, ...list.filter((_, j) => j % 3 === 1).map((e) => e.seq)];
        for (const q of queries) {
          for (const atSeq of atSeqs) {
            // The newest version of q at or below atSeq: versions follow each other newest first.
            const want = list.find((e) => compareBytes(e.key, q) === 0 && e.seq <= atSeq);
            const hit = pointSearch(body, q, atSeq);
            if (want === undefined) expect(hit).toBeNull();
            else {
              expect(hit?.op).toBe(want.op === 'put' ? OP_PUT : OP_DELETE);
              expect(toHex(body.subarray(hit!.valueAt, hit!.valueAt + hit!.valueLength))).toBe(toHex(want.value));
            }
          }
        }
      }),
      { numRuns: Number(process.env.LSM_PROPERTY_RUNS ?? 150) },
    );
  });

  it('VersionsAcrossARestartPoint: a snapshot read finds its version when versions straddle a restart', async () => {
    // 20 versions of one key, newest first: with a restart every 16 (or every entry), some versions are stored whole.
    const list: Entry[] = Array.from({ length: 20 }, (_, v) => ({
      op: 'put',
      seq: 100 - v,
      key: utf8('user:000042'),
      value: utf8(`v${v}`),
    }));
    for (const restartInterval of [1, 2, 16]) {
      const storage = new MemoryStorage();
      await build(storage, list, { restartInterval });
      const reader = SstableReader.open(await storage.open(NAME), NAME);
      for (const [v, entry] of list.entries()) {
        expect(reader.get(entry.key, undefined, entry.seq)).toMatchObject({ found: 'value', value: utf8(`v${v}`) });
      }
      expect(reader.get(list[0]!.key, undefined, 50).found).toBe('absent');
    }
  });

  it('Version1FileStillReads: a stored version 1 table opens, gets and scans', async () => {
    // Written by the version 1 builder (before prefix compression): k1 put "one", k2 deleted, k3 put "three".
    const storage = new MemoryStorage();
    const file = await storage.open(NAME, { create: true });
    file.write(fromHexString(VERSION_1_TABLE), { at: 0 });
    file.close();
    const reader = SstableReader.open(await storage.open(NAME), NAME);
    expect(reader.formatVersion).toBe(SSTABLE_VERSION_FLAT);
    expect(reader.get(utf8('k1'))).toMatchObject({ found: 'value', value: utf8('one') });
    expect(reader.get(utf8('k2')).found).toBe('tombstone');
    expect(reader.get(utf8('k3'))).toMatchObject({ found: 'value', value: utf8('three') });
    expect([...reader.scanFrom()].map((e) => [text(e.key), e.op, e.seq])).toEqual([
      ['k1', 'put', 1],
      ['k2', 'delete', 3],
      ['k3', 'put', 2],
    ]);
    // The version 1 builder path still writes exactly those bytes.
    const again = new MemoryStorage();
    await build(again, VERSION_1_ENTRIES, { formatVersion: 1 });
    expect(toHex(again.snapshot(NAME))).toBe(VERSION_1_TABLE);
  });

  it('Version1TablesInATree: a database whose tables are version 1 reads them beside new version 2 tables', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { compaction: 'off' });
    for (let i = 0; i < 40; i++) await db.put(utf8(`user:${String(i).padStart(6, '0')}`), utf8(`old${i}`));
    await db.flush();
    await db.close();
    // Rewrite the table in version 1, the same entries, as a database made before format 2 would hold it.
    const [table] = (await storage.list()).filter((n) => n.endsWith('.sst'));
    const reader = SstableReader.open(await storage.open(table!), table!);
    const entries = [...reader.scanFrom()].map((e) => ({ ...e, key: e.key.slice(), value: e.value.slice() }));
    reader.close();
    await storage.remove(table!);
    await build(storage, entries, { formatVersion: 1, name: table!, blockSize: 4096 });
    const reopened = await LsmTree.open(storage, { compaction: 'off' });
    for (let i = 20; i < 60; i++) await reopened.put(utf8(`user:${String(i).padStart(6, '0')}`), utf8(`new${i}`));
    await reopened.flush();
    expect(text(await reopened.get(utf8('user:000005')))).toBe('old5');
    expect(text(await reopened.get(utf8('user:000006')))).toBe('old6'); // the version 1 block, kept parsed
    expect(text(await reopened.get(utf8('user:000025')))).toBe('new25');
    const all = [];
    for await (const [key, value] of reopened.scan()) all.push(`${text(key)}=${text(value)}`);
    expect(all).toHaveLength(60);
    expect(all[30]).toBe('user:000030=new30');
    await reopened.compact();
    await reopened.close();
  });

  it('RestartArrayDamage: a bad restart offset or count is corruption with the file and its byte', async () => {
    const { list, bytes, body } = await userTable();
    const view = new DataView(body.buffer);
    const countAt = body.length - 4;
    expect(view.getUint32(countAt, true)).toBe(3);
    const arrayAt = countAt - 12;
    const restart = (r: number) => view.getUint32(arrayAt + 4 * r, true);
    const entry15 = offsetOfEntry(body, 15);
    const cases: Array<{ what: string; damage: (damaged: DataView) => void; at: number }> = [
      // Restart point 1 moved one byte into entry 16: it no longer starts an entry.
      {
        what: 'offset inside an entry',
        damage: (d) => d.setUint32(arrayAt + 4, restart(1) + 1, true),
        at: arrayAt + 4,
      },
      // Restart point 2 before restart point 1.
      { what: 'offsets out of order', damage: (d) => d.setUint32(arrayAt + 8, 1, true), at: arrayAt + 8 },
      // Restart point 1 moved onto entry 15, which shares bytes with entry 14: not a whole key.
      { what: 'a restart at a shared key', damage: (d) => d.setUint32(arrayAt + 4, entry15, true), at: entry15 },
      // A count that would put the array before the block.
      { what: 'count too large', damage: (d) => d.setUint32(countAt, 1_000_000, true), at: countAt },
    ];
    for (const { what, damage, at } of cases) {
      const copy = body.slice();
      damage(new DataView(copy.buffer));
      const reader = await readerWithBlock(bytes, copy);
      for (const read of [() => reader.get(list[20]!.key), () => [...reader.scanFrom()]]) {
        const error = caught(read);
        expect(error, what).toBeInstanceOf(LsmError);
        expect((error as LsmError).code, what).toBe(ErrorCode.Corruption);
        expect((error as LsmError).file, what).toBe(NAME);
        expect((error as LsmError).offset, what).toBe(at);
      }
    }
  });

  it('EntryDamageOnAGetsPath: a get reports a malformed entry it reads with its byte; one it skips, a scan reports', async () => {
    const { list, bytes, body } = await userTable();
    // Entry 20 (in the run of restart point 1, entries 16-31) gets an op byte that is neither put nor delete, under
    // a valid checksum: only a writer's bug or crafted bytes look like this.
    const entry20 = offsetOfEntry(body, 20);
    body[entry20 + 3] = 7; // three one-byte varints (shared, unshared, value length), then the op
    const reader = await readerWithBlock(bytes, body);
    // A get whose run holds entry 20 reads it on its way to entry 21 (or to entry 20 itself): corruption, at its byte.
    for (const i of [20, 21, 25]) {
      const error = caught(() => reader.get(list[i]!.key));
      expect(error, `get of entry ${i}`).toBeInstanceOf(LsmError);
      expect(error).toMatchObject({ code: ErrorCode.Corruption, file: NAME, offset: entry20 });
    }
    // A get in another run never reads entry 20 (as LevelDB's block iterator): it answers. A scan reads every entry.
    expect(reader.get(list[3]!.key)).toMatchObject({ found: 'value', value: list[3]!.value });
    expect(reader.get(list[35]!.key)).toMatchObject({ found: 'value', value: list[35]!.value });
    expect(caught(() => [...reader.scanFrom()])).toMatchObject({ code: ErrorCode.Corruption, offset: entry20 });
  });

  it('RestartPointSteppedOver: a get whose scan passes a restart point inside an entry does not answer', () => {
    // Entry 0 (key "a") holds, as its value, the bytes of a whole entry (key "b", sharing nothing); restart point 1
    // points at them. The restart search takes them for an entry; a get of "a0" scans from restart point 0, where
    // the entry after "a" starts past restart point 1: the restart array does not match the entries.
    const fake = [0, 1, 0, OP_PUT, 1, 0, 0, 0, 0, 0, 0, 0, 0x62];
    const entry0 = [0, 1, fake.length, OP_PUT, 2, 0, 0, 0, 0, 0, 0, 0, 0x61, ...fake];
    const entry1 = [0, 1, 1, OP_PUT, 3, 0, 0, 0, 0, 0, 0, 0, 0x63, 0x78];
    const end = entry0.length + entry1.length;
    const body = new Uint8Array([...entry0, ...entry1, 0, 0, 0, 0, 13, 0, 0, 0, 2, 0, 0, 0]);
    expect(pointSearch(body, utf8('a0'), Number.POSITIVE_INFINITY)).toBeUndefined();
    // Undefined sends the get to the whole parse, which names the restart point's bytes.
    expect(caught(() => parsePrefixBlock(body, NAME, 0, true))).toMatchObject({
      code: ErrorCode.Corruption,
      offset: end + 4,
    });
  });

  it('ReadTraceTellsTheRestartSearch: probed restart points, the run scanned, each comparison marked', async () => {
    const events: EngineEvent[] = [];
    const db = await LsmTree.open(new MemoryStorage(), { compaction: 'off', blockSize: 64 * 1024, bloomBitsPerKey: 0 });
    for (let i = 1; i <= 48; i++) await db.put(utf8(`user:${String(i).padStart(6, '0')}`), utf8(`v${i}`));
    await db.flush();
    db.subscribe((e) => events.push(e));
    expect(text(await db.get(utf8('user:000037')))).toBe('v37');
    const verdict = events.find((e) => e.type === 'read.sstable');
    if (verdict?.type !== 'read.sstable') throw new Error('no read.sstable event');
    // Restart points at entries 0, 16, 32; key 37 is entry 36: the search settles on restart 2 (entry 32), then
    // scans its run: entries 33..36 (32 was compared already, as a restart point).
    expect(verdict.search?.restarts).toEqual({
      points: [0, 16, 32],
      probed: [1, 2],
      run: { restart: 2, from: 32, to: 36 },
    });
    const steps = events.filter((e) => e.type === 'read.compare');
    expect(
      steps.map((e) => (e.type === 'read.compare' ? [e.entry, e.restart ?? null, e.run ?? null, e.order] : [])),
    ).toEqual([
      [16, 1, null, -1],
      [32, 2, null, -1],
      [33, null, 2, -1],
      [34, null, 2, -1],
      [35, null, 2, -1],
      [36, null, 2, 0],
    ]);
    await db.close();
  });

  it('RestartIntervalIsASetting: 0 is refused, and a new interval shapes new tables', async () => {
    await expect(LsmTree.open(new MemoryStorage(), { restartInterval: 0 })).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    const events: EngineEvent[] = [];
    const db = await LsmTree.open(new MemoryStorage(), { restartInterval: 4, compaction: 'off', bloomBitsPerKey: 0 });
    for (let i = 1; i <= 10; i++) await db.put(utf8(`user:${String(i).padStart(6, '0')}`), utf8('v'));
    await db.flush();
    db.subscribe((e) => events.push(e));
    await db.get(utf8('user:000003'));
    const verdict = events.find((e) => e.type === 'read.sstable');
    expect(verdict?.type === 'read.sstable' && verdict.search?.restarts?.points).toEqual([0, 4, 8]);
    await db.close();
  });
});

/** A one-block table of userEntries(40): the entries, the table's bytes, and a copy of its data block's body. */
async function userTable(): Promise<{ list: Entry[]; bytes: Uint8Array; body: Uint8Array }> {
  const list = userEntries(40);
  const storage = new MemoryStorage();
  await build(storage, list);
  const bytes = storage.snapshot(NAME);
  const body = unframeBlock(bytes.subarray(0, indexOffset(bytes)), NAME, 0, 'data block').slice();
  return { list, bytes, body };
}

/**
 * A reader of the table `bytes` whose data block is `body` instead, framed with a valid checksum: damage only a
 * writer's bug or crafted bytes make, which the checksum cannot catch and the parse must.
 */
async function readerWithBlock(bytes: Uint8Array, body: Uint8Array): Promise<SstableReader> {
  const framed = frameBlock(body, 'none');
  expect(framed.length).toBe(indexOffset(bytes)); // the same length: every offset after the block still holds
  const storage = new MemoryStorage();
  const file = await storage.open(NAME, { create: true });
  file.write(bytes, { at: 0 });
  file.write(framed, { at: 0 });
  file.close();
  return SstableReader.open(await storage.open(NAME), NAME);
}

/** Where entry i starts in a prefix-compressed body (every entry here: one-byte varints). */
function offsetOfEntry(body: Uint8Array, i: number): number {
  let p = 0;
  for (let e = 0; e < i; e++) {
    const unshared = body[p + 1]!;
    const valueLength = body[p + 2]!;
    p += 3 + 9 + unshared + valueLength;
  }
  return p;
}

function fromHexString(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (byte) => Number.parseInt(byte, 16));
}

const VERSION_1_ENTRIES: Entry[] = [
  { op: 'put', seq: 1, key: utf8('k1'), value: utf8('one') },
  { op: 'delete', seq: 3, key: utf8('k2'), value: new Uint8Array(0) },
  { op: 'put', seq: 2, key: utf8('k3'), value: utf8('three') },
];
/** The bytes the version 1 builder (commit e8349fc, before format 2) wrote for VERSION_1_ENTRIES. */
const VERSION_1_TABLE =
  '010100000000000000020000006b31030000006f6e65020300000000000000020000006b3200000000010200000000000000020000006b3305000000746872656503000000001b95b426020000006b31000000004a000000010000000051f66c184a00000017000000610000000000000003000000010000004500000001000000000000000300000000000000020000006b31020000006b331203e0a138000000010000004c534d54';
