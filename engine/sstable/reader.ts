// Reads an SSTable: on open, the trailer, footer, sparse index and bloom filter (kept in memory, as LevelDB's
// table cache does); on a point read, the key range and the bloom filter may rule the table out without
// reading anything, and otherwise a binary search of the index names the one data block that could hold the
// key, and only that block is read. Every block's checksum is verified before a byte of it is used.
import { compareBytes, toHex } from '../bytes';
import { crc32c } from '../codec/crc32c';
import { decodeEntry, ENTRY_OVERHEAD, type Entry, OP_DELETE, OP_PUT, u32 as readU32 } from '../codec/record';
import { corruption } from '../errors';
import type { BlockSearch, BloomProbe, IndexLookup } from '../events';
import { readAt, readInto } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { unframeBlock } from './block';
import type { BlockCache, BufferPool } from './block-cache';
import { bloomMayContain, bloomProbe, hash32 } from './bloom';
import { FOOTER_FIXED_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from './format';
import { SparseIndexSearch } from './index-search';

export interface BlockHandle {
  index: number;
  offset: number;
  length: number;
}

export type PointRead =
  | { found: 'out-of-range' }
  | { found: 'bloom-negative' }
  | { found: 'absent' | 'tombstone'; block: BlockHandle }
  /** `value` is a copy, the caller's to keep. */
  | { found: 'value'; block: BlockHandle; value: Uint8Array };

/** What a traced point read saw, for the read events: filled in by get() when the caller passes one. */
export interface ReadExplain {
  bloom?: BloomProbe;
  index?: IndexLookup;
  search?: BlockSearch;
}

/** The largest read a scan makes (of consecutive data blocks). */
const SCAN_READ_BYTES = 256 * 1024;
/** How many sparse index lines around the chosen one a traced read reports. */
const INDEX_LINES_SHOWN = 7;

// The two answers without I/O are the same every time: one object each, not one per get.
const OUT_OF_RANGE: PointRead = Object.freeze({ found: 'out-of-range' });
const BLOOM_NEGATIVE: PointRead = Object.freeze({ found: 'bloom-negative' });
/** Readers number themselves for the block cache's keys (file names would do, at the price of string keys). */
let nextReaderId = 1;

export class SstableReader {
  readonly name: string;
  readonly size: number;
  readonly entries: number;
  readonly smallest: Uint8Array;
  readonly largest: Uint8Array;
  readonly #file: StorageFile;
  readonly #firstKeys: Uint8Array[];
  readonly #blocks: BlockHandle[];
  readonly #filter: Uint8Array | undefined;
  readonly #index: SparseIndexSearch;
  /** This reader's blocks in the shared block cache are keyed by this id. */
  readonly id = nextReaderId++;
  /** Shared with the tree's other readers; blocks read by scans are not cached (they would evict hot ones). */
  cache: BlockCache<DataBlock> | undefined;

  private constructor(
    file: StorageFile,
    name: string,
    size: number,
    footer: Footer,
    index: IndexBlock,
    filter: Uint8Array | undefined,
  ) {
    this.#file = file;
    this.name = name;
    this.size = size;
    this.entries = footer.entries;
    this.smallest = footer.smallest;
    this.largest = footer.largest;
    this.#firstKeys = index.firstKeys;
    this.#blocks = index.blocks;
    this.#filter = filter;
    this.#index = new SparseIndexSearch(index.firstKeys, footer.smallest, footer.largest);
  }

  static open(file: StorageFile, name: string): SstableReader {
    const size = file.getSize();
    if (size < TRAILER_SIZE) throw corruption(name, 0, `file of ${size} bytes is too short for an SSTable`);
    const trailerAt = size - TRAILER_SIZE;
    const trailer = readAt(file, name, TRAILER_SIZE, trailerAt);
    const view = new DataView(trailer.buffer, trailer.byteOffset, trailer.byteLength);
    if (!SSTABLE_MAGIC.every((byte, i) => trailer[12 + i] === byte)) {
      throw corruption(name, trailerAt + 12, 'bad magic (not an SSTable, or its end was cut off)');
    }
    const version = view.getUint32(8, true);
    if (version !== SSTABLE_VERSION) throw corruption(name, trailerAt + 8, `unknown SSTable format version ${version}`);
    const footerLength = view.getUint32(4, true);
    const footerAt = trailerAt - footerLength;
    if (footerLength < FOOTER_FIXED_SIZE + 8 || footerAt < 0) {
      throw corruption(name, trailerAt + 4, `bad footer length ${footerLength}`);
    }
    const footerBytes = readAt(file, name, footerLength, footerAt);
    if (crc32c(footerBytes) !== view.getUint32(0, true)) throw corruption(name, footerAt, 'footer checksum mismatch');
    const footer = parseFooter(footerBytes, name, footerAt);
    if (footer.indexOffset + footer.indexLength > footerAt || footer.filterOffset + footer.filterLength > footerAt) {
      throw corruption(name, footerAt, 'index or filter block lies outside the file');
    }
    const indexBytes = readAt(file, name, footer.indexLength, footer.indexOffset);
    const index = parseIndex(
      unframeBlock(indexBytes, name, footer.indexOffset, 'index block'),
      name,
      footer.indexOffset,
    );
    let filter: Uint8Array | undefined;
    if (footer.filterLength > 0) {
      const filterBytes = readAt(file, name, footer.filterLength, footer.filterOffset);
      filter = unframeBlock(filterBytes, name, footer.filterOffset, 'filter block').slice();
    }
    return new SstableReader(file, name, size, footer, index, filter);
  }

  get blockCount(): number {
    return this.#blocks.length;
  }

  get hasFilter(): boolean {
    return this.#filter !== undefined;
  }

  /**
   * One point lookup: at most one data block read, none when the range or the bloom filter says no.
   * `keyHash` (hash32 of the key) lets a get over many tables hash the key once.
   */
  get(
    key: Uint8Array,
    keyHash: number = hash32(key),
    atSeq: number = Number.POSITIVE_INFINITY,
    explain?: ReadExplain,
  ): PointRead {
    if (compareBytes(key, this.smallest) < 0 || compareBytes(key, this.largest) > 0) return OUT_OF_RANGE;
    if (explain && this.#filter) explain.bloom = bloomProbe(this.#filter, keyHash);
    if (this.#filter && !bloomMayContain(this.#filter, key, keyHash)) return BLOOM_NEGATIVE;
    const chosen = this.#blockFor(key);
    if (explain) explain.index = this.#indexAround(chosen);
    const block = this.#blocks[chosen]!;
    const cache = this.cache;
    let data = cache?.get(this.id, block.offset);
    if (data === undefined) {
      if (cache?.accepts(block.length)) {
        // Read into a pooled buffer, which the block keeps while cached and hands back when let go.
        const buffer = cache.buffers.lease(block.length);
        data = this.#readBlock(block, buffer);
        if (data.storage !== buffer) cache.buffers.give(buffer); // a compressed block lives in its own buffer
        cache.set(this.id, block.offset, data.memoryBytes, data);
      } else {
        data = this.#readBlock(block);
      }
    }
    const compared = explain ? ([] as BlockSearch['compared']) : undefined;
    let i = data.find(key, compared);
    // A snapshot's read: past the versions newer than it (they follow each other, newest first, in this block).
    while (i >= 0 && data.seqAt(i) > atSeq) i = i + 1 < data.count && data.sameKey(i, i + 1) ? i + 1 : -1;
    if (explain && compared) explain.search = { entries: data.count, compared, at: i };
    if (i < 0) return { found: 'absent', block };
    if (data.isTombstone(i)) return { found: 'tombstone', block };
    return { found: 'value', block, value: data.valueCopy(i) };
  }

  /**
   * Entries with key >= start, in order. Consecutive blocks are read together, in reads that double from one
   * block up to SCAN_READ_BYTES (a short scan reads little; a long one, as compaction's, few large reads: one
   * OPFS read costs about the same for 4 KiB as for 64 KiB).
   */
  *scanFrom(start?: Uint8Array): Generator<Entry> {
    const blocks = this.#blocks;
    const first = start ? this.#blockFor(start) : 0;
    let want = 0;
    for (let b = first; b < blocks.length; ) {
      const from = blocks[b]!.offset;
      let end = from + blocks[b]!.length;
      let e = b + 1;
      while (e < blocks.length && blocks[e]!.offset === end && end + blocks[e]!.length - from <= want) {
        end += blocks[e]!.length;
        e++;
      }
      want = Math.min(SCAN_READ_BYTES, 2 * (end - from));
      const chunk = new Uint8Array(end - from);
      const got = readInto(this.#file, this.name, chunk, from);
      for (; b < e; b++) {
        const block = blocks[b]!;
        const at = block.offset - from;
        if (at + block.length > got) throw corruption(this.name, block.offset, 'data block cut short');
        const body = unframeBlock(chunk.subarray(at, at + block.length), this.name, block.offset, 'data block');
        const data = parseDataBlock(body, this.name, block.offset);
        for (let i = start && b === first ? data.seek(start) : 0; i < data.count; i++) yield data.entry(i);
      }
    }
  }

  /** Drops this reader's blocks from the shared cache (its file is gone, or is to be read afresh). */
  evictCached(): void {
    this.cache?.forget(this.id);
  }

  close(): void {
    this.#file.close();
  }

  /** The sparse index lines around block `chosen`, for a traced read. */
  #indexAround(chosen: number): IndexLookup {
    const blocks = this.#firstKeys.length;
    const from = Math.max(0, Math.min(chosen - (INDEX_LINES_SHOWN >> 1), blocks - INDEX_LINES_SHOWN));
    const keys = this.#firstKeys.slice(from, from + INDEX_LINES_SHOWN).map(toHex);
    return { blocks, from, keys, chosen };
  }

  /** The last block whose first key is <= key: the only block that can hold it. */
  #blockFor(key: Uint8Array): number {
    return this.#index.blockFor(key);
  }

  /** Reads, verifies and indexes one data block, into `buffer` when given (else a buffer of its own). */
  #readBlock(block: BlockHandle, buffer?: Uint8Array): DataBlock {
    const bytes = buffer ? buffer.subarray(0, block.length) : new Uint8Array(block.length);
    if (readInto(this.#file, this.name, bytes, block.offset) !== block.length) {
      throw corruption(this.name, block.offset, 'data block cut short');
    }
    const body = unframeBlock(bytes, this.name, block.offset, 'data block');
    const storage = buffer && body.buffer === buffer.buffer ? buffer : undefined;
    return parseDataBlock(body, this.name, block.offset, storage);
  }
}

interface Footer {
  indexOffset: number;
  indexLength: number;
  filterOffset: number;
  filterLength: number;
  entries: number;
  blocks: number;
  smallest: Uint8Array;
  largest: Uint8Array;
}

function parseFooter(bytes: Uint8Array, name: string, at: number): Footer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const smallestLength = view.getUint32(FOOTER_FIXED_SIZE, true);
  const largestAt = FOOTER_FIXED_SIZE + 4 + smallestLength;
  if (largestAt + 4 > bytes.length) throw corruption(name, at + FOOTER_FIXED_SIZE, 'smallest key runs past the footer');
  const largestLength = view.getUint32(largestAt, true);
  if (largestAt + 4 + largestLength !== bytes.length)
    throw corruption(name, at + largestAt, 'largest key does not end the footer');
  return {
    indexOffset: view.getUint32(0, true),
    indexLength: view.getUint32(4, true),
    filterOffset: view.getUint32(8, true),
    filterLength: view.getUint32(12, true),
    entries: view.getUint32(16, true),
    blocks: view.getUint32(20, true),
    smallest: bytes.slice(FOOTER_FIXED_SIZE + 4, largestAt),
    largest: bytes.slice(largestAt + 4, largestAt + 4 + largestLength),
  };
}

interface IndexBlock {
  firstKeys: Uint8Array[];
  blocks: BlockHandle[];
}

/** Reads the trailing count u32 of a block body; returns it and where the lines or entries end. */
function bodyCount(body: Uint8Array, name: string, at: number, what: string): { count: number; end: number } {
  if (body.length < 4) throw corruption(name, at, `${what} is too short`);
  const end = body.length - 4;
  return { count: new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(end, true), end };
}

function parseIndex(body: Uint8Array, name: string, at: number): IndexBlock {
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
 * A verified data block, indexed for lookups: where each entry starts, found in one pass that also checks
 * every entry's lengths. A get binary-searches the keys in place and decodes only the entry it wants; entries
 * are views into the block's bytes, not copies.
 */
export class DataBlock {
  readonly #body: Uint8Array;
  /** starts[i]: offset of entry i in the body; starts[count]: where the entries end. (A plain array: small
   *  integers in the JS heap cost less to make than a typed array's separate buffer.) */
  readonly #starts: number[];
  readonly count: number;
  /** The pooled buffer the body lies in, if it was read into one (BlockCache hands it back when done). */
  readonly storage: Uint8Array | undefined;

  constructor(body: Uint8Array, starts: number[], storage?: Uint8Array) {
    this.#body = body;
    this.#starts = starts;
    this.count = starts.length - 1;
    this.storage = storage;
  }

  /** What holding this block costs: its buffer and its index (the cache's budget is charged this). */
  get memoryBytes(): number {
    return (this.storage ?? this.#body).byteLength + 8 * this.#starts.length + 64;
  }

  /** The first entry whose key is >= key (count when there is none). */
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
   * The newest entry whose key equals `key`, or -1. Stops at the first equal key it meets; only when a snapshot
   * kept older versions next to it can that be one of them, and it steps back to the newest.
   */
  find(key: Uint8Array, compared?: BlockSearch['compared']): number {
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
    return readU32(this.#body, at) + readU32(this.#body, at + 4) * 0x1_0000_0000;
  }

  /** Whether entries i and j hold the same key (two versions of it). */
  sameKey(i: number, j: number): boolean {
    const body = this.#body;
    const a = this.#starts[i]!;
    const b = this.#starts[j]!;
    const length = readU32(body, a + 9);
    if (readU32(body, b + 9) !== length) return false;
    for (let k = 0; k < length; k++) if (body[a + 13 + k] !== body[b + 13 + k]) return false;
    return true;
  }

  isTombstone(i: number): boolean {
    return this.#body[this.#starts[i]!] === OP_DELETE;
  }

  /** A copy of entry i's value, in a buffer of its own (one allocation, no decoding of the rest). */
  valueCopy(i: number): Uint8Array {
    const at = this.#starts[i]!;
    return this.#body.slice(at + 13 + readU32(this.#body, at + 9) + 4, this.#starts[i + 1]!);
  }

  entry(i: number): Entry {
    // Checked when the block was indexed: it decodes.
    return decodeEntry(this.#body, this.#starts[i]!, this.#starts[i + 1]!)!.entry;
  }

  /** Entry i's key, a view into the block. */
  #keyAt(i: number): Uint8Array {
    const at = this.#starts[i]!;
    return this.#body.subarray(at + 13, at + 13 + readU32(this.#body, at + 9));
  }

  /** memcmp of entry i's key with `key`, read in place. */
  #compareKey(i: number, key: Uint8Array): number {
    const body = this.#body;
    const at = this.#starts[i]!;
    const keyLength = readU32(body, at + 9);
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
 * `body` is an unframed (verified, decompressed) data block; `at` is the block's offset in the file. Checks
 * every entry's shape (as decodeEntry does) and indexes where each starts; malformed bytes are corruption.
 */
export function parseDataBlock(body: Uint8Array, name: string, at: number, storage?: Uint8Array): DataBlock {
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
    const keyLength = readU32(body, p + 9);
    const valueAt = p + 13 + keyLength;
    if (valueAt + 4 > end) throw corruption(name, at, `entry ${i} does not parse`);
    const valueLength = readU32(body, valueAt);
    if (valueAt + 4 + valueLength > end || (op === OP_DELETE && valueLength !== 0)) {
      throw corruption(name, at, `entry ${i} does not parse`);
    }
    p = valueAt + 4 + valueLength;
  }
  starts[count] = p;
  if (p !== end) throw corruption(name, at, 'data block has bytes after its last entry');
  return new DataBlock(body, starts, storage);
}

/** For BlockCache: a block it lets go hands its pooled buffer back. */
export function recycleBlock(block: DataBlock, buffers: BufferPool): void {
  if (block.storage) buffers.give(block.storage);
}
