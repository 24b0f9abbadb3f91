// CRC32C (Castagnoli), the checksum LevelDB, RocksDB, ext4 and iSCSI use. Written by hand because it
// is short and worth reading: a table-driven, reflected CRC with polynomial 0x82F63B78.
// Tested against the RFC 3720 (iSCSI) appendix B.4 vectors in test/unit/engine/crc32c.test.ts.
//
// The classic loop takes one byte per step through one 256-entry table. "Slicing-by-8" (Intel, 2006)
// takes eight bytes per step through eight tables: table k holds the CRC of a byte followed by k zero bytes,
// so eight lookups, xored, advance the register by eight bytes at once. Slicing-by-16, used here, takes
// sixteen bytes per step through sixteen tables, read as four 32-bit words: same result, about 4x the
// classic loop in V8 (~2 GB/s). It matters: every block a read touches is checksummed before use.
//
// Inputs of WASM_MIN_BYTES or more go to crc32c.wat instead: the same loop in WebAssembly, over the two halves of
// the input at once (each half's chain of table loads waits on itself only), joined afterwards. About 1.5x this
// loop on a 4 KiB block. Where WebAssembly is missing, the loop here does everything.
import { CRC32C_WASM_BASE64 } from './crc32c-wasm';

const POLYNOMIAL = 0x82f63b78; // 0x1EDC6F41 bit-reversed, because this CRC processes bits low to high

/** TABLES[k * 256 + b]: the CRC contribution of byte b followed by k zero bytes. */
const TABLES = (() => {
  const tables = new Uint32Array(16 * 256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[byte] = crc >>> 0;
  }
  for (let k = 1; k < 16; k++) {
    for (let byte = 0; byte < 256; byte++) {
      const previous = tables[(k - 1) * 256 + byte]!;
      tables[k * 256 + byte] = (previous >>> 8) ^ tables[previous & 0xff]!;
    }
  }
  return tables;
})();

/** Words are read with the platform's byte order; the word loop assumes little endian (every browser's). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const NO_WORDS: Int32Array<ArrayBufferLike> = new Int32Array(0);
/**
 * The 32-bit words of the last buffer checksummed. A WAL replay checksums thousands of small records that lie in
 * one buffer: one view for all of them, not an Int32Array allocated per record (which cost more than the CRC).
 */
let viewed: ArrayBufferLike | undefined;
let viewedWords: Int32Array<ArrayBufferLike> = NO_WORDS;

function wordsOf(bytes: Uint8Array): Int32Array {
  // Rebuilt when the buffer changes, or has grown past the view (a resizable ArrayBuffer).
  if (bytes.buffer !== viewed || viewedWords.length < (bytes.byteOffset + bytes.length) >>> 2) {
    viewed = bytes.buffer;
    viewedWords = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2);
  }
  return viewedWords;
}

/** Extend a running CRC with more bytes; start from 0. crc32c(b, crc32c(a)) === crc32c(a ++ b). */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  return crc32cOf(bytes, 0, bytes.length, previous);
}

/**
 * crc32c of bytes[start, end), with no view made of them: a log's reader checks every record where it lies (a
 * subarray per record was an object per record for the young generation's collector, in every replay).
 */
export function crc32cOf(bytes: Uint8Array, start: number, end: number, previous = 0): number {
  if (end - start >= WASM_MIN_BYTES) {
    if (wasm === undefined) wasm = instantiate();
    if (wasm !== null) return crc32cWasm(wasm, bytes, start, end, previous);
  }
  return crc32cPortable(bytes, start, end, previous);
}

/** Whether inputs of WASM_MIN_BYTES or more are checksummed by crc32c.wat here (false: no WebAssembly). */
export function crc32cAccelerated(): boolean {
  if (wasm === undefined) wasm = instantiate();
  return wasm !== null;
}

/**
 * A buffer of `length` bytes in crc32c.wat's own memory, or undefined (no WebAssembly here, or more than its 96 KiB):
 * bytes read into it are checksummed where they lie, not copied into the module first. One buffer per thread, the
 * same each time: its caller must be done with it before the next call (a get's block read, searched and let go).
 */
export function checksumScratch(length: number): Uint8Array | undefined {
  if (wasm === undefined) wasm = instantiate();
  if (wasm === null || length > SCRATCH_BYTES) return undefined;
  return new Uint8Array(wasm.buffer, SCRATCH_AT, length);
}

/** crc32cOf in JavaScript alone, whatever the input's length (crc32cOf's fallback, and the tests' reference). */
export function crc32cPortable(bytes: Uint8Array, start: number, end: number, previous = 0): number {
  const t = TABLES;
  let crc = ~previous; // the register starts all ones ...
  let i = start;
  // Byte by byte up to a 4-byte boundary, so that the middle can be read as aligned 32-bit words.
  const head = LITTLE_ENDIAN ? Math.min(end, start + ((4 - ((bytes.byteOffset + start) & 3)) & 3)) : end;
  for (; i < head; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  const aligned = LITTLE_ENDIAN && ((bytes.byteOffset + i) & 3) === 0;
  const words = aligned ? wordsOf(bytes) : NO_WORDS;
  const first = aligned ? (bytes.byteOffset + i) >>> 2 : 0;
  const count = aligned ? (end - i) >>> 2 : 0;
  const whole = count - (count & 3);
  for (let w = first; w < first + whole; w += 4) {
    const a = crc ^ words[w]!;
    const b = words[w + 1]!;
    const c = words[w + 2]!;
    const d = words[w + 3]!;
    crc =
      t[15 * 256 + (a & 0xff)]! ^
      t[14 * 256 + ((a >>> 8) & 0xff)]! ^
      t[13 * 256 + ((a >>> 16) & 0xff)]! ^
      t[12 * 256 + (a >>> 24)]! ^
      t[11 * 256 + (b & 0xff)]! ^
      t[10 * 256 + ((b >>> 8) & 0xff)]! ^
      t[9 * 256 + ((b >>> 16) & 0xff)]! ^
      t[8 * 256 + (b >>> 24)]! ^
      t[7 * 256 + (c & 0xff)]! ^
      t[6 * 256 + ((c >>> 8) & 0xff)]! ^
      t[5 * 256 + ((c >>> 16) & 0xff)]! ^
      t[4 * 256 + (c >>> 24)]! ^
      t[3 * 256 + (d & 0xff)]! ^
      t[2 * 256 + ((d >>> 8) & 0xff)]! ^
      t[256 + ((d >>> 16) & 0xff)]! ^
      t[d >>> 24]!;
  }
  i += whole * 4;
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8); // the last bytes, one by one
  return ~crc >>> 0; // ... and the result is inverted, so that leading and trailing zeros still count
}

// ---- crc32c.wat's side ----------------------------------------------------------------------------------------

/**
 * From this many bytes on, crc32cOf uses crc32c.wat. Below it the copy into WebAssembly's memory, the call and the
 * join cost about what the faster loop saves (a WAL record of a small put stays in JavaScript).
 */
const WASM_MIN_BYTES = 512;
/** Where crc32c.wat leaves the second stream's register, and where the input is copied to (see crc32c.wat). */
const SECOND_AT = 16384;
const INPUT_AT = 32768;
/** Bytes checksummed per call: two streams of 32 KiB (and what is copied in at a time). */
const WINDOW = 65536;
/** checksumScratch's buffer, after the copy window, to the module's end (3 pages of 64 KiB). */
const SCRATCH_AT = INPUT_AT + WINDOW;
const SCRATCH_BYTES = 3 * 65536 - SCRATCH_AT;

interface Wasm {
  buffer: ArrayBuffer;
  memory: Uint8Array;
  second: Int32Array;
  /** The registers of the streams [at, at + half) and [at + half, at + 2 half): the first's returned, from `register`. */
  twoStreams: (at: number, half: number, register: number) => number;
}
/** undefined: not tried yet; null: this runtime has no WebAssembly (or a policy forbids compiling it). */
let wasm: Wasm | null | undefined;

function instantiate(): Wasm | null {
  try {
    const bytes = Uint8Array.from(atob(CRC32C_WASM_BASE64), (c) => c.charCodeAt(0));
    // Synchronous: the module is 421 bytes (a main thread may compile up to 4 KiB this way).
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const buffer = (exports.memory as WebAssembly.Memory).buffer;
    new Uint32Array(buffer, 0, TABLES.length).set(TABLES);
    return {
      buffer,
      memory: new Uint8Array(buffer),
      second: new Int32Array(buffer, SECOND_AT, 1),
      twoStreams: exports.twoStreams as Wasm['twoStreams'],
    };
  } catch {
    return null;
  }
}

function crc32cWasm(w: Wasm, bytes: Uint8Array, start: number, end: number, previous: number): number {
  let crc = ~previous;
  let i = start;
  // Bytes in the module's memory already (checksumScratch's) are checksummed where they lie; others copied in.
  const inPlace = bytes.buffer === w.buffer;
  // Whole pairs of 16-byte steps, a window at a time: the two halves' registers, then the first carried over the
  // second half's length and xored with the second's (the register is linear in the bits fed to it).
  while (end - i >= 32) {
    const half = (Math.min(end - i, WINDOW) >>> 5) << 4;
    let at = INPUT_AT;
    if (inPlace) at = bytes.byteOffset + i;
    else w.memory.set(bytes.subarray(i, i + 2 * half), INPUT_AT);
    const first = w.twoStreams(at, half, crc);
    crc = multiplyModP(zerosOperator(half), first) ^ w.second[0]!;
    i += 2 * half;
  }
  const t = TABLES;
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8); // the last bytes, one by one
  return ~crc >>> 0;
}

/**
 * a × b modulo the polynomial, the two as 32-bit polynomials in the CRC's reflected order (the top bit is x^0): the
 * product of carry-less multiplication, reduced as the CRC reduces (zlib's multmodp).
 */
function multiplyModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; a & (m | (m - 1)) && m !== 0; m >>>= 1) {
    if (a & m) product ^= b;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product;
}

/** x^(2^k) modulo the polynomial, for k = 0 .. 31. */
const POWERS = (() => {
  const powers = new Int32Array(32);
  let p = 0x40000000; // x^1
  for (let k = 0; k < 32; k++, p = multiplyModP(p, p)) powers[k] = p;
  return powers;
})();

/** zerosOperator(n) for the halves crc32cWasm uses (n / 16 indexes it; 0 where not computed yet). */
const OPERATORS = new Int32Array(WINDOW / 32 + 1);

/**
 * What carries a register over n zero bytes: x^(8n) modulo the polynomial (the register times it is the register
 * after n zero bytes). Built from the powers x^(2^k) of n's bits, once per n.
 */
function zerosOperator(n: number): number {
  const slot = n >>> 4;
  let operator = OPERATORS[slot]!;
  if (operator !== 0) return operator;
  operator = 0x80000000 | 0; // x^0
  for (let bits = n, k = 3; bits !== 0; bits >>>= 1, k++) if (bits & 1) operator = multiplyModP(POWERS[k]!, operator);
  OPERATORS[slot] = operator;
  return operator;
}
