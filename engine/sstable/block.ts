// Blocks: their framing, shared by data, index and filter blocks, and the parsing of index and data block bodies
// (LevelDB's table/block.cc). Framing (engine/README.md, "Blocks"):
//
//   stored body | type u8 | checksum u32
//
// type 0: the body is stored as is; type 1: the body is deflate-compressed (fflate). The checksum is CRC32C
// of the stored body and the type byte: it is checked before a byte is decompressed or parsed.
import { deflateSync, inflateSync } from 'fflate';
import { toHex } from '../bytes';
import { crc32cOf } from '../codec/crc32c';
import { decodeEntry, ENTRY_OVERHEAD, type Entry, OP_DELETE, OP_PUT } from '../codec/entry';
import { u32 } from '../codec/u32';
import { corruption } from '../errors';
import type { BlockSearch } from '../events';
import { copyValue } from '../value-copy';
import type { BufferPool } from './block-cache';
import type { DataBlock } from './data-block';
import { SSTABLE_VERSION_PREFIX } from './format';
import { type MetaBuffer, parsePrefixBlock } from './prefix-block';

// The interface both block formats implement lives in a file of its own, which both import: re-exported here for
// the readers of blocks.
export type { DataBlock } from './data-block';

export const BLOCK_RAW = 0;
export const BLOCK_DEFLATE = 1;
/** type u8 + checksum u32 */
export const BLOCK_FRAME_SIZE = 5;

export type Compression = 'none' | 'deflate';

/** Compresses when asked and when it saves at least 1/8 (LevelDB's rule): else the raw body is cheaper to read. */
export function frameBlock(body: Uint8Array, compression: Compression): Uint8Array {
  let stored = body;
  let type = BLOCK_RAW;
  if (compression === 'deflate') {
    const packed = deflateSync(body, { level: 6 });
    if (packed.length < body.length - body.length / 8) {
      stored = packed;
      type = BLOCK_DEFLATE;
    }
  }
  const out = new Uint8Array(stored.length + BLOCK_FRAME_SIZE);
  out.set(stored);
  out[stored.length] = type;
  new DataView(out.buffer).setUint32(stored.length + 1, crc32cOf(out, 0, stored.length + 1), true);
  return out;
}

/**
 * frameBlock for a body that lies in `buffer` at `at` with room for the frame after it: frames it where it lies
 * (a compressed body replaces it, when compression saves enough) and returns the framed length. Same bytes.
 */
export function frameBlockInPlace(buffer: Uint8Array, at: number, length: number, compression: Compression): number {
  let stored = length;
  let type = BLOCK_RAW;
  if (compression === 'deflate') {
    const packed = deflateSync(buffer.subarray(at, at + length), { level: 6 });
    if (packed.length < length - length / 8) {
      buffer.set(packed, at);
      stored = packed.length;
      type = BLOCK_DEFLATE;
    }
  }
  buffer[at + stored] = type;
  const crc = crc32cOf(buffer, at, at + stored + 1);
  buffer[at + stored + 1] = crc;
  buffer[at + stored + 2] = crc >>> 8;
  buffer[at + stored + 3] = crc >>> 16;
  buffer[at + stored + 4] = crc >>> 24;
  return stored + BLOCK_FRAME_SIZE;
}

/** Verifies and unpacks a framed block read from `file` at `at`. */
export function unframeBlock(framed: Uint8Array, file: string, at: number, what: string): Uint8Array {
  verifyBlock(framed, file, at, what);
  return unpackBlock(framed, file, at, what);
}

/** Checks a framed block's length and checksum; throws a corruption error naming `file` and the bytes it covers. */
export function verifyBlock(framed: Uint8Array, file: string, at: number, what: string): void {
  if (framed.length < BLOCK_FRAME_SIZE) throw corruption(file, at, `${what} is too short`);
  const typeAt = framed.length - BLOCK_FRAME_SIZE;
  // u32(), not a DataView: one object fewer per block a get reads.
  if (crc32cOf(framed, 0, typeAt + 1) !== u32(framed, typeAt + 1)) {
    // Say which bytes the checksum covers: the damage is somewhere in them, not necessarily at the block's start.
    throw corruption(file, at, `${what} checksum mismatch in bytes ${at}–${at + framed.length - 1}`);
  }
}

/** The body of a framed block verifyBlock has passed: its stored bytes, or those bytes inflated. */
export function unpackBlock(framed: Uint8Array, file: string, at: number, what: string): Uint8Array {
  const typeAt = framed.length - BLOCK_FRAME_SIZE;
  const type = framed[typeAt];
  const stored = framed.subarray(0, typeAt);
  if (type === BLOCK_RAW) return stored;
  if (type === BLOCK_DEFLATE) {
    try {
      return inflateSync(stored);
    } catch {
      throw corruption(file, at, `${what} does not decompress`);
    }
  }
  throw corruption(file, at + typeAt, `${what} has unknown type ${type}`);
}

// --- block bodies ------------------------------------------------------------------------------------------

/** Where a block lies in its file, and its number among the data blocks. */
export interface BlockHandle {
  index: number;
  offset: number;
  length: number;
}

export interface IndexBlock {
  firstKeys: Uint8Array[];
  blocks: BlockHandle[];
}

/** Reads the trailing count u32 of a block body; returns it and where the lines or entries end. */
function bodyCount(body: Uint8Array, name: string, at: number, what: string): { count: number; end: number } {
  if (body.length < 4) throw corruption(name, at, `${what} is too short`);
  const end = body.length - 4;
  return { count: new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(end, true), end };
}

export function parseIndex(body: Uint8Array, name: string, at: number): IndexBlock {
  const { count, end } = bodyCount(body, name, at, 'index block');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const firstKeys: Uint8Array[] = [];
  const blocks: BlockHandle[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 4 > end) throw corruption(name, at, 'index block ends early');
    const keyLength = view.getUint32(p, true);
    if (p + 12 + keyLength > end) throw corruption(name, at, 'index line runs past the block');
    firstKeys.push(body.slice(p + 4, p + 4 + keyLength));
    p += 4 + keyLength;
    blocks.push({ index: i, offset: view.getUint32(p, true), length: view.getUint32(p + 4, true) });
    p += 8;
  }
  if (p !== end || count === 0) throw corruption(name, at, 'index block does not parse');
  return { firstKeys, blocks };
}

/**
 * A verified data block of format version 1, indexed for lookups: where each entry starts, found in one pass that
 * also checks every entry's lengths. A get binary-searches the keys in place and decodes only the entry it wants;
 * entries are views into the block's bytes, not copies.
 */
export class FlatDataBlock implements DataBlock {
  readonly #body: Uint8Array;
  /** starts[i]: offset of entry i in the body; starts[count]: where the entries end. (A plain array: small
   *  integers in the JS heap cost less to make than a typed array's separate buffer.) */
  readonly #starts: number[];
  readonly count: number;
  readonly storage: Uint8Array | undefined;

  constructor(body: Uint8Array, starts: number[], storage?: Uint8Array) {
    this.#body = body;
    this.#starts = starts;
    this.count = starts.length - 1;
    this.storage = storage;
  }

  get memoryBytes(): number {
    return (this.storage ?? this.#body).byteLength + 8 * this.#starts.length + 64;
  }

  seek(key: Uint8Array): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#compareKey(mid, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * A binary search over every entry. Stops at the first equal key it meets; only when a snapshot kept older
   * versions next to it can that be one of them, and it steps back to the newest.
   */
  find(key: Uint8Array, search?: BlockSearch): number {
    const compared = search?.compared;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      let mid = (low + high) >>> 1;
      const order = this.#compareKey(mid, key);
      compared?.push({ entry: mid, key: toHex(this.#keyAt(mid)), order: order < 0 ? -1 : order > 0 ? 1 : 0 });
      if (order === 0) {
        while (mid > 0 && this.sameKey(mid - 1, mid)) mid--;
        return mid;
      }
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Entry i's sequence number, read in place (u64 little endian; exact below 2^53). */
  seqAt(i: number): number {
    const at = this.#starts[i]! + 1;
    return u32(this.#body, at) + u32(this.#body, at + 4) * 0x1_0000_0000;
  }

  /** Whether entries i and j hold the same key (two versions of it). */
  sameKey(i: number, j: number): boolean {
    const body = this.#body;
    const a = this.#starts[i]!;
    const b = this.#starts[j]!;
    const length = u32(body, a + 9);
    if (u32(body, b + 9) !== length) return false;
    for (let k = 0; k < length; k++) if (body[a + 13 + k] !== body[b + 13 + k]) return false;
    return true;
  }

  isTombstone(i: number): boolean {
    return this.#body[this.#starts[i]!] === OP_DELETE;
  }

  /** A copy of entry i's value (value-copy.ts), no decoding of the rest. */
  valueCopy(i: number): Uint8Array {
    const at = this.#starts[i]!;
    return copyValue(this.#body, at + 13 + u32(this.#body, at + 9) + 4, this.#starts[i + 1]!);
  }

  entry(i: number): Entry {
    // Checked when the block was indexed: it decodes.
    return decodeEntry(this.#body, this.#starts[i]!, this.#starts[i + 1]!)!;
  }

  /** Whole keys: nothing to rebuild. */
  entryAfter(i: number, _previous: Uint8Array | undefined): Entry {
    return this.entry(i);
  }

  /** Entry i's key, a view into the block (valid while the block is). */
  key(i: number): Uint8Array {
    return this.#keyAt(i);
  }

  /** Entry i's key, a view into the block. */
  #keyAt(i: number): Uint8Array {
    const at = this.#starts[i]!;
    return this.#body.subarray(at + 13, at + 13 + u32(this.#body, at + 9));
  }

  /** memcmp of entry i's key with `key`, read in place. */
  #compareKey(i: number, key: Uint8Array): number {
    const body = this.#body;
    const at = this.#starts[i]!;
    const keyLength = u32(body, at + 9);
    const n = keyLength < key.length ? keyLength : key.length;
    const keyAt = at + 13;
    for (let j = 0; j < n; j++) {
      const d = body[keyAt + j]! - key[j]!;
      if (d !== 0) return d;
    }
    return keyLength - key.length;
  }
}

/**
 * Which format a data block is in (the table's version; absent: version 1), and whether its body lies in the file
 * as it is (`raw`: not compressed), so that an error can name the exact byte rather than the block's start.
 */
export interface BlockLayout {
  format: number;
  raw: boolean;
  /** Format 2: where to parse the block's numbers, when it is let go before the next one is (prefix-block.ts). */
  meta?: MetaBuffer;
}

/**
 * `body` is an unframed (verified, decompressed) data block; `at` is the block's offset in the file. Checks
 * every entry's shape (as decodeEntry does) and indexes where each starts; malformed bytes are corruption.
 */
export function parseDataBlock(
  body: Uint8Array,
  name: string,
  at: number,
  storage?: Uint8Array,
  layout?: BlockLayout,
): DataBlock {
  if (layout?.format === SSTABLE_VERSION_PREFIX) {
    return parsePrefixBlock(body, name, at, layout.raw, storage, layout.meta);
  }
  const { count, end } = bodyCount(body, name, at, 'data block');
  // Each entry takes at least ENTRY_OVERHEAD bytes: a count beyond that is corruption, not an allocation.
  if (count > end / ENTRY_OVERHEAD) throw corruption(name, at, `data block claims ${count} entries`);
  const starts: number[] = new Array(count + 1);
  let p = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = p;
    const op = body[p];
    if (end - p < ENTRY_OVERHEAD || (op !== OP_PUT && op !== OP_DELETE)) {
      throw corruption(name, at, `entry ${i} does not parse`);
    }
    const keyLength = u32(body, p + 9);
    const valueAt = p + 13 + keyLength;
    if (valueAt + 4 > end) throw corruption(name, at, `entry ${i} does not parse`);
    const valueLength = u32(body, valueAt);
    if (valueAt + 4 + valueLength > end || (op === OP_DELETE && valueLength !== 0)) {
      throw corruption(name, at, `entry ${i} does not parse`);
    }
    p = valueAt + 4 + valueLength;
  }
  starts[count] = p;
  if (p !== end) throw corruption(name, at, 'data block has bytes after its last entry');
  return new FlatDataBlock(body, starts, storage);
}

/**
 * A format 2 data block as the block cache keeps it: its verified body, which a get searches where it lies
 * (pointSearch, prefix-block.ts), as LevelDB's cache keeps a block's contents. Not parsed: a parse is work for
 * every entry, and 16 bytes of numbers per entry held beside the bytes (a 32 MiB cache held an eighth fewer blocks),
 * for the one entry a get wants. A traced read parses it when it needs the entries for the picture.
 */
export class KeptBody {
  /**
   * `storage`: the pooled buffer the body lies in (undefined for an inflated block's own); `raw`: the body is the
   * stored bytes as they are (not compressed), so that damage is reported at its own byte.
   */
  constructor(
    readonly body: Uint8Array,
    readonly storage: Uint8Array | undefined,
    readonly raw: boolean,
  ) {}

  get memoryBytes(): number {
    return (this.storage ?? this.body).byteLength + 64;
  }
}

/** What the block cache holds: a format 2 block's body (KeptBody), or a format 1 block parsed. */
export type CachedBlock = DataBlock | KeptBody;

/** For BlockCache: a block it lets go hands its pooled buffer back. */
export function recycleBlock(block: CachedBlock, buffers: BufferPool): void {
  if (block.storage) buffers.give(block.storage);
}
