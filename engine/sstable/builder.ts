// Builds one SSTable from entries given in strictly increasing key order. Entries go into data blocks of
// about `blockSize` bytes; each finished block gets a checksum and one line in the sparse index (its first
// key, offset and length). The file is written in few, large write() calls: one OPFS write costs about the
// same for 100 bytes as for 64 KiB (PLATFORM.md §4).
import { compareBytes, concatBytes, toHex } from '../bytes';
import { crc32c } from '../codec/crc32c';
import { type Entry, encodeEntry, entrySize } from '../codec/record';
import { invalidArgument } from '../errors';
import { writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { BLOCK_TRAILER_SIZE, SSTABLE_MAGIC, SSTABLE_VERSION, TRAILER_SIZE } from './format';

/** Pending bytes are handed to storage once they reach this size. */
const WRITE_BATCH_BYTES = 256 * 1024;

interface IndexLine {
  firstKey: Uint8Array;
  offset: number;
  length: number;
}

export interface BuiltTable {
  size: number;
  entries: number;
  blocks: number;
  smallest: string;
  largest: string;
}

export class SstableBuilder {
  readonly #file: StorageFile;
  readonly #name: string;
  readonly #blockSize: number;
  #block: Uint8Array[] = [];
  #blockBytes = 0;
  #blockEntries = 0;
  #blockFirstKey: Uint8Array | undefined;
  readonly #index: IndexLine[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #offset = 0;
  #entries = 0;
  #smallest: Uint8Array | undefined;
  #largest: Uint8Array | undefined;

  constructor(file: StorageFile, name: string, blockSize: number) {
    this.#file = file;
    this.#name = name;
    this.#blockSize = blockSize;
  }

  add(entry: Entry): void {
    if (this.#largest && compareBytes(entry.key, this.#largest) <= 0) {
      throw invalidArgument(`SSTable entries must be added in increasing key order (${this.#name})`);
    }
    const encoded = new Uint8Array(entrySize(entry.key.length, entry.value.length));
    encodeEntry(entry, encoded, 0);
    if (!this.#blockFirstKey) this.#blockFirstKey = entry.key;
    this.#block.push(encoded);
    this.#blockBytes += encoded.length;
    this.#blockEntries++;
    this.#entries++;
    this.#smallest ??= entry.key;
    this.#largest = entry.key;
    if (this.#blockBytes >= this.#blockSize) this.#finishBlock();
  }

  /** Writes index, filter, footer and trailer; returns what the manifest will record. Does not flush. */
  finish(): BuiltTable {
    this.#finishBlock();
    const indexOffset = this.#offset;
    const index = this.#encodeIndex();
    this.#append(index);
    const filterOffset = this.#offset; // format version 1: no filter yet, an empty block
    const footer = this.#encodeFooter(indexOffset, index.length, filterOffset, 0);
    this.#append(footer);
    const trailer = new Uint8Array(TRAILER_SIZE);
    const view = new DataView(trailer.buffer);
    view.setUint32(0, crc32c(footer), true);
    view.setUint32(4, footer.length, true);
    view.setUint32(8, SSTABLE_VERSION, true);
    trailer.set(SSTABLE_MAGIC, 12);
    this.#append(trailer);
    this.#writePending();
    return {
      size: this.#offset,
      entries: this.#entries,
      blocks: this.#index.length,
      smallest: toHex(this.#smallest ?? new Uint8Array(0)),
      largest: toHex(this.#largest ?? new Uint8Array(0)),
    };
  }

  #finishBlock(): void {
    if (this.#blockEntries === 0) return;
    const trailer = new Uint8Array(BLOCK_TRAILER_SIZE);
    const view = new DataView(trailer.buffer);
    view.setUint32(0, this.#blockEntries, true);
    const body = concatBytes([...this.#block, trailer.subarray(0, 4)]);
    view.setUint32(4, crc32c(body), true);
    const block = concatBytes([body, trailer.subarray(4)]);
    this.#index.push({ firstKey: this.#blockFirstKey!, offset: this.#offset, length: block.length });
    this.#append(block);
    this.#block = [];
    this.#blockBytes = 0;
    this.#blockEntries = 0;
    this.#blockFirstKey = undefined;
    if (this.#pendingBytes >= WRITE_BATCH_BYTES) this.#writePending();
  }

  #encodeIndex(): Uint8Array {
    let size = BLOCK_TRAILER_SIZE;
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
    view.setUint32(p + 4, crc32c(out.subarray(0, p + 4)), true);
    return out;
  }

  #encodeFooter(indexOffset: number, indexLength: number, filterOffset: number, filterLength: number): Uint8Array {
    const smallest = this.#smallest ?? new Uint8Array(0);
    const largest = this.#largest ?? new Uint8Array(0);
    const out = new Uint8Array(24 + 4 + smallest.length + 4 + largest.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, indexOffset, true);
    view.setUint32(4, indexLength, true);
    view.setUint32(8, filterOffset, true);
    view.setUint32(12, filterLength, true);
    view.setUint32(16, this.#entries, true);
    view.setUint32(20, this.#index.length, true);
    view.setUint32(24, smallest.length, true);
    out.set(smallest, 28);
    view.setUint32(28 + smallest.length, largest.length, true);
    out.set(largest, 32 + smallest.length);
    return out;
  }

  #append(bytes: Uint8Array): void {
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    this.#offset += bytes.length;
  }

  #writePending(): void {
    if (this.#pendingBytes === 0) return;
    const bytes = concatBytes(this.#pending);
    writeFully(this.#file, this.#name, bytes, this.#offset - bytes.length);
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
