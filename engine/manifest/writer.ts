// Appends version edits to the manifest. Each append is flushed before it returns: a manifest record on
// storage is the moment an SSTable starts to exist for readers (and a WAL may be deleted).
import { flushFile, writeFully } from '../storage/io';
import type { StorageFile } from '../storage/storage';
import { frameRecord } from '../wal/format';
import { encodeEdit, type VersionEdit } from './edit';

export class ManifestWriter {
  readonly name: string;
  readonly #file: StorageFile;
  #size: number;
  #records: number;

  constructor(file: StorageFile, name: string, size: number, records: number) {
    this.#file = file;
    this.name = name;
    this.#size = size;
    this.#records = records;
  }

  get size(): number {
    return this.#size;
  }

  get records(): number {
    return this.#records;
  }

  commit(edit: VersionEdit): { offset: number; length: number } {
    const record = frameRecord(encodeEdit(edit));
    const offset = this.#size;
    writeFully(this.#file, this.name, record, offset);
    flushFile(this.#file, this.name);
    this.#size += record.length;
    this.#records++;
    return { offset, length: record.length };
  }

  close(): void {
    this.#file.close();
  }
}
