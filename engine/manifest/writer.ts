// Appends version edits to the manifest. Each append is flushed before it returns: a manifest record on
// storage is the moment an SSTable starts to exist for readers (and a WAL may be deleted). The framing and
// the cut-back after a failed append are the framed log's (log/writer.ts).
import { frameRecord } from '../log/format';
import { LogWriter } from '../log/writer';
import type { StorageFile } from '../storage/storage';
import { encodeEdit, type VersionEdit } from './edit';

export class ManifestWriter extends LogWriter {
  #records: number;

  constructor(file: StorageFile, name: string, size: number, records: number) {
    super('manifest', file, name, size);
    this.#records = records;
  }

  get records(): number {
    return this.#records;
  }

  /**
   * Appends and flushes one edit. If either fails, the manifest is cut back to where it was; the LogAppendError
   * says whether that worked.
   */
  commit(edit: VersionEdit): { offset: number; length: number } {
    const written = this.appendDurably(frameRecord(encodeEdit(edit)));
    this.#records++;
    return written;
  }
}
