// Reads an SSTable: on open, the trailer, footer, sparse index and bloom filter (kept in memory, as LevelDB's
// table cache does); on a point read, the key range and the bloom filter may rule the table out without
// reading anything, and otherwise a binary search of the index names the one data block that could hold the
// key, and only that block is read. Every block's checksum is verified before a byte of it is used.
import { compareBytes } from '../bytes';
import { crc32c } from '../codec/crc32c';
import { decodeEntry, type Entry } from '../codec/record';
import { corruption } from '../errors';
import { readAt } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { unframeBlock } from './block';
import type { BlockCache } from './block-cache';
import { bloomMayContain, hash32 } from './bloom';
import { FOOTER_FIXED_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from './format';

export interface BlockHandle {
  index: number;
  offset: number;
  length: number;
}

export type PointRead =
  | { found: 'out-of-range' }
  | { found: 'bloom-negative' }
  | { found: 'absent' | 'value' | 'tombstone'; block: BlockHandle; entry?: Entry };

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
  /** Shared with the tree's other readers; blocks read by scans are not cached (they would evict hot ones). */
  cache: BlockCache | undefined;

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
  get(key: Uint8Array, keyHash: number = hash32(key)): PointRead {
    if (compareBytes(key, this.smallest) < 0 || compareBytes(key, this.largest) > 0) return { found: 'out-of-range' };
    if (this.#filter && !bloomMayContain(this.#filter, key, keyHash)) return { found: 'bloom-negative' };
    const blockIndex = this.#blockFor(key);
    const block = this.#blocks[blockIndex]!;
    let entries = this.cache?.get(this.name, block.offset);
    if (!entries) {
      entries = this.#readBlock(block);
      this.cache?.set(this.name, block.offset, block.length, entries);
    }
    for (const entry of entries) {
      const order = compareBytes(entry.key, key);
      if (order === 0) return { found: entry.op === 'put' ? 'value' : 'tombstone', block, entry };
      if (order > 0) break;
    }
    return { found: 'absent', block };
  }

  /** Entries with key >= start, in order, one block read at a time. */
  *scanFrom(start?: Uint8Array): Generator<Entry> {
    const first = start ? this.#blockFor(start) : 0;
    for (let i = first; i < this.#blocks.length; i++) {
      for (const entry of this.#readBlock(this.#blocks[i]!)) {
        if (!start || compareBytes(entry.key, start) >= 0) yield entry;
      }
    }
  }

  close(): void {
    this.#file.close();
  }

  /** The last block whose first key is <= key: the only block that can hold it. */
  #blockFor(key: Uint8Array): number {
    let low = 0;
    let high = this.#firstKeys.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (compareBytes(this.#firstKeys[mid]!, key) <= 0) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  #readBlock(block: BlockHandle): Entry[] {
    const bytes = readAt(this.#file, this.name, block.length, block.offset);
    if (bytes.length !== block.length) throw corruption(this.name, block.offset, 'data block cut short');
    return parseDataBlock(unframeBlock(bytes, this.name, block.offset, 'data block'), this.name, block.offset);
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

/** `body` is an unframed (verified, decompressed) data block; `at` is the block's offset in the file. */
export function parseDataBlock(body: Uint8Array, name: string, at: number): Entry[] {
  const { count, end } = bodyCount(body, name, at, 'data block');
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const decoded = decodeEntry(body, p, end);
    if (!decoded) throw corruption(name, at, `entry ${i} does not parse`);
    entries.push(decoded.entry);
    p = decoded.next;
  }
  if (p !== end) throw corruption(name, at, 'data block has bytes after its last entry');
  return entries;
}
