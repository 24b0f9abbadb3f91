// The write-ahead log writer. Every put and delete is appended here, and flushed, before the memtable
// sees it: if the worker dies a microsecond later, the record is on storage and recovery replays it.
// One WAL per memtable; file names are `NNNNNN.log` (see filenames.ts).
import { concatBytes } from '../bytes';
import { type Entry, encodeEntry, entrySize } from '../codec/record';
import { flushFile, truncateFile, writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { frameRecord } from './format';

export class WalWriter {
  readonly name: string;
  readonly number: number;
  readonly #file: StorageFile;
  /** Bytes of whole records, written or waiting in `#pending`. */
  #size: number;
  /** Bytes handed to storage. */
  #written: number;
  #durableSize: number;
  /** Group commit: records appended but not yet written, written together by the next flush. */
  #pending: Uint8Array[] = [];

  constructor(file: StorageFile, name: string, number: number, size: number) {
    this.#file = file;
    this.name = name;
    this.number = number;
    this.#size = size;
    this.#written = size;
    this.#durableSize = size;
  }

  /** The log's length once every appended record is written. */
  get size(): number {
    return this.#size;
  }

  /** Bytes known to be flushed: everything before this offset survives power loss. */
  get durableSize(): number {
    return this.#durableSize;
  }

  /**
   * Appends one record. `now`: written at once (durable mode: it is flushed right after). Otherwise it waits
   * in memory and the next flush writes the whole group with one write(): fewer, larger writes, and a power
   * loss can then only damage the last group, at the end of the log, never a record in front of a good one.
   * If storage refuses or shortens a write, the log is cut back to where it was.
   */
  append(entry: Entry, now: boolean): { offset: number; length: number } {
    const payload = new Uint8Array(entrySize(entry.key.length, entry.value.length));
    encodeEntry(entry, payload, 0);
    return this.appendRecord(frameRecord(payload), now);
  }

  /** Appends a record already framed and sealed: a write batch's (batch.ts). */
  appendRecord(record: Uint8Array, now: boolean): { offset: number; length: number } {
    const offset = this.#size;
    if (now) {
      this.#writePending();
      try {
        writeFully(this.#file, this.name, record, offset);
      } catch (error) {
        this.#cutBackTo(offset);
        throw error;
      }
      this.#written = offset + record.length;
    } else {
      this.#pending.push(record);
    }
    this.#size = offset + record.length;
    return { offset, length: record.length };
  }

  /**
   * The durability point: after this returns, every appended record survives power loss. If the write or the
   * flush fails, the records since the last good flush are cut off again (they were never made durable); the
   * error says whether that worked (`walCutBack`): if not, the caller must stop writing.
   */
  flush(): void {
    try {
      this.#writePending();
      flushFile(this.#file, this.name);
    } catch (error) {
      this.#pending = [];
      const cutBack = this.#cutBackTo(this.#durableSize);
      throw Object.assign(error as Error, { walCutBack: cutBack });
    }
    this.#durableSize = this.#size;
  }

  close(): void {
    this.#file.close();
  }

  #writePending(): void {
    if (this.#pending.length === 0) return;
    const group = concatBytes(this.#pending);
    this.#pending = [];
    writeFully(this.#file, this.name, group, this.#written);
    this.#written += group.length;
  }

  /** Truncates back to `size`; true when that worked (then the log ends with whole records again). */
  #cutBackTo(size: number): boolean {
    try {
      truncateFile(this.#file, this.name, size);
      this.#size = size;
      this.#written = size;
      return true;
    } catch {
      // The write already failed; recovery treats whatever is left past `size` as a torn tail.
      return false;
    }
  }
}
