// Recovery's events, built here as the tree's are in trace.ts: recovery (recovery.ts) calls one method per step
// and reads as the recovery rules. Bytes become hex here, and only when someone listens.
import { toHex } from './bytes';
import { type Entry, entrySize } from './codec/entry';
import type { LsmError } from './errors';
import type { FileInfo } from './events';
import { sstableName } from './filenames';
import type { LogRecord } from './log/reader';
import type { VersionEdit } from './manifest/edit';
import type { RolledManifest } from './manifest/roll';
import type { Version } from './manifest/version';
import type { ManifestWriter } from './manifest/writer';
import { type Memtable, SEARCH_PATH_UP_TO } from './memtable/memtable';
import { corruptionEvent, sstableInfo, type Trace } from './trace';

/** Corruption errors already announced with a `corruption` event, so that each is announced once. */
const announced = new WeakSet<LsmError>();

export class RecoveryTrace {
  readonly #trace: Trace;
  /**
   * The memtable as the replay fills it, in the terms its events give (entries, bytes): each key's entry size. Kept
   * here, for the events alone: recovery itself sorts the writes into the memtable once, at the end (Memtable.of).
   */
  readonly #replayedKeys = new Map<string, number>();
  #replayedBytes = 0;

  constructor(trace: Trace) {
    this.#trace = trace;
  }

  /** Someone listens. Replaying a big WAL makes two events per record; without a listener, none. */
  get on(): boolean {
    return this.#trace.on;
  }

  begin(files: FileInfo[]): void {
    this.#trace.emit({ type: 'recovery.begin', files });
  }

  /** One manifest record read back (recovery.ts reports them for a manifest of a few records). */
  edit(file: string, record: LogRecord, headerSize: number, edit: VersionEdit): void {
    this.#trace.emit({
      type: 'recovery.edit',
      file,
      offset: record.offset,
      length: headerSize + record.payload.length,
      added: edit.added.map((t) => t.file),
      removed: edit.removed.map(sstableName),
      logNumber: edit.logNumber,
      lastSequence: edit.lastSequence,
    });
  }

  manifestReplayed(manifest: ManifestWriter, version: Version): void {
    this.#trace.emit({
      type: 'recovery.manifest',
      file: manifest.name,
      size: manifest.size,
      records: manifest.records,
      tables: version.newestFirst().map(sstableInfo),
      logNumber: version.logNumber,
      lastSequence: version.lastSequence,
    });
  }

  /**
   * One write of a WAL record replayed (the first of a record is announced with the record), with the memtable's
   * entries and bytes as they would be after it. Call only while someone listens (`on`): the count is kept here.
   */
  replayed(
    file: string,
    record: Pick<LogRecord, 'offset' | 'length'>,
    entry: Entry,
    first: boolean,
    batch: number | undefined,
    limit: number,
  ): void {
    const key = toHex(entry.key);
    const value = entry.op === 'put' ? toHex(entry.value) : null;
    const size = entrySize(entry.key.length, entry.value.length);
    this.#replayedBytes += size - (this.#replayedKeys.get(key) ?? 0);
    this.#replayedKeys.set(key, size);
    if (first) {
      this.#trace.emit({
        type: 'recovery.replay',
        file,
        offset: record.offset,
        length: record.length,
        op: entry.op,
        seq: entry.seq,
        key,
        value,
        ...(batch === undefined ? {} : { batch }),
      });
    }
    this.#trace.emit({
      type: 'memtable.insert',
      op: entry.op,
      seq: entry.seq,
      key,
      value,
      bytes: this.#replayedBytes,
      entries: this.#replayedKeys.size,
      limit,
    });
  }

  tornTail(file: string, offset: number, droppedBytes: number): void {
    this.#trace.emit({ type: 'recovery.torn-tail', file, offset, droppedBytes });
  }

  deleted(file: string, reason: string): void {
    this.#trace.emit({ type: 'recovery.delete', file, reason });
  }

  walCreated(file: string): void {
    this.#trace.walCreated(file);
  }

  /** A new database's first manifest record: a snapshot of the empty tree. */
  manifestCreated(file: string, at: { offset: number; length: number }, logNumber: number): void {
    this.#trace.emit({ type: 'manifest.edit', file, ...at, added: [], removed: [], logNumber, lastSequence: 0 });
  }

  manifestStarted(rolled: RolledManifest): void {
    this.#trace.manifestStarted(rolled);
  }

  end(
    wal: { name: string; size: number },
    replayed: number,
    memtable: Memtable,
    memtableLimit: number,
    tables: number,
    lastSequence: number,
  ): void {
    this.#trace.emit({
      type: 'recovery.end',
      wal: wal.name,
      walSize: wal.size,
      replayed,
      memtableEntries: memtable.entries,
      memtableLimit,
      tables,
      lastSequence,
      ...(this.on && memtable.entries <= SEARCH_PATH_UP_TO ? { heights: towerHeights(memtable) } : {}),
    });
  }

  /** A new database is open: its empty WAL. */
  freshEnd(wal: string, memtableLimit: number): void {
    this.#trace.emit({
      type: 'recovery.end',
      wal,
      walSize: 0,
      replayed: 0,
      memtableEntries: 0,
      memtableLimit,
      tables: 0,
      lastSequence: 0,
      created: true,
    });
  }

  /** Announces corruption recovery met, once per error; returns the error for the caller to throw. */
  corruption(error: LsmError): LsmError {
    const event = corruptionEvent(error);
    if (event && !announced.has(error)) {
      announced.add(error);
      this.#trace.emit(event);
    }
    return error;
  }
}

/** Each key's tower height in the skip list recovery loaded, for the picture. */
function towerHeights(memtable: Memtable): Array<{ key: string; height: number }> {
  return [...memtable.range()].map((e) => ({ key: toHex(e.key), height: memtable.heightOf(e.key) }));
}
