// Opening a database = recovering it. The rules (engine/README.md, "Recovery"), in the order applied:
//  1. The manifest is the truth. Of the MANIFEST-* files, the newest whose first record is whole wins;
//     its records are replayed into a Version. A torn last record is cut off (that edit never committed).
//  2. Every SSTable the Version names must exist and its footer and index must verify.
//  3. Files no committed state needs are deleted: SSTables the Version does not name (a flush that crashed
//     before its manifest edit), WALs numbered below the Version's log number (already in SSTables),
//     older manifests.
//  4. The remaining WALs are replayed, oldest first, record by record, into a fresh memtable. A torn tail
//     (the append the crash interrupted, never acknowledged) is cut off; a bad record followed by good
//     ones is corruption, and opening fails with its file and offset.
//  5. Writing continues at the end of the newest WAL.
//
// Each step is told to the page through recovery-trace.ts, which builds the events.

import { OP_BATCH } from './codec/batch';
import { corruption, LsmError } from './errors';
import type { FileInfo } from './events';
import { manifestName, parseFileName, walName } from './filenames';
import { RECORD_HEADER_SIZE } from './log/format';
import { endingAt, readLog, recordLength } from './log/reader';
import { decodeEdit } from './manifest/edit';
import { startManifest } from './manifest/roll';
import { Version } from './manifest/version';
import { ManifestWriter } from './manifest/writer';
import { Memtable } from './memtable/memtable';
import { ReplayedWrites } from './memtable/replayed';
import type { RecoveryTrace } from './recovery-trace';
import { SstableReader } from './sstable/reader';
import { flushFile, openFile, readAt, removeFile, truncateFile } from './storage/io';
import type { Storage, StorageFile } from './storage/storage';
import { StorageWrapper } from './storage/wrapper';
import { WalWriter } from './wal/writer';

/** A manifest longer than this many records is rewritten as one snapshot record at open. */
const MANIFEST_REWRITE_RECORDS = 64;

export interface Recovered {
  version: Version;
  manifest: ManifestWriter;
  wal: WalWriter;
  /** Replayed WALs older than `wal`: their records are in the memtable, so they go at the next flush. */
  olderWals: string[];
  memtable: Memtable;
  readers: Map<number, SstableReader>;
}

/** Opens the database in `storage`, telling each step to `trace` (recovery-trace.ts). */
export async function recover(storage: Storage, trace: RecoveryTrace, memtableLimit: number): Promise<Recovered> {
  // If recovery fails (corruption), every handle it opened is closed again, so that the files can be
  // downloaded or the database reset without waiting for this worker to die.
  const tracking = new TrackingStorage(storage);
  try {
    const recovered = await recoverWith(tracking, trace, memtableLimit);
    tracking.closeKept();
    return recovered;
  } catch (error) {
    for (const file of tracking.opened) {
      try {
        file.close();
      } catch {
        // already closed
      }
    }
    throw error instanceof LsmError ? trace.corruption(error) : error;
  }
}

/**
 * Remembers every file it opens, so that a failed recovery can close them all. And opens each file once: the
 * handle that sized a file at the start (trace.begin lists every file with its size) is the one a later step gets
 * when it opens that file (an OPFS handle costs about a millisecond to open and to close).
 */
class TrackingStorage extends StorageWrapper {
  readonly opened: StorageFile[] = [];
  readonly #kept = new Map<string, StorageFile>();

  override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const kept = this.#kept.get(name);
    if (kept) {
      this.#kept.delete(name);
      return kept;
    }
    const file = await super.open(name, options);
    this.opened.push(file);
    return file;
  }

  override async remove(name: string): Promise<void> {
    this.#kept.get(name)?.close();
    this.#kept.delete(name);
    await super.remove(name);
  }

  /**
   * Each file's size, the files opened all at once (an OPFS open is two round trips to the browser's storage
   * process, ~1.5 ms: a database of many tables waited for them one after another). Their handles are kept for the
   * steps that open them next. If one cannot be opened, the first such error (in `names` order) is thrown; the
   * handles that did open are in `opened`, which recover() closes.
   */
  async sizesOf(names: readonly string[]): Promise<number[]> {
    const opened = await Promise.allSettled(names.map((name) => openFile(this, name)));
    const sizes: number[] = [];
    for (const [i, result] of opened.entries()) {
      if (result.status === 'rejected') throw result.reason;
      this.#kept.set(names[i]!, result.value);
      sizes.push(result.value.getSize());
    }
    return sizes;
  }

  /** Closes the handles sizesOf kept that no step asked for. */
  closeKept(): void {
    for (const file of this.#kept.values()) file.close();
    this.#kept.clear();
  }
}

async function recoverWith(storage: TrackingStorage, trace: RecoveryTrace, memtableLimit: number): Promise<Recovered> {
  const names = await storage.list();
  const sizes = await storage.sizesOf(names);
  const files: FileInfo[] = names.map((name, i) => ({ file: name, size: sizes[i]! }));
  trace.begin(files);

  const parsed = names.flatMap((file) => {
    const p = parseFileName(file);
    return p ? [{ file, ...p }] : [];
  });
  const highestNumber = parsed.reduce((max, p) => Math.max(max, p.number), 0);

  const chosen = await readNewestManifest(
    storage,
    parsed.filter((p) => p.kind === 'manifest'),
    names,
    trace,
  );
  if (!chosen) {
    const data = parsed.filter((p) => p.kind !== 'manifest' && (files.find((f) => f.file === p.file)?.size ?? 0) > 0);
    if (data.length > 0) {
      throw corruption(data[0]!.file, 0, 'data files exist but no manifest could be read: refusing to guess');
    }
    for (const p of parsed)
      await deleteLeftover(storage, p.file, 'an empty file from a database that never committed', trace);
    return createFresh(storage, highestNumber + 1, trace, memtableLimit);
  }

  const { version, manifest } = chosen;
  version.nextFileNumber = Math.max(version.nextFileNumber, highestNumber + 1);
  trace.manifestReplayed(manifest, version);

  const readers = new Map<number, SstableReader>();
  for (const table of version.tables.values()) {
    if (!names.includes(table.file)) throw corruption(table.file, 0, `named by ${manifest.name} but missing`);
    const file = await openFile(storage, table.file);
    try {
      readers.set(table.number, SstableReader.open(file, table.file));
    } catch (error) {
      file.close();
      throw error instanceof LsmError ? trace.corruption(error) : error;
    }
  }

  for (const p of parsed) {
    if (p.kind === 'manifest' && p.file !== manifest.name) {
      await deleteLeftover(storage, p.file, 'an older or unfinished manifest', trace);
    } else if (p.kind === 'sstable' && !version.tables.has(p.number)) {
      await deleteLeftover(storage, p.file, 'an SSTable no manifest record names (its flush never committed)', trace);
    } else if (p.kind === 'wal' && p.number < version.logNumber) {
      await deleteLeftover(storage, p.file, 'a WAL whose records are all in committed SSTables', trace);
    }
  }

  // The logs' writes, in replay order; sorted into the memtable at the end (Memtable.of), which is what applying
  // them one by one would leave, several times faster. The events still tell the replay write by write.
  const writes = new ReplayedWrites();
  const logs = parsed
    .filter((p) => p.kind === 'wal' && p.number >= version.logNumber)
    .sort((a, b) => a.number - b.number);
  let wal: WalWriter | undefined;
  let replayed = 0;
  for (const [i, log] of logs.entries()) {
    const result = await replayWal(storage, log.file, log.number, { writes, memtableLimit, version, trace });
    replayed += result.replayed;
    if (i === logs.length - 1) wal = result.writer;
    else result.writer.close();
  }
  const memtable = Memtable.of(writes);
  if (!wal) {
    const number = version.nextFileNumber++;
    wal = new WalWriter(await openFile(storage, walName(number), { create: true }), walName(number), number, 0);
    trace.walCreated(wal.name);
  }

  const rewritten =
    manifest.records > MANIFEST_REWRITE_RECORDS ? await rewriteManifest(storage, version, manifest, trace) : manifest;

  trace.end(wal, replayed, memtable, memtableLimit, readers.size, version.lastSequence);
  return {
    version,
    manifest: rewritten,
    wal,
    olderWals: logs.slice(0, -1).map((l) => l.file),
    memtable,
    readers,
  };
}

interface ReplayTarget {
  writes: ReplayedWrites;
  memtableLimit: number;
  version: Version;
  trace: RecoveryTrace;
}

async function replayWal(
  storage: Storage,
  name: string,
  number: number,
  { writes, memtableLimit, version, trace }: ReplayTarget,
): Promise<{ writer: WalWriter; replayed: number }> {
  const file = await openFile(storage, name);
  const bytes = readAll(file, name);
  let replayed = 0;
  // Each record decoded where it lies in the log's bytes, its writes held as columns (ReplayedWrites: no object
  // per record or per write). The loop is the replay's own (recordLength, not scanLog's callback).
  let offset = 0;
  for (let length = recordLength(bytes, 0); length > 0; length = recordLength(bytes, offset)) {
    replayed++;
    const payloadAt = offset + RECORD_HEADER_SIZE;
    const first = writes.count;
    const count = writes.addPayload(bytes, payloadAt, offset + length);
    if (count === 0) {
      file.close();
      throw trace.corruption(corruption(name, payloadAt, 'WAL record passes its checksum but does not parse'));
    }
    const last = writes.seq[first + count - 1]!;
    if (last > version.lastSequence) version.lastSequence = last;
    if (trace.on) replayedEvents(trace, name, bytes, { offset, length }, writes, first, count, memtableLimit);
    offset += length;
  }
  const ending = endingAt(bytes, offset);
  if (ending.kind === 'corrupt') {
    file.close();
    throw trace.corruption(corruption(name, ending.offset, ending.detail));
  }
  let size = bytes.length;
  if (ending.kind === 'torn') {
    truncateFile(file, name, ending.offset);
    flushFile(file, name);
    size = ending.offset;
    trace.tornTail(name, ending.offset, ending.droppedBytes);
  }
  return { writer: new WalWriter(file, name, number, size), replayed };
}

/** The events of one replayed record's writes (trace on: the picture's replay, write by write). */
function replayedEvents(
  trace: RecoveryTrace,
  name: string,
  bytes: Uint8Array,
  record: { offset: number; length: number },
  writes: ReplayedWrites,
  first: number,
  count: number,
  memtableLimit: number,
): void {
  const batch = bytes[record.offset + RECORD_HEADER_SIZE] === OP_BATCH;
  for (let i = 0; i < count; i++) {
    trace.replayed(name, record, writes.entry(first + i), i === 0, batch ? count : undefined, memtableLimit);
  }
}

async function readNewestManifest(
  storage: Storage,
  manifests: Array<{ file: string; number: number }>,
  names: readonly string[],
  trace: RecoveryTrace,
): Promise<{ version: Version; manifest: ManifestWriter } | undefined> {
  for (const candidate of [...manifests].sort((a, b) => b.number - a.number)) {
    const file = await openFile(storage, candidate.file);
    const bytes = readAll(file, candidate.file);
    const { records, ending } = readLog(bytes);
    if (ending.kind === 'corrupt') {
      file.close();
      throw trace.corruption(corruption(candidate.file, ending.offset, ending.detail));
    }
    if (records.length === 0) {
      // Not even its first record made it: a rewrite that crashed. An older manifest is still whole.
      file.close();
      continue;
    }
    const version = new Version();
    const told = trace.on && records.length <= MANIFEST_REWRITE_RECORDS;
    for (const record of records) {
      const edit = decodeEdit(record.payload, candidate.file, record.offset + RECORD_HEADER_SIZE);
      version.apply(edit);
      if (told) trace.edit(candidate.file, record, RECORD_HEADER_SIZE, edit);
    }
    let size = bytes.length;
    if (ending.kind === 'torn') {
      // A damaged last record is a commit the crash interrupted only if nothing acted on it yet: every file
      // the state before it needs is still there (a flush deletes its WAL, a compaction its inputs, only after
      // the commit). Then dropping it loses nothing. Otherwise the record had committed and was damaged later.
      const missing = neededFiles(version).filter((name) => !names.includes(name));
      if (missing.length > 0) {
        file.close();
        throw trace.corruption(
          corruption(
            candidate.file,
            ending.offset,
            `the last record is damaged, and it had already committed (${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} gone)`,
          ),
        );
      }
      truncateFile(file, candidate.file, ending.offset);
      flushFile(file, candidate.file);
      size = ending.offset;
      trace.tornTail(candidate.file, ending.offset, ending.droppedBytes);
    }
    return { version, manifest: new ManifestWriter(file, candidate.file, size, records.length) };
  }
  return undefined;
}

/** The files a committed state cannot do without: its SSTables, and the WAL its log number names. */
function neededFiles(version: Version): string[] {
  return [...[...version.tables.values()].map((t) => t.file), walName(version.logNumber)];
}

/** A new database: MANIFEST-n with one snapshot record, then an empty WAL. */
async function createFresh(
  storage: Storage,
  firstNumber: number,
  trace: RecoveryTrace,
  memtableLimit: number,
): Promise<Recovered> {
  const version = new Version();
  const manifestNumber = firstNumber;
  const logNumber = firstNumber + 1;
  version.apply({ logNumber, nextFileNumber: firstNumber + 2, lastSequence: 0, added: [], removed: [] });
  const name = manifestName(manifestNumber);
  const manifest = new ManifestWriter(await openFile(storage, name, { create: true }), name, 0, 0);
  const written = manifest.commit(version.asEdit());
  trace.manifestCreated(name, written, logNumber);
  const wal = new WalWriter(
    await openFile(storage, walName(logNumber), { create: true }),
    walName(logNumber),
    logNumber,
    0,
  );
  trace.walCreated(wal.name);
  trace.freshEnd(wal.name, memtableLimit);
  return { version, manifest, wal, olderWals: [], memtable: new Memtable(), readers: new Map() };
}

/** Starts a new manifest holding one snapshot record (manifest/roll.ts), then deletes the old one. */
async function rewriteManifest(
  storage: Storage,
  version: Version,
  old: ManifestWriter,
  trace: RecoveryTrace,
): Promise<ManifestWriter> {
  const started = await startManifest(storage, version);
  const { manifest } = started;
  trace.manifestStarted(started);
  old.close();
  await deleteLeftover(storage, old.name, `replaced by ${manifest.name}, a one-record snapshot`, trace);
  return manifest;
}

async function deleteLeftover(storage: Storage, file: string, reason: string, trace: RecoveryTrace): Promise<void> {
  await removeFile(storage, file);
  trace.deleted(file, reason);
}

function readAll(file: StorageFile, name: string): Uint8Array {
  return readAt(file, name, file.getSize(), 0);
}
