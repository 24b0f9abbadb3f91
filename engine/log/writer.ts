// The framed log's writer, shared by the WAL and the manifest (LevelDB's db/log_writer.cc): appends framed
// records (format.ts) to one file, and on a failed append cuts the file back to where it was, so that the next
// record never lands behind half of this one (which recovery would rightly call corruption). Whether that
// cut-back worked travels on the error, typed: LogAppendError.cutBack.
import { concatBytes } from '../bytes';
import { ErrorCode, LsmError } from '../errors';
import { flushFile, truncateFile, writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';

/**
 * An append or flush of a framed log failed: every failure of LogWriter is one of these. Same code, message, file
 * and offset as the storage error behind it (a failure that is no LsmError becomes an io-error at the log's file
 * and the offset the append started at); `cutBack` says whether the log was cut back to where it was: true, the
 * failed records left no trace; false, they may be on storage after all, and the caller must stop writing.
 */
export class LogAppendError extends LsmError {
  /** Which log failed. */
  readonly log: LogKind;
  readonly cutBack: boolean;

  constructor(failure: unknown, log: LogKind, cutBack: boolean, where: { file: string; offset: number }) {
    const error =
      failure instanceof LsmError
        ? failure
        : new LsmError(ErrorCode.IoError, failure instanceof Error ? failure.message : String(failure), {
            cause: failure,
          });
    super(error.code, error.message, {
      file: error.file ?? where.file,
      offset: error.offset ?? where.offset,
      cause: error.cause,
    });
    this.log = log;
    this.cutBack = cutBack;
  }
}

export type LogKind = 'wal' | 'manifest';

/** Whether a failed append to a `log` was cut back: true or false; undefined when `error` is no such failure. */
export function cutBackAfter(error: unknown, log: LogKind): boolean | undefined {
  return error instanceof LogAppendError && error.log === log ? error.cutBack : undefined;
}

export class LogWriter {
  readonly kind: LogKind;
  readonly name: string;
  readonly #file: StorageFile;
  /** Bytes of whole records, written or waiting in `#pending`. */
  #size: number;
  /** Bytes handed to storage. */
  #written: number;
  #durableSize: number;
  /** Group commit: records appended but not yet written, written together by the next flush. */
  #pending: Uint8Array[] = [];

  constructor(kind: LogKind, file: StorageFile, name: string, size: number) {
    this.kind = kind;
    this.#file = file;
    this.name = name;
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
   * Appends one framed record. `now`: written at once (then flushed by the caller). Otherwise it waits in memory
   * and the next flush writes the whole group with one write(): fewer, larger writes, and a power loss can then
   * only damage the last group, at the end of the log, never a record in front of a good one. If storage refuses
   * or shortens a write, the log is cut back to where it was; the LogAppendError says whether that worked.
   */
  appendRecord(record: Uint8Array, now: boolean): { offset: number; length: number } {
    const offset = this.#size;
    if (now) {
      this.#writePending();
      try {
        writeFully(this.#file, this.name, record, offset);
      } catch (error) {
        throw new LogAppendError(error, this.kind, this.#cutBackTo(offset, false), { file: this.name, offset });
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
   * LogAppendError says whether that worked: if not, the caller must stop writing.
   */
  flush(): void {
    try {
      this.#writePending();
      flushFile(this.#file, this.name);
    } catch (error) {
      this.#pending = [];
      const offset = this.#durableSize;
      const cutBack = this.#cutBackTo(offset, false);
      throw new LogAppendError(error, this.kind, cutBack, { file: this.name, offset });
    }
    this.#durableSize = this.#size;
  }

  /**
   * Appends one record and flushes it before returning (the manifest's commit). If either fails, the log is cut
   * back to where it was and the cut-back flushed; the LogAppendError says whether that worked.
   */
  appendDurably(record: Uint8Array): { offset: number; length: number } {
    const offset = this.#size;
    try {
      writeFully(this.#file, this.name, record, offset);
      flushFile(this.#file, this.name);
    } catch (error) {
      // On failure recovery finds a torn tail here, or a record that did get through: both are consistent.
      throw new LogAppendError(error, this.kind, this.#cutBackTo(offset, true), { file: this.name, offset });
    }
    this.#size = offset + record.length;
    this.#written = this.#size;
    this.#durableSize = this.#size;
    return { offset, length: record.length };
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

  /** Truncates back to `size` (and flushes that, if `flush`); true when that worked (whole records again). */
  #cutBackTo(size: number, flush: boolean): boolean {
    try {
      truncateFile(this.#file, this.name, size);
      if (flush) flushFile(this.#file, this.name);
      this.#size = size;
      this.#written = size;
      return true;
    } catch {
      // The write already failed; recovery treats whatever is left past `size` as a torn tail.
      return false;
    }
  }
}
