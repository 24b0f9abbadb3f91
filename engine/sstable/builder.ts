// Builds one SSTable from entries given in strictly increasing key order. Entries go into data blocks of
// about `blockSize` bytes, each key stored as the bytes it does not share with the key before, and whole every
// `restartInterval` entries (format version 2, prefix-block.ts; version 1, whole entries, on request); each finished block is framed (and maybe compressed) with a checksum, and gets one
// line in the sparse index (its first key, offset and length). Each key's hash goes into the bloom filter.
// The file is written in few, large write() calls: one OPFS write costs about the same for 100 bytes as for
// 64 KiB (docs/platform.md §4).
import { crc32c } from '../codec/crc32c';
import { type Entry, encodeEntry, entrySize, OP_DELETE, OP_PUT } from '../codec/entry';
import { putU32 } from '../codec/u32';
import { invalidArgument } from '../errors';
import { writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { BLOCK_FRAME_SIZE, type Compression, frameBlock, frameBlockInPlace } from './block';
import { buildBloom, hash32 } from './bloom';
import {
  DEFAULT_RESTART_INTERVAL,
  FOOTER_FIXED_SIZE,
  SSTABLE_MAGIC,
  SSTABLE_VERSION,
  SSTABLE_VERSION_FLAT,
  SSTABLE_VERSION_PREFIX,
  TRAILER_SIZE,
} from './format';
import { encodePrefixParts, encodeRestarts, prefixEntrySize, restartArraySize, sharedPrefixOf } from './prefix-block';

/** Pending bytes are handed to storage once they reach this size. */
const WRITE_BATCH_BYTES = 256 * 1024;

/** The builder's buffer: a write batch and room for the block that crosses it. */
const BUFFER_BYTES = WRITE_BATCH_BYTES + 16 * 1024;

/**
 * One buffer handed from each finished builder to the next: a compaction writes file after file, and allocating
 * (and first touching) 272 KiB costs about a millisecond each time. Builders run one at a time (the tree's serial
 * queue); a builder that fails never gives its buffer back, and the next one allocates.
 */
let spare: Uint8Array | undefined;

function takeBuffer(): Uint8Array {
  const buffer = spare ?? new Uint8Array(BUFFER_BYTES);
  spare = undefined;
  return buffer;
}

export interface BuilderOptions {
  blockSize: number;
  /** 0: no bloom filter. */
  bloomBitsPerKey: number;
  compression: Compression;
  /** Version 2: a key is stored whole every this many entries (a restart point). Default 16, as LevelDB's. */
  restartInterval?: number;
  /** The format to write: SSTABLE_VERSION (2, prefix-compressed) unless 1 is asked for (the bench's "before"). */
  formatVersion?: number;
}

interface IndexLine {
  firstKey: Uint8Array;
  offset: number;
  length: number;
}

export interface BuiltTable {
  size: number;
  entries: number;
  blocks: number;
  /** The data blocks' bytes before compression (equal to their stored size when compression is off). */
  dataBytes: number;
  /** The first and last keys, copies of their own. */
  smallest: Uint8Array;
  largest: Uint8Array;
  smallestSeq: number;
  largestSeq: number;
}

export class SstableBuilder {
  readonly #file: StorageFile;
  readonly #name: string;
  readonly #options: BuilderOptions;
  /**
   * The bytes not yet handed to storage, laid out as the file: finished blocks, framed, then the open block's
   * entries, encoded in place (no buffer per entry, no copy to join them). `#blockAt`: where the open block
   * starts in it; `#used`: where the next byte goes.
   */
  #buffer = takeBuffer();
  /** A DataView of #buffer, for compaction's word copies (copyWords). */
  #view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset, this.#buffer.byteLength);
  #used = 0;
  #blockAt = 0;
  #blockEntries = 0;
  #blockFirstKey: Uint8Array | undefined;
  readonly #index: IndexLine[] = [];
  readonly #hashes: number[] = [];
  #offset = 0;
  #entries = 0;
  #dataBytes = 0;
  #smallest: Uint8Array | undefined;
  /** The last key added: #last[0, #lastLength). */
  #last = new Uint8Array(64);
  #lastLength = 0;
  #smallestSeq = Number.MAX_SAFE_INTEGER;
  #largestSeq = 0;
  /** The sequence number of the last entry added: a second version of its key must be older. */
  #lastSeq = 0;
  readonly #prefixed: boolean;
  readonly #restartInterval: number;
  /** The open block's restart points: their offsets from the block's start (version 2). */
  #restarts: number[] = [];

  constructor(file: StorageFile, name: string, options: BuilderOptions) {
    this.#file = file;
    this.#name = name;
    this.#options = options;
    this.#prefixed = (options.formatVersion ?? SSTABLE_VERSION) === SSTABLE_VERSION_PREFIX;
    this.#restartInterval = options.restartInterval ?? DEFAULT_RESTART_INTERVAL;
  }

  /** Bytes so far, counting the open block: compaction starts a new output file past its target size. */
  get estimatedSize(): number {
    return this.#offset + this.#used;
  }

  get entries(): number {
    return this.#entries;
  }

  /**
   * Entries come in increasing key order. A key may come several times (older versions a snapshot still needs),
   * newest first: they stay together in one block, so that the sparse index still names the one block that
   * holds every version of a key.
   */
  add(entry: Entry): void {
    this.addVersion(
      entry.key,
      entry.key.length,
      entry.seq,
      entry.op === 'put' ? OP_PUT : OP_DELETE,
      entry.value,
      0,
      entry.value.length,
    );
  }

  /**
   * add() from the entry's parts where they lie: the key is key[0, keyLength), the value
   * values[valueAt, valueAt + valueLength), `op` OP_PUT or OP_DELETE. Compaction's merge hands them on from the
   * blocks it reads without making an Entry, a key or a value view per entry, with a DataView of `values` (the
   * same bytes at the same offsets) through which a short value is copied four bytes a step; nothing given is
   * kept (the builder copies the key it needs to remember). Same bytes as add().
   */
  addVersion(
    key: Uint8Array,
    keyLength: number,
    seq: number,
    op: number,
    values: Uint8Array,
    valueAt: number,
    valueLength: number,
    valuesView?: DataView,
  ): void {
    // One pass over the key: the bytes it shares with the last key, and from the first that differs, its order.
    const last = this.#last;
    const common = this.#entries > 0 ? sharedPrefixOf(last, this.#lastLength, key, keyLength) : 0;
    const order =
      this.#entries === 0
        ? 1
        : common < keyLength && common < this.#lastLength
          ? key[common]! - last[common]!
          : keyLength - this.#lastLength;
    if (order < 0 || (order === 0 && seq >= this.#lastSeq)) {
      throw invalidArgument(
        `SSTable entries must be added in increasing key order, versions of a key newest first (${this.#name})`,
      );
    }
    // A block closes once it reaches blockSize, but never between two versions of one key.
    if (order > 0 && this.#used - this.#blockAt >= this.#options.blockSize) this.#finishBlock();
    // Version 2: the key shares its start with the key before (the table's last key, in this block unless the
    // entry opens it), except at a restart point, where it is stored whole and its offset noted.
    let shared = 0;
    if (this.#prefixed) {
      if (this.#blockEntries % this.#restartInterval === 0) this.#restarts.push(this.#used - this.#blockAt);
      else shared = common;
      this.#reserve(prefixEntrySize(keyLength, shared, valueLength));
      this.#used = encodePrefixParts(
        key,
        keyLength,
        shared,
        seq,
        op,
        values,
        valueAt,
        valueLength,
        this.#buffer,
        this.#used,
        valuesView,
        this.#view,
      );
    } else {
      const entry: Entry = {
        op: op === OP_PUT ? 'put' : 'delete',
        seq,
        key: key.subarray(0, keyLength),
        value: values.subarray(valueAt, valueAt + valueLength),
      };
      this.#reserve(entrySize(keyLength, valueLength));
      this.#used = encodeEntry(entry, this.#buffer, this.#used);
    }
    this.#blockEntries++;
    // The index keeps the block's first key: a copy, not a view that would keep the caller's buffer alive.
    if (!this.#blockFirstKey) this.#blockFirstKey = key.slice(0, keyLength);
    this.#entries++;
    this.#smallest ??= key.slice(0, keyLength);
    // The last key, kept in the builder's own buffer: only the bytes past those it shares with the one before.
    if (order > 0) {
      if (this.#last.length < keyLength) {
        const grown = new Uint8Array(Math.max(keyLength, 2 * this.#last.length));
        grown.set(this.#last.subarray(0, this.#lastLength));
        this.#last = grown;
      }
      for (let i = common; i < keyLength; i++) this.#last[i] = key[i]!;
      this.#lastLength = keyLength;
    }
    this.#smallestSeq = Math.min(this.#smallestSeq, seq);
    this.#largestSeq = Math.max(this.#largestSeq, seq);
    this.#lastSeq = seq;
    if (this.#options.bloomBitsPerKey > 0 && order > 0) this.#hashes.push(hash32(key, undefined, keyLength));
  }

  /** Writes index, filter, footer and trailer; returns what the manifest will record. Does not flush. */
  finish(): BuiltTable {
    this.#finishBlock();
    const indexOffset = this.#offset + this.#used;
    const index = frameBlock(this.#encodeIndex(), 'none');
    this.#append(index);
    const filterOffset = this.#offset + this.#used;
    const filter =
      this.#options.bloomBitsPerKey > 0
        ? frameBlock(buildBloom(this.#hashes, this.#options.bloomBitsPerKey), 'none')
        : new Uint8Array(0);
    this.#append(filter);
    const footer = this.#encodeFooter(indexOffset, index.length, filterOffset, filter.length);
    this.#append(footer);
    const trailer = new Uint8Array(TRAILER_SIZE);
    const view = new DataView(trailer.buffer);
    view.setUint32(0, crc32c(footer), true);
    view.setUint32(4, footer.length, true);
    view.setUint32(8, this.#prefixed ? SSTABLE_VERSION_PREFIX : SSTABLE_VERSION_FLAT, true);
    trailer.set(SSTABLE_MAGIC, 12);
    this.#append(trailer);
    this.#writePending();
    // Every byte is on storage now (the index kept copies of its keys): the next builder may have the buffer.
    if (this.#buffer.length === BUFFER_BYTES) spare = this.#buffer;
    return {
      size: this.#offset,
      entries: this.#entries,
      blocks: this.#index.length,
      dataBytes: this.#dataBytes,
      // Copies: the table's metadata lives on in the manifest's version; #last is reused by the next key.
      smallest: (this.#smallest ?? new Uint8Array(0)).slice(),
      largest: this.#last.slice(0, this.#lastLength),
      smallestSeq: this.#entries === 0 ? 0 : this.#smallestSeq,
      largestSeq: this.#largestSeq,
    };
  }

  #finishBlock(): void {
    if (this.#blockEntries === 0) return;
    if (this.#prefixed) {
      this.#reserve(restartArraySize(this.#restarts.length) + BLOCK_FRAME_SIZE);
      this.#used = encodeRestarts(this.#restarts, this.#buffer, this.#used);
      this.#restarts = [];
    } else {
      this.#reserve(4 + BLOCK_FRAME_SIZE);
      putU32(this.#buffer, this.#used, this.#blockEntries);
      this.#used += 4;
    }
    const bodyLength = this.#used - this.#blockAt;
    this.#dataBytes += bodyLength;
    // Framed where it lies (frameBlockInPlace: the same bytes frameBlock would make).
    const length = frameBlockInPlace(this.#buffer, this.#blockAt, bodyLength, this.#options.compression);
    this.#used = this.#blockAt + length;
    this.#index.push({ firstKey: this.#blockFirstKey!, offset: this.#offset + this.#blockAt, length });
    this.#blockAt = this.#used;
    this.#blockEntries = 0;
    this.#blockFirstKey = undefined;
    if (this.#used >= WRITE_BATCH_BYTES) this.#writePending();
  }

  /** Room for `bytes` more at the end of the buffer (a value larger than the buffer grows it). */
  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#buffer.length, this.#used + bytes));
    grown.set(this.#buffer.subarray(0, this.#used));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }

  #encodeIndex(): Uint8Array {
    let size = 4;
    for (const line of this.#index) size += 12 + line.firstKey.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    let p = 0;
    for (const line of this.#index) {
      view.setUint32(p, line.firstKey.length, true);
      out.set(line.firstKey, p + 4);
      p += 4 + line.firstKey.length;
      view.setUint32(p, line.offset, true);
      view.setUint32(p + 4, line.length, true);
      p += 8;
    }
    view.setUint32(p, this.#index.length, true);
    return out;
  }

  #encodeFooter(indexOffset: number, indexLength: number, filterOffset: number, filterLength: number): Uint8Array {
    const smallest = this.#smallest ?? new Uint8Array(0);
    const largest = this.#last.subarray(0, this.#lastLength);
    const out = new Uint8Array(FOOTER_FIXED_SIZE + 4 + smallest.length + 4 + largest.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, indexOffset, true);
    view.setUint32(4, indexLength, true);
    view.setUint32(8, filterOffset, true);
    view.setUint32(12, filterLength, true);
    view.setUint32(16, this.#entries, true);
    view.setUint32(20, this.#index.length, true);
    view.setUint32(24, this.#dataBytes, true);
    view.setBigUint64(28, BigInt(this.#entries === 0 ? 0 : this.#smallestSeq), true);
    view.setBigUint64(36, BigInt(this.#largestSeq), true);
    view.setUint32(44, smallest.length, true);
    out.set(smallest, 48);
    view.setUint32(48 + smallest.length, largest.length, true);
    out.set(largest, 52 + smallest.length);
    return out;
  }

  /** Appends after the finished blocks (no block is open: finish() closed it). */
  #append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
    this.#blockAt = this.#used;
  }

  /** Hands the finished blocks to storage; `#offset` is where the buffer's first byte goes in the file. */
  #writePending(): void {
    if (this.#blockAt === 0) return;
    writeFully(this.#file, this.#name, this.#buffer.subarray(0, this.#blockAt), this.#offset);
    this.#offset += this.#blockAt;
    this.#buffer.copyWithin(0, this.#blockAt, this.#used);
    this.#used -= this.#blockAt;
    this.#blockAt = 0;
  }
}
