// The write-ahead log writer. Every put and delete is appended here before the memtable sees it. When it is
// flushed depends on the durability setting (settings.ts): 'durable' writes it and flushes it before the memtable
// sees it, so a worker that dies a microsecond later leaves the record on storage for recovery to replay; 'group'
// and 'relaxed' keep it in this writer's memory until its group is written and flushed (log/writer.ts), after the
// memtable already holds it: a crash before then loses it ('group' acknowledges the write only after that flush).
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
