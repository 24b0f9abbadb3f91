// The write-ahead log writer. Every put and delete is appended here, and flushed, before the memtable
// sees it: if the worker dies a microsecond later, the record is on storage and recovery replays it.
// One WAL per memtable; file names are `NNNNNN.log` (see filenames.ts).
import { type Entry, encodeEntry, entrySize } from '../codec/record';
import { flushFile, truncateFile, writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { frameRecord } from './format';

export class WalWriter {
  readonly name: string;
  readonly number: number;
  readonly #file: StorageFile;
  #size: number;
  #durableSize: number;

  constructor(file: StorageFile, name: string, number: number, size: number) {
    this.#file = file;
    this.name = name;
    this.number = number;
    this.#size = size;
    this.#durableSize = size;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends one record (not yet durable). If storage refuses or shortens the write, the log is cut back
   * to where it was, so that a half-written record never sits in front of the next one.
   */
  append(entry: Entry): { offset: number; length: number } {
    const payload = new Uint8Array(entrySize(entry.key.length, entry.value.length));
    encodeEntry(entry, payload, 0);
    const record = frameRecord(payload);
    const offset = this.#size;
    try {
      writeFully(this.#file, this.name, record, offset);
    } catch (error) {
      this.#cutBackTo(offset);
      throw error;
    }
    this.#size = offset + record.length;
    return { offset, length: record.length };
  }

  /** Bytes known to be flushed: everything before this offset survives power loss. */
  get durableSize(): number {
    return this.#durableSize;
  }

  /**
   * The durability point: after this returns, every appended record survives power loss. If the flush fails,
   * the records since the last good flush are cut off again (they were never acknowledged); if even that
   * fails, the caller must stop writing: the log's tail is in an unknown state.
   */
  flush(): void {
    try {
      flushFile(this.#file, this.name);
    } catch (error) {
      const cutBack = this.#cutBackTo(this.#durableSize);
      throw Object.assign(error as Error, { walCutBack: cutBack });
    }
    this.#durableSize = this.#size;
  }

  close(): void {
    this.#file.close();
  }

  /** Truncates back to `size`; true when that worked (then the log ends with whole records again). */
  #cutBackTo(size: number): boolean {
    try {
      truncateFile(this.#file, this.name, size);
      this.#size = size;
      return true;
    } catch {
      // The write already failed; recovery treats whatever is left past `size` as a torn tail.
      return false;
    }
  }
}
