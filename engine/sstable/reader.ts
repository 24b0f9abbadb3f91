// Reads an SSTable: on open, the trailer, footer and sparse index (kept in memory, as LevelDB's table
// cache does); on a point read, binary search of the index names the one data block that could hold the
// key, and only that block is read. Every block's checksum is verified before a byte of it is used.
import { compareBytes } from '../bytes';
import { crc32c } from '../codec/crc32c';
import { decodeEntry, type Entry } from '../codec/record';
import { corruption } from '../errors';
import { readAt } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { BLOCK_TRAILER_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from './format';

export interface BlockHandle {
  index: number;
  offset: number;
  length: number;
}

export type PointRead =
  | { found: 'out-of-range' }
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

  private constructor(file: StorageFile, name: string, size: number, footer: Footer, index: IndexBlock) {
    this.#file = file;
    this.name = name;
    this.size = size;
    this.entries = footer.entries;
    this.smallest = footer.smallest;
    this.largest = footer.largest;
    this.#firstKeys = index.firstKeys;
    this.#blocks = index.blocks;
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
    if (footerLength < 32 || footerAt < 0) throw corruption(name, trailerAt + 4, `bad footer length ${footerLength}`);
    const footerBytes = readAt(file, name, footerLength, footerAt);
    if (crc32c(footerBytes) !== view.getUint32(0, true)) throw corruption(name, footerAt, 'footer checksum mismatch');
    const footer = parseFooter(footerBytes, name, footerAt);
    if (footer.indexOffset + footer.indexLength > footerAt) {
      throw corruption(name, footerAt, 'index block lies outside the file');
    }
    const indexBytes = readAt(file, name, footer.indexLength, footer.indexOffset);
    const index = parseIndex(indexBytes, name, footer.indexOffset);
    return new SstableReader(file, name, size, footer, index);
  }

  get blockCount(): number {
    return this.#blocks.length;
  }

  /** One point lookup: at most one data block read. */
  get(key: Uint8Array): PointRead {
    if (compareBytes(key, this.smallest) < 0 || compareBytes(key, this.largest) > 0) return { found: 'out-of-range' };
    const blockIndex = this.#blockFor(key);
    const block = this.#blocks[blockIndex]!;
    for (const entry of this.#readBlock(block)) {
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
    return parseDataBlock(bytes, this.name, block.offset);
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
  const smallestLength = view.getUint32(24, true);
  if (32 + smallestLength > bytes.length) throw corruption(name, at + 24, 'smallest key runs past the footer');
  const largestLength = view.getUint32(28 + smallestLength, true);
  if (32 + smallestLength + largestLength !== bytes.length) {
    throw corruption(name, at + 28 + smallestLength, 'largest key does not end the footer');
  }
  return {
    indexOffset: view.getUint32(0, true),
    indexLength: view.getUint32(4, true),
    filterOffset: view.getUint32(8, true),
    filterLength: view.getUint32(12, true),
    entries: view.getUint32(16, true),
    blocks: view.getUint32(20, true),
    smallest: bytes.slice(28, 28 + smallestLength),
    largest: bytes.slice(32 + smallestLength, 32 + smallestLength + largestLength),
  };
}

interface IndexBlock {
  firstKeys: Uint8Array[];
  blocks: BlockHandle[];
}

/** Checks a block's trailer (count + CRC32C) and returns the offset where its trailer starts. */
function verifyBlock(bytes: Uint8Array, name: string, at: number, what: string): { count: number; end: number } {
  if (bytes.length < BLOCK_TRAILER_SIZE) throw corruption(name, at, `${what} is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - BLOCK_TRAILER_SIZE;
  if (crc32c(bytes.subarray(0, end + 4)) !== view.getUint32(end + 4, true)) {
    throw corruption(name, at, `${what} checksum mismatch`);
  }
  return { count: view.getUint32(end, true), end };
}

function parseIndex(bytes: Uint8Array, name: string, at: number): IndexBlock {
  const { count, end } = verifyBlock(bytes, name, at, 'index block');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstKeys: Uint8Array[] = [];
  const blocks: BlockHandle[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 4 > end) throw corruption(name, at + p, 'index block ends early');
    const keyLength = view.getUint32(p, true);
    if (p + 12 + keyLength > end) throw corruption(name, at + p, 'index line runs past the block');
    firstKeys.push(bytes.slice(p + 4, p + 4 + keyLength));
    p += 4 + keyLength;
    blocks.push({ index: i, offset: view.getUint32(p, true), length: view.getUint32(p + 4, true) });
    p += 8;
  }
  if (p !== end || count === 0) throw corruption(name, at + p, 'index block does not parse');
  return { firstKeys, blocks };
}

export function parseDataBlock(bytes: Uint8Array, name: string, at: number): Entry[] {
  const { count, end } = verifyBlock(bytes, name, at, 'data block');
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const decoded = decodeEntry(bytes, p, end);
    if (!decoded) throw corruption(name, at + p, 'entry does not parse');
    entries.push(decoded.entry);
    p = decoded.next;
  }
  if (p !== end) throw corruption(name, at + p, 'data block has bytes after its last entry');
  return entries;
}
