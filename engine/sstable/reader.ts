// Reads an SSTable: on open, the trailer, footer, sparse index and bloom filter (kept in memory, as LevelDB's
// table cache does); on a point read, the key range and the bloom filter may rule the table out without
// reading anything, and otherwise a binary search of the index names the one data block that could hold the
// key, and only that block is read. Every block's checksum is verified before a byte of it is used.
import { compareBytes } from '../bytes';
import { checksumScratch, crc32c } from '../codec/crc32c';
import { type Entry, OP_DELETE } from '../codec/entry';
import { corruption } from '../errors';
import { readAt, readInto } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { copyValue } from '../value-copy';
import {
  type BlockHandle,
  type BlockLayout,
  type CachedBlock,
  type DataBlock,
  type IndexBlock,
  KeptBody,
  parseDataBlock,
  parseIndex,
  unframeBlock,
  unpackBlock,
  verifyBlock,
} from './block';
import type { BlockCache } from './block-cache';
import { bloomMayContain, hash32 } from './bloom';
import { FOOTER_FIXED_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION_FLAT, SSTABLE_VERSION_PREFIX, TRAILER_SIZE } from './format';
import { SparseIndexSearch } from './index-search';
import { MetaBuffer, pointSearch } from './prefix-block';
import type { TableProbe } from './read-probe';

export type PointRead =
  | { found: 'out-of-range' }
  | { found: 'bloom-negative' }
  | { found: 'absent' | 'tombstone'; block: BlockHandle }
  /** `value` is a copy, the caller's to keep. */
  | { found: 'value'; block: BlockHandle; value: Uint8Array };

/** The largest read a scan makes (of consecutive data blocks). */
const SCAN_READ_BYTES = 256 * 1024;

/**
 * Read buffers kept for the next compaction: three per input, for up to 16 inputs (12 MiB). A compaction of 13 L0
 * files that found only 16 spares allocated and first touched 23 buffers each time: 6 MiB of page faults, a fifth
 * of its time in the bench.
 */
const MAX_SPARE_READ_BUFFERS = 48;
const spareReadBuffers: Uint8Array[] = [];

/**
 * Three read buffers one scan takes turns with (a compaction's, one per input table), instead of a new one per
 * read: allocating and first touching 256 KiB costs about as much as reading it from OPFS. A run's values are
 * views into its buffer, so a buffer may be read into again only once nothing downstream holds an entry of its
 * run. The compaction holds the versions of at most two keys (the filter's current key, retain's previous one)
 * plus one entry the output file has already taken; a key's versions never span two blocks, so the two runs read
 * after a buffer's hold at least two newer keys, and by the third read every entry of its run is written out or
 * dropped. release() hands the full-size buffers on to the next compaction, once it is over; they never pass
 * between the sources of one compaction.
 */
export class ReadBuffers {
  readonly #own: Uint8Array[] = [];
  #turn = 0;

  /** A buffer of `size` bytes, none of the two the previous calls returned. */
  next(size: number): Uint8Array {
    let buffer = this.#own[this.#turn];
    if (buffer === undefined || buffer.length < size) {
      // Reads double from one block: small buffers first (a small table needs no 256 KiB), then full-size ones.
      buffer =
        size > SCAN_READ_BYTES
          ? new Uint8Array(size)
          : (spareReadBuffers.pop() ?? new Uint8Array(size > SCAN_READ_BYTES / 2 ? SCAN_READ_BYTES : size));
      this.#own[this.#turn] = buffer;
    }
    this.#turn = (this.#turn + 1) % 3;
    return buffer.subarray(0, size);
  }

  release(): void {
    for (const buffer of this.#own) {
      if (buffer.length === SCAN_READ_BYTES && spareReadBuffers.length < MAX_SPARE_READ_BUFFERS) {
        spareReadBuffers.push(buffer);
      }
    }
    this.#own.length = 0;
  }
}

// The two answers without I/O are the same every time: one object each, not one per get.
const OUT_OF_RANGE: PointRead = Object.freeze({ found: 'out-of-range' });
const BLOOM_NEGATIVE: PointRead = Object.freeze({ found: 'bloom-negative' });
/**
 * Where a point read puts a block it does not cache: one buffer, reused, so it stays in the CPU's caches. In the
 * checksum's own memory where there is one (checksumScratch): the block's CRC32C is then computed where it lies, not
 * after a copy into WebAssembly.
 */
let scratch = new Uint8Array(8 * 1024);
/** Where a point read parses a block it does not cache (the scratch's numbers). */
const pointReadMeta = new MetaBuffer();
function scratchFor(length: number): Uint8Array {
  const inChecksumMemory = checksumScratch(length);
  if (inChecksumMemory) return inChecksumMemory;
  if (scratch.length < length) scratch = new Uint8Array(length);
  return scratch;
}
/** Readers number themselves for the block cache's keys (file names would do, at the price of string keys). */
let nextReaderId = 1;

export class SstableReader {
  readonly name: string;
  readonly size: number;
  readonly entries: number;
  readonly smallest: Uint8Array;
  readonly largest: Uint8Array;
  /** The format version in the trailer: 1, whole entries; 2, prefix-compressed data blocks. */
  readonly formatVersion: number;
  readonly #file: StorageFile;
  readonly #firstKeys: Uint8Array[];
  readonly #blocks: BlockHandle[];
  readonly #filter: Uint8Array | undefined;
  readonly #index: SparseIndexSearch;
  /** This reader's blocks in the shared block cache are keyed by this id. */
  readonly id = nextReaderId++;
  /** Shared with the tree's other readers; blocks read by scans are not cached (they would evict hot ones). */
  cache: BlockCache<CachedBlock> | undefined;

  private constructor(
    file: StorageFile,
    name: string,
    size: number,
    footer: Footer,
    index: IndexBlock,
    filter: Uint8Array | undefined,
    formatVersion: number,
  ) {
    this.formatVersion = formatVersion;
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
    if (version !== SSTABLE_VERSION_FLAT && version !== SSTABLE_VERSION_PREFIX) {
      throw corruption(name, trailerAt + 8, `unknown SSTable format version ${version}`);
    }
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
    return new SstableReader(file, name, size, footer, index, filter, version);
  }

  get blockCount(): number {
    return this.#blocks.length;
  }

  get hasFilter(): boolean {
    return this.#filter !== undefined;
  }

  /**
   * One point lookup: at most one data block read, none when the range or the bloom filter says no.
   * `keyHash` (hash32 of the key) lets a get over many tables hash the key once. `probe`, given only to a traced
   * read, is shown each step's facts (read-probe.ts); without one the get does no work for the trace.
   */
  get(
    key: Uint8Array,
    keyHash: number = hash32(key),
    atSeq: number = Number.POSITIVE_INFINITY,
    probe?: TableProbe,
  ): PointRead {
    if (compareBytes(key, this.smallest) < 0 || compareBytes(key, this.largest) > 0) return OUT_OF_RANGE;
    const filter = this.#filter;
    if (filter) {
      probe?.sawFilter(filter, keyHash);
      if (!bloomMayContain(filter, key, keyHash)) return BLOOM_NEGATIVE;
    }
    const chosen = this.#blockFor(key);
    probe?.sawIndex(this.#firstKeys, chosen);
    const block = this.#blocks[chosen]!;
    const cache = this.cache;
    const kept = cache?.get(this.id, chosen);
    let data: DataBlock | undefined;
    // A format 2 block's verified body (kept, or just read): searched where it lies, unless a trace wants it parsed.
    let body: Uint8Array | undefined;
    let raw = true;
    if (kept instanceof KeptBody) {
      body = kept.body;
      raw = kept.raw;
    } else if (kept !== undefined) data = kept;
    else {
      // Kept: read into a pooled buffer, which the block holds while cached and hands back when let go. Not kept:
      // into the one scratch buffer. This get uses the block and lets it go before it returns, and nothing else
      // reads into the scratch meanwhile (a get runs start to end without a pause).
      const admitted = cache?.admits(block.length) === true;
      const buffer = admitted ? cache!.buffers.lease(block.length) : scratchFor(block.length);
      const bytes = this.#readFramed(block, buffer);
      body = unframeBlock(bytes, this.name, block.offset, 'data block');
      raw = body.buffer === bytes.buffer && body.byteOffset === bytes.byteOffset;
      if (admitted) {
        const storage = body.buffer === buffer.buffer ? buffer : undefined;
        if (storage === undefined) cache!.buffers.give(buffer); // a compressed block lives in its own buffer
        if (this.formatVersion === SSTABLE_VERSION_PREFIX) {
          const keep = new KeptBody(body, storage, raw);
          cache!.set(this.id, chosen, keep.memoryBytes, keep);
        } else {
          data = parseDataBlock(body, this.name, block.offset, storage, { format: this.formatVersion, raw });
          cache!.set(this.id, chosen, data.memoryBytes, data);
        }
      }
    }
    if (data === undefined) {
      if (probe === undefined && this.formatVersion === SSTABLE_VERSION_PREFIX) {
        // Bytes that do not parse are parsed whole below, which names the damage.
        const hit = pointSearch(body!, key, atSeq);
        if (hit === null) return { found: 'absent', block };
        if (hit !== undefined) {
          if (hit.op === OP_DELETE) return { found: 'tombstone', block };
          return { found: 'value', block, value: copyValue(body!, hit.valueAt, hit.valueAt + hit.valueLength) };
        }
      }
      const layout = { format: this.formatVersion, raw, meta: pointReadMeta };
      data = parseDataBlock(body!, this.name, block.offset, undefined, layout);
    }
    const cached = kept !== undefined;
    probe?.sawBlock(data, cached);
    let i = data.find(key, probe?.searching(data));
    // A snapshot's read: past the versions newer than it (they follow each other, newest first, in this block).
    while (i >= 0 && data.seqAt(i) > atSeq) i = i + 1 < data.count && data.sameKey(i, i + 1) ? i + 1 : -1;
    probe?.answered(i);
    if (i < 0) return { found: 'absent', block };
    if (data.isTombstone(i)) return { found: 'tombstone', block };
    return { found: 'value', block, value: data.valueCopy(i) };
  }

  /**
   * Entries with key >= start, in order. Consecutive blocks are read together, in reads that double from one
   * block up to SCAN_READ_BYTES (a short scan reads little; a long one, as compaction's, few large reads: one
   * OPFS read costs about the same for 4 KiB as for 64 KiB).
   */
  *scanFrom(start?: Uint8Array, buffers?: ReadBuffers): Generator<Entry> {
    let first = true;
    for (const data of this.blocksFrom(start, buffers)) {
      let previous: Uint8Array | undefined;
      for (let i = start && first ? data.seek(start) : 0; i < data.count; i++) {
        const entry = data.entryAfter(i, previous);
        previous = entry.key;
        yield entry;
      }
      first = false;
    }
  }

  /**
   * The data blocks from the one that could hold `start` on (all of them without it), each read, verified and
   * parsed, in order: scanFrom's reads, and compaction's, whose merge reads the parsed blocks in place
   * (compaction/merge.ts). A block lies in `buffers` (a format 2 table's) until the third block read after it.
   */
  *blocksFrom(start?: Uint8Array, buffers?: ReadBuffers): Generator<DataBlock> {
    // Reused buffers only where no key is a view into them (format 1's keys are; format 2 rebuilds each key).
    const reuse = buffers !== undefined && this.formatVersion === SSTABLE_VERSION_PREFIX ? buffers : undefined;
    const blocks = this.#blocks;
    const first = start ? this.#blockFor(start) : 0;
    // A compaction reads every block of the table: whole 256 KiB runs from the first read (one OPFS read costs
    // about the same for 4 KiB as for 64 KiB); a scan starts at one block, as it may stop early.
    let want = reuse ? SCAN_READ_BYTES : 0;
    // Each block is done with before the next is parsed: one place for their numbers, not an array per block.
    const meta = new MetaBuffer();
    for (let b = first; b < blocks.length; ) {
      const from = blocks[b]!.offset;
      let end = from + blocks[b]!.length;
      let e = b + 1;
      while (e < blocks.length && blocks[e]!.offset === end && end + blocks[e]!.length - from <= want) {
        end += blocks[e]!.length;
        e++;
      }
      want = Math.min(SCAN_READ_BYTES, 2 * (end - from));
      const chunk = reuse ? reuse.next(end - from) : new Uint8Array(end - from);
      const got = readInto(this.#file, this.name, chunk, from);
      // A compaction's run is checked whole as soon as it is read, while its bytes are still in the CPU's cache:
      // checked block by block as the merge reaches them, among 13 inputs' runs, the checksums took three times
      // as long as the same checksums over the blocks written. A scan checks each block as it gets to it.
      if (reuse) {
        for (let v = b; v < e; v++) {
          const block = blocks[v]!;
          const at = block.offset - from;
          if (at + block.length > got) throw corruption(this.name, block.offset, 'data block cut short');
          verifyBlock(chunk.subarray(at, at + block.length), this.name, block.offset, 'data block');
        }
      }
      for (; b < e; b++) {
        const block = blocks[b]!;
        const at = block.offset - from;
        if (at + block.length > got) throw corruption(this.name, block.offset, 'data block cut short');
        const framed = chunk.subarray(at, at + block.length);
        const body = reuse
          ? unpackBlock(framed, this.name, block.offset, 'data block')
          : unframeBlock(framed, this.name, block.offset, 'data block');
        yield parseDataBlock(body, this.name, block.offset, undefined, this.#layout(framed, body, meta));
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

  /** The last block whose first key is <= key: the only block that can hold it. */
  #blockFor(key: Uint8Array): number {
    return this.#index.blockFor(key);
  }

  /** Reads, verifies and indexes one data block, read into `buffer` (a compressed one is unpacked into its own). */
  #readBlock(block: BlockHandle, buffer: Uint8Array, meta?: MetaBuffer): DataBlock {
    const bytes = this.#readFramed(block, buffer);
    const body = unframeBlock(bytes, this.name, block.offset, 'data block');
    const storage = body.buffer === buffer.buffer ? buffer : undefined;
    return parseDataBlock(body, this.name, block.offset, storage, this.#layout(bytes, body, meta));
  }

  /** Reads one data block as stored (framed, not yet verified) into the start of `buffer`. */
  #readFramed(block: BlockHandle, buffer: Uint8Array): Uint8Array {
    const bytes = buffer.subarray(0, block.length);
    if (readInto(this.#file, this.name, bytes, block.offset) !== block.length) {
      throw corruption(this.name, block.offset, 'data block cut short');
    }
    return bytes;
  }

  /** How to parse a data block of this table: its format, and whether its body is the stored bytes themselves. */
  #layout(framed: Uint8Array, body: Uint8Array, meta?: MetaBuffer): BlockLayout {
    const raw = body.buffer === framed.buffer && body.byteOffset === framed.byteOffset;
    return { format: this.formatVersion, raw, meta };
  }

  /**
   * Where key would lie in this file, from the index alone (LevelDB's Table::ApproximateOffsetOf): 0 before the
   * table's range, the whole file after it, and in between the offset of the data block that could hold it.
   */
  approximateOffsetOf(key: Uint8Array): number {
    if (compareBytes(key, this.smallest) <= 0) return 0;
    if (compareBytes(key, this.largest) > 0) return this.size;
    return this.#blocks[this.#blockFor(key)]!.offset;
  }

  /** Data block `b`'s entries, read and verified on their own: repair salvages a damaged table block by block. */
  blockEntries(b: number): Entry[] {
    const block = this.#blocks[b]!;
    const data = this.#readBlock(block, new Uint8Array(block.length));
    return Array.from({ length: data.count }, (_, i) => data.entry(i));
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
