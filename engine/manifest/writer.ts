// Appends version edits to the manifest. Each append is flushed before it returns: a manifest record on
// storage is the moment an SSTable starts to exist for readers (and a WAL may be deleted).
import { flushFile, truncateFile, writeFully } from '../storage/io';
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

  /**
   * Appends and flushes one edit. If either fails, the manifest is cut back to where it was, so that the next
   * record does not land behind half of this one (which recovery would rightly call corruption); the error
   * says whether that worked (`manifestCutBack`).
   */
  commit(edit: VersionEdit): { offset: number; length: number } {
    const record = frameRecord(encodeEdit(edit));
    const offset = this.#size;
    try {
      writeFully(this.#file, this.name, record, offset);
      flushFile(this.#file, this.name);
    } catch (error) {
      let cutBack = false;
      try {
        truncateFile(this.#file, this.name, offset);
        flushFile(this.#file, this.name);
        cutBack = true;
      } catch {
        // Recovery will find a torn tail here, or a record that did get through: both are consistent.
      }
      throw Object.assign(error as Error, { manifestCutBack: cutBack });
    }
    this.#size += record.length;
    this.#records++;
    return { offset, length: record.length };
  }

  close(): void {
    this.#file.close();
  }
}
