// The write-ahead log writer. Every put and delete is appended here, and flushed, before the memtable
// sees it: if the worker dies a microsecond later, the record is on storage and recovery replays it.
// One WAL per memtable; file names are `NNNNNN.log` (see filenames.ts). The framing, group writes and the
// cut-back after a failed append are the framed log's (log/writer.ts).
import { type Entry, encodeEntry, entrySize } from '../codec/entry';
import { frameRecord } from '../log/format';
import { LogWriter } from '../log/writer';
import type { StorageFile } from '../storage/storage';

export class WalWriter extends LogWriter {
  readonly number: number;

  constructor(file: StorageFile, name: string, number: number, size: number) {
    super('wal', file, name, size);
    this.number = number;
  }

  /** Appends one entry as its own record (see LogWriter.appendRecord for `now`). */
  append(entry: Entry, now: boolean): { offset: number; length: number } {
    const payload = new Uint8Array(entrySize(entry.key.length, entry.value.length));
    encodeEntry(entry, payload, 0);
    return this.appendRecord(frameRecord(payload), now);
  }
}
