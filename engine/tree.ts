// LsmTree: the engine's front door. Writes go WAL first (flushed: durable), then the memtable; a full
// memtable becomes an SSTable, committed by one manifest record; reads go newest to oldest. Every
// operation runs alone, in call order, on one serial queue: no two ever interleave.
import { compareBytes, toHex } from './bytes';
import type { Entry } from './codec/record';
import { ErrorCode, LsmError } from './errors';
import type { EngineEvent, EngineEventBody, EventListener, FileInfo, SstableMeta } from './events';
import { sstableName, walName } from './filenames';
import { checkKey, checkValue } from './limits';
import type { Version } from './manifest/version';
import type { ManifestWriter } from './manifest/writer';
import { Memtable } from './memtable/memtable';
import { recover } from './recovery';
import { SstableBuilder } from './sstable/builder';
import { DEFAULT_BLOCK_SIZE } from './sstable/format';
import { SstableReader } from './sstable/reader';
import { flushFile } from './storage/io';
import type { Storage } from './storage/storage';
import { WalWriter } from './wal/writer';
import { yieldToEventLoop } from './yield';

export interface LsmOptions {
  /** Flush the memtable to an SSTable once its entries take this many bytes. Default 4 MiB, as in the seed. */
  memtableBytes?: number;
  /** Data blocks close at about this many bytes. Default 4 KiB. */
  blockSize?: number;
  /** Subscribed before recovery starts, so it sees every recovery event. */
  onEvent?: EventListener;
}

export const DEFAULT_MEMTABLE_BYTES = 4 * 1024 * 1024;

/** The answer to a get, with where it came from: what the UI tells the class. */
export interface Lookup {
  value: Uint8Array | undefined;
  /** 'memtable', an SSTable's file name, or null when the key was not found. */
  source: string | null;
  tablesChecked: number;
  blocksRead: number;
}

/** The engine's own picture of itself, in the same terms as the events (bytes as hex). */
export interface TreeState {
  wal: FileInfo;
  manifest: FileInfo;
  memtable: Array<{ key: string; value: string | null; seq: number }>;
  memtableBytes: number;
  /** Newest first: the order a read tries them. */
  tables: SstableMeta[];
  lastSequence: number;
}

/** Entries per slice when a flush or scan walks many entries; between slices the event loop runs. */
const SLICE = 512;
const SCAN_BATCH = 256;

export class LsmTree {
  readonly #storage: Storage;
  readonly #listeners = new Set<EventListener>();
  #memtableBytes: number;
  readonly #blockSize: number;
  #version!: Version;
  #manifest!: ManifestWriter;
  #wal!: WalWriter;
  #olderWals: string[] = [];
  #memtable!: Memtable;
  #readers!: Map<number, SstableReader>;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #eventId = 0;

  private constructor(storage: Storage, options: LsmOptions) {
    this.#storage = storage;
    this.#memtableBytes = positiveInteger(options.memtableBytes ?? DEFAULT_MEMTABLE_BYTES, 'memtableBytes');
    this.#blockSize = positiveInteger(options.blockSize ?? DEFAULT_BLOCK_SIZE, 'blockSize');
    if (options.onEvent) this.#listeners.add(options.onEvent);
  }

  /** Opens (recovering) or creates the database kept in `storage`. */
  static async open(storage: Storage, options: LsmOptions = {}): Promise<LsmTree> {
    const tree = new LsmTree(storage, options);
    const state = await recover(storage, (event) => tree.#emit(event), tree.#memtableBytes);
    tree.#version = state.version;
    tree.#manifest = state.manifest;
    tree.#wal = state.wal;
    tree.#olderWals = state.olderWals;
    tree.#memtable = state.memtable;
    tree.#readers = state.readers;
    return tree;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once the record is in the WAL and the WAL is flushed: then the write survives a crash. */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    checkKey(key);
    checkValue(value);
    // Copies: the caller may reuse its buffers after we return, and the memtable keeps ours.
    return this.#run(() => this.#write('put', key.slice(), value.slice()));
  }

  /** Writes a tombstone: the key reads as absent, and older values of it in SSTables stay hidden. */
  async delete(key: Uint8Array): Promise<void> {
    checkKey(key);
    return this.#run(() => this.#write('delete', key.slice(), new Uint8Array(0)));
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return (await this.lookup(key)).value;
  }

  /** get, and where the answer came from. `trace: false` reads without emitting events. */
  async lookup(key: Uint8Array, options: { trace?: boolean } = {}): Promise<Lookup> {
    checkKey(key);
    return this.#run(async () => this.#lookup(key, options.trace ?? true));
  }

  /**
   * Pairs with start <= key < end, in key order, newest version of each, deletes hidden. Read in batches:
   * each batch is one queued operation, so a long scan never holds up writes (and sees them as it goes).
   */
  async *scan(range: { start?: Uint8Array; end?: Uint8Array } = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    if (range.start !== undefined) checkKey(range.start);
    if (range.end !== undefined) checkKey(range.end);
    let from = range.start;
    let skipFrom = false;
    for (;;) {
      const batch = await this.#run(async () => this.#scanBatch(from, skipFrom, range.end));
      for (const pair of batch.pairs) yield pair;
      if (batch.done) return;
      from = batch.pairs[batch.pairs.length - 1]![0];
      skipFrom = true;
    }
  }

  /** Memtable -> SSTable now (nothing happens when the memtable is empty). */
  async flush(): Promise<void> {
    return this.#run(() => this.#flushMemtable('manual'));
  }

  /** Compaction arrives with levels (engine-depth issue); with one level there is nothing to compact yet. */
  compact(): Promise<void> {
    return this.#run(async () => {});
  }

  /** Takes effect at the next write. */
  async setMemtableBytes(bytes: number): Promise<void> {
    const checked = positiveInteger(bytes, 'memtableBytes');
    return this.#run(async () => {
      this.#memtableBytes = checked;
    });
  }

  describe(): Promise<TreeState> {
    return this.#run(async () => ({
      wal: { file: this.#wal.name, size: this.#wal.size },
      manifest: { file: this.#manifest.name, size: this.#manifest.size },
      memtable: [...this.#memtable.range()].map((e) => ({
        key: toHex(e.key),
        value: e.op === 'put' ? toHex(e.value) : null,
        seq: e.seq,
      })),
      memtableBytes: this.#memtable.bytes,
      tables: this.#version.newestFirst(),
      lastSequence: this.#version.lastSequence,
    }));
  }

  /** Closes every file. The memtable is not flushed: its records are in the WAL, and opening replays them. */
  close(): Promise<void> {
    return this.#run(async () => {
      this.#wal.close();
      this.#manifest.close();
      for (const reader of this.#readers.values()) reader.close();
      this.#closed = true;
      this.#emit({ type: 'close' });
    });
  }

  // --- internals ---------------------------------------------------------------------------------------

  #run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => {
      if (this.#closed) throw new LsmError(ErrorCode.Closed, 'the database is closed');
      return operation();
    });
    this.#queue = result.catch(() => {});
    return result.catch((error: unknown) => {
      if (error instanceof LsmError && error.code === ErrorCode.Corruption) {
        this.#emit({ type: 'corruption', file: error.file ?? '?', offset: error.offset ?? 0, detail: error.message });
      }
      throw error;
    });
  }

  #emit(body: EngineEventBody): void {
    const event = { ...body, id: ++this.#eventId } as EngineEvent;
    for (const listener of this.#listeners) listener(event);
  }

  async #write(op: Entry['op'], key: Uint8Array, value: Uint8Array): Promise<void> {
    const entry: Entry = { op, seq: this.#version.lastSequence + 1, key, value };
    const keyHex = toHex(key);
    const valueHex = op === 'put' ? toHex(value) : null;
    // 1. The WAL first, and flushed: from here on a crash cannot lose this write.
    const { offset, length } = this.#wal.append(entry);
    this.#emit({
      type: 'wal.append',
      file: this.#wal.name,
      offset,
      length,
      op,
      seq: entry.seq,
      key: keyHex,
      value: valueHex,
    });
    this.#wal.flush();
    this.#version.lastSequence = entry.seq;
    this.#emit({ type: 'wal.flush', file: this.#wal.name, size: this.#wal.size });
    // 2. Then the memtable, where reads will find it.
    this.#memtable.apply(entry);
    this.#emit({
      type: 'memtable.insert',
      op,
      seq: entry.seq,
      key: keyHex,
      value: valueHex,
      bytes: this.#memtable.bytes,
      entries: this.#memtable.entries,
      limit: this.#memtableBytes,
    });
    // 3. A full memtable becomes an SSTable before the write is acknowledged.
    if (this.#memtable.bytes >= this.#memtableBytes) await this.#flushMemtable('threshold');
  }

  /**
   * The flush, in the order that keeps every crash recoverable:
   *   new WAL -> SSTable written and flushed -> manifest edit flushed (commit) -> old WAL deleted.
   * A crash before the commit leaves an SSTable nobody names (recovery deletes it) and the old WAL
   * (recovery replays it). A crash after it leaves an old WAL below the log number (recovery deletes it).
   */
  async #flushMemtable(reason: 'threshold' | 'manual'): Promise<void> {
    const memtable = this.#memtable;
    if (memtable.entries === 0) return;
    this.#emit({ type: 'flush.begin', reason, entries: memtable.entries, bytes: memtable.bytes, wal: this.#wal.name });

    const walNumber = this.#version.nextFileNumber++;
    const newWal = new WalWriter(
      await this.#storage.open(walName(walNumber), { create: true }),
      walName(walNumber),
      walNumber,
      0,
    );
    this.#emit({ type: 'wal.create', file: newWal.name });

    const tableNumber = this.#version.nextFileNumber++;
    const name = sstableName(tableNumber);
    const file = await this.#storage.open(name, { create: true });
    let table: SstableMeta;
    try {
      const builder = new SstableBuilder(file, name, this.#blockSize);
      let count = 0;
      for (const entry of memtable.range()) {
        builder.add(entry);
        if (++count % SLICE === 0) await yieldToEventLoop();
      }
      const built = builder.finish();
      flushFile(file, name);
      table = { file: name, number: tableNumber, level: 0, ...built };
    } catch (error) {
      // Nothing is committed: drop the half-made files and carry on with the old WAL and memtable.
      file.close();
      newWal.close();
      await this.#storage.remove(name).catch(() => {});
      await this.#storage.remove(newWal.name).catch(() => {});
      throw error;
    }
    this.#emit({ type: 'sstable.write', table });

    const edit = {
      logNumber: walNumber,
      nextFileNumber: this.#version.nextFileNumber,
      lastSequence: this.#version.lastSequence,
      added: [table],
      removed: [],
    };
    const written = this.#manifest.commit(edit);
    this.#version.apply(edit);
    this.#readers.set(tableNumber, SstableReader.open(file, name));
    this.#emit({
      type: 'manifest.edit',
      file: this.#manifest.name,
      ...written,
      added: [table],
      removed: [],
      logNumber: walNumber,
      lastSequence: edit.lastSequence,
    });

    // Committed. The old WAL(s) hold nothing the SSTable lacks.
    this.#wal.close();
    for (const old of [...this.#olderWals, this.#wal.name]) {
      await this.#storage.remove(old);
      this.#emit({ type: 'wal.remove', file: old });
    }
    this.#olderWals = [];
    this.#wal = newWal;
    this.#memtable = new Memtable();
    this.#emit({ type: 'flush.end', table: name, wal: newWal.name });
  }

  #lookup(key: Uint8Array, trace: boolean): Lookup {
    const emit = trace ? (e: EngineEventBody) => this.#emit(e) : () => {};
    const keyHex = toHex(key);
    emit({ type: 'read.begin', key: keyHex });
    const done = (value: Uint8Array | undefined, source: string | null, tablesChecked: number, blocksRead: number) => {
      emit({
        type: 'read.end',
        key: keyHex,
        found: value !== undefined,
        value: value ? toHex(value) : null,
        source,
        tablesChecked,
        blocksRead,
      });
      return { value, source, tablesChecked, blocksRead };
    };

    const inMemory = this.#memtable.get(key);
    emit({
      type: 'read.memtable',
      key: keyHex,
      found: inMemory ? (inMemory.op === 'put' ? 'value' : 'tombstone') : 'absent',
    });
    if (inMemory) return done(inMemory.op === 'put' ? inMemory.value.slice() : undefined, 'memtable', 0, 0);

    let tablesChecked = 0;
    let blocksRead = 0;
    for (const table of this.#version.newestFirst()) {
      const reader = this.#readers.get(table.number)!;
      tablesChecked++;
      const result = reader.get(key);
      if (result.found === 'out-of-range') {
        emit({ type: 'read.sstable', key: keyHex, file: table.file, found: 'out-of-range' });
        continue;
      }
      blocksRead++;
      const { block } = result;
      emit({
        type: 'read.sstable',
        key: keyHex,
        file: table.file,
        found: result.found,
        block: block.index,
        blockOffset: block.offset,
        blockSize: block.length,
      });
      if (result.found === 'value') return done(result.entry!.value.slice(), table.file, tablesChecked, blocksRead);
      if (result.found === 'tombstone') return done(undefined, table.file, tablesChecked, blocksRead);
    }
    return done(undefined, null, tablesChecked, blocksRead);
  }

  /**
   * One batch of a scan: a k-way merge of the memtable and every SSTable from `from`. Sources are ranked
   * newest first; when several hold a key, the newest wins and the others are skipped, tombstones included.
   */
  async #scanBatch(
    from: Uint8Array | undefined,
    skipFrom: boolean,
    end: Uint8Array | undefined,
  ): Promise<{ pairs: Array<[Uint8Array, Uint8Array]>; done: boolean }> {
    const sources: Array<Iterator<Entry>> = [this.#memtable.range(from, end)];
    for (const table of this.#version.newestFirst()) sources.push(this.#readers.get(table.number)!.scanFrom(from));
    const heads = sources.map((source) => source.next());
    const pairs: Array<[Uint8Array, Uint8Array]> = [];
    for (;;) {
      let winner = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i]!;
        if (head.done || (end && compareBytes(head.value.key, end) >= 0)) continue;
        if (winner < 0 || compareBytes(head.value.key, (heads[winner] as IteratorYieldResult<Entry>).value.key) < 0)
          winner = i;
      }
      if (winner < 0) return { pairs, done: true };
      const entry = (heads[winner] as IteratorYieldResult<Entry>).value;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i]!;
        if (!head.done && compareBytes(head.value.key, entry.key) === 0) heads[i] = sources[i]!.next();
      }
      if (skipFrom && from && compareBytes(entry.key, from) === 0) continue;
      if (entry.op === 'put') pairs.push([entry.key.slice(), entry.value.slice()]);
      if (pairs.length >= SCAN_BATCH) return { pairs, done: false };
    }
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new LsmError(ErrorCode.InvalidArgument, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}
