// Block framing and deflate compression: every block round-trips, a block that would not shrink stays raw,
// repetitive values take clearly less room on storage, and a damaged compressed block is reported as
// corruption at its file and offset, before a byte of it is decompressed.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { crc32c } from '../../../engine/codec/crc32c';
import { BLOCK_DEFLATE, BLOCK_FRAME_SIZE, BLOCK_RAW, frameBlock, unframeBlock } from '../../../engine/sstable/block';
import { eventLog } from '../support/events';
import { seededRandom } from '../support/random';
import { flippedByte } from '../support/storage';
import { caught, pad, scanAll, text } from '../support/tree';

const FILE = '000042.sst';
const typeOf = (framed: Uint8Array) => framed[framed.length - BLOCK_FRAME_SIZE];

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => random.below(256));
}

/** A frame with a valid checksum around whatever body and type byte we choose. */
function forgedFrame(stored: Uint8Array, type: number): Uint8Array {
  const out = new Uint8Array(stored.length + BLOCK_FRAME_SIZE);
  out.set(stored);
  out[stored.length] = type;
  new DataView(out.buffer).setUint32(stored.length + 1, crc32c(out.subarray(0, stored.length + 1)), true);
  return out;
}

const repetitive = (i: number) => utf8(`value ${i % 7}: ${'the quick brown fox jumps over the lazy dog '.repeat(4)}`);

describe('Block framing', () => {
  const bodies: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(0x2a)],
    ['text', utf8('hello, hello, hello, hello, hello, hello, hello, hello')],
    ['zeros', new Uint8Array(4096)],
    ['random', randomBytes(3000, 1)],
  ];

  it('RoundTrip with none and deflate, for every kind of body', () => {
    for (const [name, body] of bodies) {
      for (const compression of ['none', 'deflate'] as const) {
        const framed = frameBlock(body, compression);
        expect(unframeBlock(framed, FILE, 100, 'data block'), `${name}, ${compression}`).toEqual(body);
      }
    }
  });

  it('NoneStoresTheBodyAsIs: body | type 0 | CRC32C of body and type', () => {
    const body = utf8('abcabcabcabcabcabcabcabcabcabcabcabc');
    const framed = frameBlock(body, 'none');
    expect(framed).toHaveLength(body.length + BLOCK_FRAME_SIZE);
    expect(framed.subarray(0, body.length)).toEqual(body);
    expect(typeOf(framed)).toBe(BLOCK_RAW);
    const view = new DataView(framed.buffer);
    expect(view.getUint32(body.length + 1, true)).toBe(crc32c(framed.subarray(0, body.length + 1)));
  });

  it('DeflateShrinksRepetitiveBodies: type 1, much smaller', () => {
    const body = utf8('the quick brown fox '.repeat(200));
    const framed = frameBlock(body, 'deflate');
    expect(typeOf(framed)).toBe(BLOCK_DEFLATE);
    expect(framed.length).toBeLessThan(body.length / 10);
    expect(unframeBlock(framed, FILE, 0, 'data block')).toEqual(body);
  });

  it('IncompressibleDataStaysRaw: type 0, exactly the body plus the frame', () => {
    for (const [length, seed] of [
      [16, 2],
      [512, 3],
      [4096, 4],
    ] as const) {
      const body = randomBytes(length, seed);
      const framed = frameBlock(body, 'deflate');
      expect(typeOf(framed)).toBe(BLOCK_RAW);
      expect(framed).toEqual(frameBlock(body, 'none'));
    }
    // Tiny bodies cannot win an eighth back from deflate's own overhead either.
    expect(typeOf(frameBlock(Uint8Array.of(1, 2, 3), 'deflate'))).toBe(BLOCK_RAW);
    expect(typeOf(frameBlock(new Uint8Array(0), 'deflate'))).toBe(BLOCK_RAW);
  });

  it('EveryFlippedByteOfACompressedFrameIsACorruptionAtTheBlock', () => {
    const framed = frameBlock(utf8('the quick brown fox '.repeat(50)), 'deflate');
    expect(typeOf(framed)).toBe(BLOCK_DEFLATE);
    for (let at = 0; at < framed.length; at++) {
      const damaged = framed.slice();
      damaged[at]! ^= 0xff;
      const error = caught(() => unframeBlock(damaged, FILE, 700, 'data block'));
      expect(error, `byte ${at}`).toBeInstanceOf(LsmError);
      expect(error).toMatchObject({ code: ErrorCode.Corruption, file: FILE, offset: 700 });
      expect((error as LsmError).message).toContain('checksum mismatch');
    }
  });

  it('ABodyThatPassesItsChecksumButDoesNotInflateIsCorruption, not a raw exception', () => {
    // 0x07: final block, block type 3, which deflate reserves. 0x04: a dynamic-Huffman block cut off at its header.
    for (const stored of [Uint8Array.of(0x07, 0x00, 0x00), Uint8Array.of(0x04)]) {
      const error = caught(() => unframeBlock(forgedFrame(stored, BLOCK_DEFLATE), FILE, 300, 'data block'));
      expect(error).toBeInstanceOf(LsmError);
      expect(error).toMatchObject({ code: ErrorCode.Corruption, file: FILE, offset: 300 });
      expect((error as LsmError).message).toContain('does not decompress');
    }
  });

  it('UnknownTypeAndTooShortFramesAreCorruption', () => {
    const error = caught(() => unframeBlock(forgedFrame(utf8('abcd'), 9), FILE, 300, 'data block'));
    expect(error).toBeInstanceOf(LsmError);
    expect(error).toMatchObject({ code: ErrorCode.Corruption, file: FILE, offset: 304 });
    expect((error as LsmError).message).toContain('unknown type 9');
    for (const length of [0, 1, 4]) {
      const short = caught(() => unframeBlock(new Uint8Array(length), FILE, 12, 'index block'));
      expect(short).toMatchObject({ code: ErrorCode.Corruption, file: FILE, offset: 12 });
    }
  });
});

describe('Compression in the tree', () => {
  async function filled(compression: 'none' | 'deflate') {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { compression, memtableBytes: 16 * 1024, blockSize: 2048 });
    for (let i = 0; i < 600; i++) await db.put(utf8(`key${pad(i)}`), repetitive(i));
    await db.flush();
    return { storage, db };
  }

  it('RepetitiveValuesTakeClearlyLessRoom, and all read back equal', async () => {
    const { storage, db } = await filled('deflate');
    const stats = await db.stats();
    const ratio = stats.tableDataBytes / stats.tableBytes;
    console.log(
      `deflate compression ratio: ${ratio.toFixed(2)}x (${stats.tableDataBytes} data bytes stored in ${stats.tableBytes} bytes of SSTables)`,
    );
    expect((await db.describe()).tables.length).toBeGreaterThan(1);
    expect(stats.tableBytes).toBeLessThan(stats.tableDataBytes / 3);
    // Without compression the same data takes more than its data bytes (index, filter, footer on top).
    const plain = await (await filled('none')).db.stats();
    expect(plain.tableDataBytes).toBe(stats.tableDataBytes);
    expect(plain.tableBytes).toBeGreaterThan(plain.tableDataBytes);
    expect(stats.diskBytes).toBeLessThan(plain.diskBytes / 2);

    for (let i = 0; i < 600; i++) expect(await db.get(utf8(`key${pad(i)}`))).toEqual(repetitive(i));
    const pairs = await scanAll(db);
    expect(pairs).toHaveLength(600);
    pairs.forEach(([key, value], i) => {
      expect(text(key)).toBe(`key${pad(i)}`);
      expect(value).toEqual(repetitive(i));
    });
    // And after recovery, from the compressed files alone.
    await db.close();
    const reopened = await LsmTree.open(storage);
    for (let i = 0; i < 600; i += 13) expect(await reopened.get(utf8(`key${pad(i)}`))).toEqual(repetitive(i));
  });

  it('CompressionChangedAtRunTime: old tables stay raw, new ones are compressed, all read back', async () => {
    const storage = new MemoryStorage();
    const log = eventLog();
    const db = await LsmTree.open(storage, { compaction: 'off', blockSize: 1024, onEvent: log.record });
    for (let i = 0; i < 100; i++) await db.put(utf8(`a${pad(i)}`), repetitive(i));
    await db.flush();
    await db.setOptions({ compression: 'deflate' });
    for (let i = 0; i < 100; i++) await db.put(utf8(`b${pad(i)}`), repetitive(i));
    await db.flush();
    const [raw, packed] = log.of('sstable.write').map((e) => e.table);
    expect(raw!.size).toBeGreaterThan(raw!.dataBytes);
    expect(packed!.size).toBeLessThan(packed!.dataBytes / 3);
    for (const table of [raw!, packed!]) {
      const bytes = storage.snapshot(table.file);
      // The first data block's type byte: its length is where the second block (or the index) begins.
      log.clear();
      await db.lookup(utf8(table === raw ? 'a0000' : 'b0000'));
      const read = log.of('read.sstable').find((e) => e.file === table.file)!;
      expect(bytes[read.blockOffset! + read.blockSize! - BLOCK_FRAME_SIZE]).toBe(
        table === raw ? BLOCK_RAW : BLOCK_DEFLATE,
      );
    }
    for (let i = 0; i < 100; i++) {
      expect(await db.get(utf8(`a${pad(i)}`))).toEqual(repetitive(i));
      expect(await db.get(utf8(`b${pad(i)}`))).toEqual(repetitive(i));
    }
  });

  it('AFlippedByteInACompressedBlockIsCorruptionWithFileAndOffset, never a wrong value', async () => {
    const log = eventLog();
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, {
      compression: 'deflate',
      compaction: 'off',
      blockSize: 1024,
      onEvent: log.record,
    });
    for (let i = 0; i < 200; i++) await db.put(utf8(`key${pad(i)}`), repetitive(i));
    await db.flush();
    const key = utf8(`key${pad(100)}`);
    await db.lookup(key);
    const read = log.of('read.sstable').at(-1)!;
    const { file } = read;
    const offset = read.blockOffset!;
    const pristine = storage.snapshot(file);
    expect(pristine[offset + read.blockSize! - BLOCK_FRAME_SIZE]).toBe(BLOCK_DEFLATE);

    for (let at = offset; at < offset + read.blockSize!; at++) {
      storage.poke(file, at, flippedByte(pristine, at));
      db.evictCache(file); // the cache holds the block as verified before the damage
      log.clear();
      const error = await db.get(key).then(
        (value) => new Error(`byte ${at}: read ${value?.length} bytes instead of failing`),
        (e: unknown) => e,
      );
      expect(error, `byte ${at}`).toBeInstanceOf(LsmError);
      expect(error).toMatchObject({ code: ErrorCode.Corruption, file, offset });
      expect((error as LsmError).message).toContain(file);
      expect(log.of('corruption')).toMatchObject([{ file, offset }]);
      const scanned = await scanAll(db).catch((e: unknown) => e);
      expect(scanned).toMatchObject({ code: ErrorCode.Corruption, file, offset });
      storage.poke(file, at, pristine.subarray(at, at + 1));
    }
    // Repaired byte by byte as it went: the block reads again.
    expect(await db.get(key)).toEqual(repetitive(100));
    // Thousands of damaged copies: seconds of work, more on a shared machine.
  }, 60_000);
});
