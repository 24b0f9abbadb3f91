// CRC32C (Castagnoli) against the RFC 3720 (iSCSI) appendix B.4 test vectors, and the incremental form
// the WAL and SSTable code rely on; the WebAssembly version (crc32c.wat) against the JavaScript one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import wabt from 'wabt';
import { crc32c, utf8 } from '../../../engine';
import { checksumScratch, crc32cAccelerated, crc32cOf, crc32cPortable } from '../../../engine/codec/crc32c';
import { CRC32C_WASM_BASE64 } from '../../../engine/codec/crc32c-wasm';

const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
const descending = Uint8Array.from({ length: 32 }, (_, i) => 31 - i);

describe('crc32c', () => {
  it('RFC3720_B4_ThirtyTwoZeroBytes', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('RFC3720_B4_ThirtyTwoOnesBytes', () => {
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('RFC3720_B4_IncreasingBytes', () => {
    expect(crc32c(ascending)).toBe(0x46dd794e);
  });

  it('RFC3720_B4_DecreasingBytes', () => {
    expect(crc32c(descending)).toBe(0x113fdb5c);
  });

  it('CheckValue: "123456789" gives the catalogue check value', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
  });

  it('EmptyInputIsZero, and the result is always an unsigned 32-bit integer', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const value = crc32c(new Uint8Array(32).fill(0xff));
    expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
  });

  it('Extend: crc32c(b, crc32c(a)) === crc32c(a ++ b) at every split point', () => {
    const whole = utf8('The quick brown fox jumps over the lazy dog \u{1F600}');
    const expected = crc32c(whole);
    for (let split = 0; split <= whole.length; split++) {
      expect(crc32c(whole.subarray(split), crc32c(whole.subarray(0, split)))).toBe(expected);
    }
    expect(crc32c(descending, crc32c(ascending))).toBe(crc32c(Uint8Array.from([...ascending, ...descending])));
  });

  it('DetectsEverySingleBitFlip in a short message', () => {
    const message = utf8('123456789');
    const good = crc32c(message);
    for (let byte = 0; byte < message.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = message.slice();
        damaged[byte]! ^= 1 << bit;
        expect(crc32c(damaged)).not.toBe(good);
      }
    }
  });

  it('WordLoopMatchesTheBytewiseDefinition at every alignment and length', () => {
    // The reference: one byte per step, straight from the definition (polynomial 0x82F63B78, reflected).
    const reference = (bytes: Uint8Array): number => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return ~crc >>> 0;
    };
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 2654435761) >>> 24);
    for (let offset = 0; offset < 8; offset++) {
      for (const length of [0, 1, 3, 4, 5, 15, 16, 17, 31, 64, 67, 150]) {
        const view = data.subarray(offset, offset + length);
        expect(crc32c(view)).toBe(reference(view));
      }
    }
    // Buffers change under the cached word view: another buffer, then a resizable one that grows and shrinks.
    expect(crc32c(data.slice(3, 90))).toBe(reference(data.subarray(3, 90)));
    // (Resizable ArrayBuffers are ES2024; the project's lib is older, so the constructor is typed here.)
    type Resizable = ArrayBuffer & { resize(length: number): void };
    const Growable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable;
    const resizable = new Growable(64, { maxByteLength: 256 });
    const grown = new Uint8Array(resizable);
    grown.set(data.subarray(0, 64));
    expect(crc32c(new Uint8Array(resizable, 0, 64))).toBe(reference(data.subarray(0, 64)));
    resizable.resize(200);
    new Uint8Array(resizable).set(data);
    expect(crc32c(new Uint8Array(resizable, 8, 180))).toBe(reference(data.subarray(8, 188)));
    resizable.resize(40);
    expect(crc32c(new Uint8Array(resizable, 4, 36))).toBe(reference(data.subarray(4, 40)));
  });
});

describe('crc32c in WebAssembly (crc32c.wat, inputs of 512 bytes or more)', () => {
  const random = (length: number, seed: number): Uint8Array =>
    Uint8Array.from({ length }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) ^ (i >>> 8));

  it('is what this runtime uses', () => {
    expect(crc32cAccelerated()).toBe(true);
  });

  it('TheCommittedBytesAreCrc32cWatCompiled (npm run wasm after an edit of the .wat)', async () => {
    const source = readFileSync(join(import.meta.dirname, '../../../engine/codec/crc32c.wat'), 'utf8');
    const module = (await wabt()).parseWat('crc32c.wat', source);
    const { buffer } = module.toBinary({});
    module.destroy();
    expect(Buffer.from(buffer).toString('base64')).toBe(CRC32C_WASM_BASE64);
  });

  it('MatchesTheJavaScriptLoop around the threshold, the window and the two halves, at every alignment', () => {
    const data = random(3 * 65536 + 100, 7);
    for (const length of [511, 512, 513, 543, 544, 545, 4096, 4143, 65535, 65536, 65537, 65568, 131072 + 31, 196608]) {
      for (const offset of [0, 1, 2, 3]) {
        for (const previous of [0, 0xffffffff, 0x1234abcd]) {
          const end = offset + length;
          expect(crc32cOf(data, offset, end, previous)).toBe(crc32cPortable(data, offset, end, previous));
        }
      }
    }
    // And against the definition, one bit per step, for a block-sized input.
    let bitwise = 0xffffffff;
    for (const byte of data.subarray(5, 5 + 4143)) {
      bitwise ^= byte;
      for (let bit = 0; bit < 8; bit++) bitwise = bitwise & 1 ? (bitwise >>> 1) ^ 0x82f63b78 : bitwise >>> 1;
    }
    expect(crc32cOf(data, 5, 5 + 4143)).toBe(~bitwise >>> 0);
  });

  it('ChecksumsItsScratchWhereItLies: the same values, and the copy window left alone', () => {
    const data = random(98_304, 5);
    const scratch = checksumScratch(data.length);
    expect(scratch?.length).toBe(98_304);
    expect(checksumScratch(98_305)).toBeUndefined(); // larger than the module holds: the caller uses its own buffer
    scratch!.set(data);
    for (const [start, end] of [
      [0, 512],
      [1, 4143],
      [17, 65_536 + 40],
      [0, 98_304],
    ] as const) {
      expect(crc32cOf(scratch!, start, end, 9)).toBe(crc32cPortable(data, start, end, 9));
    }
    // An input copied in meanwhile does not disturb the scratch's bytes.
    crc32c(random(70_000, 6));
    expect(crc32cOf(scratch!, 0, 98_304)).toBe(crc32cPortable(data, 0, 98_304));
  });

  it('Extend: crc32c(b, crc32c(a)) === crc32c(a ++ b) when either side is long', () => {
    const whole = random(70_000, 3);
    const expected = crc32cPortable(whole, 0, whole.length);
    for (const split of [0, 1, 511, 512, 4096, 65536, 69_488, 69_999, 70_000]) {
      expect(crc32c(whole.subarray(split), crc32c(whole.subarray(0, split)))).toBe(expected);
    }
  });

  it('DetectsASingleBitFlip anywhere in a 4 KiB block', () => {
    const block = random(4143, 11);
    const good = crc32c(block);
    for (let byte = 0; byte < block.length; byte += 97) {
      const damaged = block.slice();
      damaged[byte]! ^= 1 << (byte & 7);
      expect(crc32c(damaged)).not.toBe(good);
    }
  });

  it('property: equals the JavaScript loop for any bytes, range and previous value', () => {
    fc.assert(
      fc.property(
        // From just under the threshold up (shorter inputs never reach the WebAssembly).
        fc.uint8Array({ minLength: 480, maxLength: 9000, size: 'max' }),
        fc.nat(40),
        fc.nat(40),
        fc.nat({ max: 0xffffffff }),
        (bytes, cutStart, cutEnd, previous) => {
          const start = Math.min(cutStart, bytes.length);
          const end = Math.max(start, bytes.length - cutEnd);
          expect(crc32cOf(bytes, start, end, previous)).toBe(crc32cPortable(bytes, start, end, previous));
        },
      ),
      { numRuns: Number(process.env.LSM_PROPERTY_RUNS ?? 150) },
    );
  });
});
