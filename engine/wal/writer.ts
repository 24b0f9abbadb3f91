// The write-ahead log writer. Every put and delete is appended here, and flushed, before the memtable
// sees it: if the worker dies a microsecond later, the record is on storage and recovery replays it.
// One WAL per memtable; file names are `NNNNNN.log` (see filenames.ts). The framing, group writes and the
// cut-back after a failed append are the framed log's (log/writer.ts); the records come encoded and sealed from
// the write path (write.ts: entryRecord, WriteBatch.walRecord; sealed by log/format.ts).
import { LogWriter } from '../log/writer';
import type { StorageFile } from '../storage/storage';

export class WalWriter extends LogWriter {
  readonly number: number;

  constructor(file: StorageFile, name: string, number: number, size: number) {
    super('wal', file, name, size);
    this.number = number;
  }
}
