// SSTables: built with SstableBuilder into many small blocks, read back with SstableReader. A point read
// touches exactly one data block; every damaged byte is reported as corruption, never as a wrong value.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, MemoryStorage, utf8 } from '../../../engine';
import type { Entry } from '../../../engine/codec/entry';
import { SstableBuilder } from '../../../engine/sstable/builder';
import { TRAILER_SIZE } from '../../../engine/sstable/format';
import { SstableReader } from '../../../engine/sstable/reader';
import type { StorageFile } from '../../../engine/storage/storage';
import { copyStorage, flippedByte } from '../support/storage';
import { pad } from '../support/tree';

const NAME = '000007.sst';

/** Keys k0000, k0002, k0004, ...: the odd ones are absent but inside the table's range. Every 5th is a delete. */
function entries(count: number): Entry[] {
  return Array.from({ length: count }, (_, i) => {
    const key = utf8(`k${pad(2 * i)}`);
    return i % 5 === 3
      ? { op: 'delete' as const, seq: i + 1, key, value: new Uint8Array(0) }
      : { op: 'put' as const, seq: i + 1, key, value: utf8(`value-${i}`) };
  });
}

async function buildTable(storage: MemoryStorage, list: Entry[], blockSize = 64) {
  const file = await storage.open(NAME, { create: true });
  const builder = new SstableBuilder(file, NAME, { blockSize, bloomBitsPerKey: 0, compression: 'none' });
  for (const entry of list) builder.add(entry);
  const built = builder.finish();
  file.flush();
  file.close();
  return built;
}

/** The file's reads, recorded on their way to the real MemoryStorage handle underneath. */
function recordingReads(file: StorageFile) {
  const reads: Array<{ at: number; length: number }> = [];
  const wrapped: StorageFile = {
    read: (buffer, options) => {
      reads.push({ at: options?.at ?? 0, length: buffer.length });
      return file.read(buffer, options);
    },
    write: (buffer, options) => file.write(buffer, options),
    truncate: (size) => file.truncate(size),
    getSize: () => file.getSize(),
    flush: () => file.flush(),
    close: () => file.close(),
  };
  return { wrapped, reads };
}

/** Where the index block starts, from the footer: everything from here to the end is metadata. */
function indexOffset(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerLength = view.getUint32(bytes.length - TRAILER_SIZE + 4, true);
  return view.getUint32(bytes.length - TRAILER_SIZE - footerLength, true);
}

async function expectCorruption(action: () => unknown, file: string, size: number): Promise<LsmError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LsmError);
  const error = caught as LsmError;
  expect(error.code).toBe(ErrorCode.Corruption);
  expect(error.file).toBe(file);
  expect(error.offset).toBeGreaterThanOrEqual(0);
  expect(error.offset).toBeLessThan(size);
  return error;
}

describe('SSTable', () => {
  it('RoundTrip: metadata, and every key read back from a single block', async () => {
    const storage = new MemoryStorage();
    const list = entries(60);
    const built = await buildTable(storage, list);
    expect(built.blocks).toBeGreaterThan(10);
    expect(built.entries).toBe(60);
    expect(built.size).toBe(storage.snapshot(NAME).length);
    expect(built.smallest).toEqual(utf8('k0000'));
    expect(built.largest).toEqual(utf8(`k${pad(118)}`));

    const { wrapped, reads } = recordingReads(await storage.open(NAME));
    const reader = SstableReader.open(wrapped, NAME);
    expect(reader.blockCount).toBe(built.blocks);
    expect(reader.entries).toBe(60);
    expect(reader.size).toBe(built.size);
    const blocksSeen = new Set<number>();
    for (const entry of list) {
      reads.length = 0;
      const result = reader.get(entry.key);
      expect(result.found).toBe(entry.op === 'put' ? 'value' : 'tombstone');
      if (result.found === 'out-of-range' || result.found === 'bloom-negative') throw new Error('unreachable');
      if (result.found === 'value') expect(result.value).toEqual(entry.value);
      expect(reads).toEqual([{ at: result.block.offset, length: result.block.length }]);
      blocksSeen.add(result.block.index);
    }
    expect(blocksSeen.size).toBe(built.blocks);
    reader.close();
  });

  it('AbsentKeyInsideTheRangeReadsOneBlock; a key outside the range reads none', async () => {
    const storage = new MemoryStorage();
    await buildTable(storage, entries(60));
    const { wrapped, reads } = recordingReads(await storage.open(NAME));
    const reader = SstableReader.open(wrapped, NAME);
    for (let i = 1; i < 118; i += 2) {
      reads.length = 0;
      const result = reader.get(utf8(`k${pad(i)}`));
      expect(result.found).toBe('absent');
      expect(reads).toHaveLength(1);
    }
    for (const key of ['a', 'k', `k${pad(118)}0`, 'k2', 'z', '\u{1F600}']) {
      reads.length = 0;
      expect(reader.get(utf8(key))).toEqual({ found: 'out-of-range' });
      expect(reads).toEqual([]);
    }
    // Inside the range but shorter / between blocks: still a single block.
    reads.length = 0;
    expect(reader.get(utf8('k0001')).found).toBe('absent');
    expect(reads).toHaveLength(1);
  });

  it('ScanFromReturnsEverythingInOrder, tombstones included, from any start', async () => {
    const storage = new MemoryStorage();
    const list = entries(60);
    await buildTable(storage, list);
    const reader = SstableReader.open(await storage.open(NAME), NAME);
    expect([...reader.scanFrom()]).toEqual(list);
    expect([...reader.scanFrom(utf8('k0040'))]).toEqual(list.slice(20));
    expect([...reader.scanFrom(utf8('k0041'))]).toEqual(list.slice(21));
    expect([...reader.scanFrom(utf8('a'))]).toEqual(list);
    expect([...reader.scanFrom(utf8('z'))]).toEqual([]);
  });

  it('OneEntryTable and a table whose entries are bigger than a block', async () => {
    const storage = new MemoryStorage();
    const big: Entry[] = [
      { op: 'put', seq: 1, key: utf8('a'), value: new Uint8Array(500).fill(1) },
      { op: 'put', seq: 2, key: utf8('b'), value: new Uint8Array(500).fill(2) },
    ];
    const built = await buildTable(storage, big, 64);
    expect(built.blocks).toBe(2);
    const reader = SstableReader.open(await storage.open(NAME), NAME);
    expect(reader.get(utf8('b'))).toMatchObject({ found: 'value', value: big[1]!.value });

    const single = new MemoryStorage();
    await buildTable(single, [big[0]!]);
    const one = SstableReader.open(await single.open(NAME), NAME);
    expect(one.get(utf8('a'))).toMatchObject({ found: 'value', value: big[0]!.value });
    expect(one.get(utf8('b'))).toEqual({ found: 'out-of-range' });
  });

  it('BuilderRefusesKeysOutOfOrder', async () => {
    const storage = new MemoryStorage();
    const builder = new SstableBuilder(await storage.open(NAME, { create: true }), NAME, {
      blockSize: 64,
      bloomBitsPerKey: 0,
      compression: 'none',
    });
    builder.add({ op: 'put', seq: 1, key: utf8('b'), value: utf8('1') });
    for (const key of ['a', 'b']) {
      expect(() => builder.add({ op: 'put', seq: 2, key: utf8(key), value: utf8('2') })).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidArgument }),
      );
    }
  });

  it('DataBlockChecksumMismatch: get throws corruption with the file and the block offset', async () => {
    const storage = new MemoryStorage();
    const list = entries(60);
    const built = await buildTable(storage, list);
    const reader = SstableReader.open(await storage.open(NAME), NAME);
    const target = list[30]!;
    const result = reader.get(target.key);
    if (result.found === 'out-of-range' || result.found === 'bloom-negative') throw new Error('unreachable');
    const { block } = result;
    storage.poke(NAME, block.offset + 3, flippedByte(storage.snapshot(NAME), block.offset + 3));
    const error = await expectCorruption(() => reader.get(target.key), NAME, built.size);
    expect(error.offset).toBe(block.offset);
    // Other blocks still read fine: the damage is reported where it is.
    expect(reader.get(list[0]!.key)).toMatchObject({ found: 'value', value: list[0]!.value });
    await expectCorruption(() => [...reader.scanFrom()], NAME, built.size);
  });

  it('EveryDamagedByteIsCaught: open, get or scan throws corruption, never a wrong value', async () => {
    const pristine = new MemoryStorage();
    const list = entries(12);
    const built = await buildTable(pristine, list);
    const bytes = pristine.snapshot(NAME);
    const metadataAt = indexOffset(bytes);
    for (let at = 0; at < bytes.length; at++) {
      const storage = await copyStorage(pristine);
      storage.poke(NAME, at, flippedByte(bytes, at));
      const file = await storage.open(NAME);
      if (at >= metadataAt) {
        // Index, footer or trailer: the table cannot be opened at all.
        await expectCorruption(() => SstableReader.open(file, NAME), NAME, built.size);
        continue;
      }
      const reader = SstableReader.open(file, NAME);
      await expectCorruption(() => [...reader.scanFrom()], NAME, built.size);
      const failures = list.filter((entry) => {
        try {
          const result = reader.get(entry.key);
          expect(result).toMatchObject(
            entry.op === 'put' ? { found: 'value', value: entry.value } : { found: 'tombstone' },
          );
          return false;
        } catch (error) {
          expect(error).toMatchObject({ code: ErrorCode.Corruption, file: NAME });
          return true;
        }
      });
      expect(failures.length).toBeGreaterThan(0);
    }
  });

  it('FooterOrIndexDamage: open throws corruption and a corruption error names the file', async () => {
    const storage = new MemoryStorage();
    const built = await buildTable(storage, entries(60));
    const bytes = storage.snapshot(NAME);
    const at = indexOffset(bytes);
    const index = await copyStorage(storage);
    index.poke(NAME, at + 1, flippedByte(bytes, at + 1));
    const indexError = await expectCorruption(
      async () => SstableReader.open(await index.open(NAME), NAME),
      NAME,
      built.size,
    );
    expect(indexError.offset).toBe(at);

    const footer = await copyStorage(storage);
    const footerAt = bytes.length - TRAILER_SIZE - 10;
    footer.poke(NAME, footerAt, flippedByte(bytes, footerAt));
    await expectCorruption(async () => SstableReader.open(await footer.open(NAME), NAME), NAME, built.size);

    const cut = await copyStorage(storage);
    cut.cut(NAME, bytes.length - 1);
    await expectCorruption(async () => SstableReader.open(await cut.open(NAME), NAME), NAME, built.size);
  });
});
