// Repair, as LevelDB's RepairDB (db/repair.cc): when the manifest is lost or unreadable, a new one is built from
// the files found. Nothing the old manifest said is trusted; every file is read end to end instead:
//  1. Each SSTable is checked whole: trailer, footer, index, and every data block's checksum, its entries in key
//     order. A table that passes is kept, with the key range and sequence numbers read from its entries; one that
//     fails is set aside (copied to `lost-<name>`, since Storage has no folders and no rename) and reported with
//     the typed error, its file and offset; the entries of its blocks that still pass their checksums (when its
//     index reads) are salvaged into a new table, as LevelDB's repair does.
//  2. Each WAL is read record by record until the first bad one; the writes read become a new SSTable (newest
//     version of each key, as a flush would write them). What follows a bad record is counted as lost, and a WAL
//     that lost anything is set aside too.
//  3. A new manifest names every kept and new table, all in level 0 (LevelDB does the same: level 0 allows any
//     overlap, so it is correct whatever the tables hold), with the largest sequence number found. Its one record
//     is the commit point.
//  4. Only then are the old manifests, the WALs made into tables and the files set aside removed.
//
// If the tables found share keys with interleaved sequence numbers (after compactions they do), level 0's read
// order could not settle them: they are first merged into new tables that do not overlap (see mergeTables).
//
// Crash safety: until the new manifest's record is flushed, nothing was removed, so a crash leaves every file
// that was there, plus new tables that hold WAL writes a second time (same keys, same sequence numbers: the merge
// keeps one). Running repair again reads them all again. After the commit, opening works: a removal the crash
// interrupted is finished by recovery, which deletes WALs below the log number and tables no manifest names.
import { compareBytes } from './bytes';
import { decodeBatch, OP_BATCH } from './codec/batch';
import { decodeWholeEntry, type Entry } from './codec/entry';
import { corruption, ErrorCode, LsmError } from './errors';
import type { EngineEventBody, FileInfo, RepairProblem, SstableMeta } from './events';
import { manifestName, parseFileName, sstableName } from './filenames';
import { mergeNewest } from './iterators';
import { checkedPayloadLength, RECORD_HEADER_SIZE } from './log/format';
import { findValidRecordAfter } from './log/reader';
import type { VersionEdit } from './manifest/edit';
import { ManifestWriter } from './manifest/writer';
import { builderOptions, type TreeSettings } from './settings';
import { SstableBuilder } from './sstable/builder';
import { FOOTER_FIXED_SIZE, TRAILER_SIZE } from './sstable/format';
import { SstableReader } from './sstable/reader';
import { flushFile, openFile, readAt, removeFile, truncateFile, writeFully } from './storage/io';
import type { Storage, StorageFile } from './storage/storage';
import { sstableInfo, type Trace } from './trace';

/** The prefix of a file repair could not read, kept for whoever wants to look at it (LevelDB's lost/ folder). */
export const LOST_PREFIX = 'lost-';

export type { RepairProblem };

/** What repair kept and what it could not read. */
export interface RepairReport {
  /** SSTables found whole, kept in level 0. */
  tablesKept: Array<{ file: string; entries: number; bytes: number; smallestSeq: number; largestSeq: number }>;
  /**
   * SSTables that failed a check: the error, the copy they were set aside as, and, when their footer and index
   * still read, the entries of the blocks that pass their checksums, salvaged into a new table.
   */
  tablesLost: Array<{
    file: string;
    bytes: number;
    error: RepairProblem;
    setAside: string;
    salvaged?: { table: string; entries: number; blocks: number; blocksLost: number };
  }>;
  /** Per WAL: records read, the table they became, and what came after the first bad record. */
  logs: Array<{
    file: string;
    records: number;
    writes: number;
    /** The SSTable the records became (null: the WAL held none). */
    table: string | null;
    /** Records after the first bad one that pass their checksum: acknowledged writes the damage cost. */
    recordsLost: number;
    /** Bytes from the first bad record to the end of the WAL. */
    bytesLost: number;
    /** The first bad record: a checksum failure with valid records after it, or one that does not parse. */
    error?: RepairProblem;
    /** Only a torn last record (a write a crash cut short, never acknowledged) was dropped. */
    tornTail?: boolean;
    setAside?: string;
  }>;
  walRecordsRecovered: number;
  walRecordsLost: number;
  /** The manifest repair wrote. */
  manifest: string;
  /** Old manifests removed (their copies set aside). */
  manifestsReplaced: string[];
  /** Files copied to lost-<name>. */
  setAside: string[];
  lastSequence: number;
  /**
   * The kept tables overlapped with interleaved sequence numbers, which level 0's newest-first read order cannot
   * settle: repair merged them all by sequence number (newest version of each key) into `mergedInto`, tables
   * that do not overlap, before writing the manifest.
   */
  merged: boolean;
  mergedInto: string[];
}

type RepairEvent = Extract<EngineEventBody, { type: `repair.${string}` }>;

/** Rebuilds the manifest from the files in `storage` (see the top of this file). Does not open the tree. */
export async function repairFiles(storage: Storage, settings: TreeSettings, trace: Trace): Promise<RepairReport> {
  const emit = (event: RepairEvent) => trace.emit(event);
  const names = (await storage.list()).sort();
  const files: FileInfo[] = [];
  for (const name of names) files.push({ file: name, size: await sizeOf(storage, name) });
  emit({ type: 'repair.begin', files });

  const parsed = names.flatMap((file) => {
    const p = parseFileName(file);
    return p ? [{ file, ...p }] : [];
  });
  let nextNumber = parsed.reduce((max, p) => Math.max(max, p.number), 0) + 1;
  const report: RepairReport = {
    tablesKept: [],
    tablesLost: [],
    logs: [],
    walRecordsRecovered: 0,
    walRecordsLost: 0,
    manifest: '',
    manifestsReplaced: [],
    setAside: [],
    lastSequence: 0,
    merged: false,
    mergedInto: [],
  };
  let tables: SstableMeta[] = [];
  const toSetAside: string[] = [];

  for (const table of parsed.filter((p) => p.kind === 'sstable').sort((a, b) => a.number - b.number)) {
    const bytes = files.find((f) => f.file === table.file)?.size ?? 0;
    try {
      const meta = await checkTable(storage, table.file, table.number);
      tables.push(meta);
      report.tablesKept.push({
        file: meta.file,
        entries: meta.entries,
        bytes: meta.size,
        smallestSeq: meta.smallestSeq,
        largestSeq: meta.largestSeq,
      });
      emit({ type: 'repair.table', file: meta.file, kept: true, table: sstableInfo(meta) });
    } catch (error) {
      const problem = unreadable(error);
      // What its index still finds in blocks that pass their checksums goes into a new table (LevelDB does the same).
      const salvage = await salvageBlocks(storage, table.file);
      let salvaged: RepairReport['tablesLost'][number]['salvaged'];
      if (salvage && salvage.entries.length > 0) {
        const meta = await writeTable(storage, settings, nextNumber++, salvage.entries);
        tables.push(meta);
        salvaged = { table: meta.file, entries: meta.entries, blocks: salvage.blocks, blocksLost: salvage.blocksLost };
      }
      report.tablesLost.push({
        file: table.file,
        bytes,
        error: problem,
        setAside: LOST_PREFIX + table.file,
        ...(salvaged ? { salvaged } : {}),
      });
      toSetAside.push(table.file);
      emit({ type: 'repair.table', file: table.file, kept: false, error: problem, ...(salvaged ? { salvaged } : {}) });
    }
  }

  const converted: string[] = [];
  for (const log of parsed.filter((p) => p.kind === 'wal').sort((a, b) => a.number - b.number)) {
    const read = await readWal(storage, log.file);
    let table: SstableMeta | undefined;
    if (read.entries.length > 0) {
      table = await writeTable(storage, settings, nextNumber++, read.entries);
      tables.push(table);
    }
    const lostSomething = read.recordsLost > 0 || read.error !== undefined;
    const entry: RepairReport['logs'][number] = {
      file: log.file,
      records: read.records,
      writes: read.entries.length,
      table: table?.file ?? null,
      recordsLost: read.recordsLost,
      bytesLost: read.bytesLost,
      ...(read.error ? { error: read.error } : {}),
      ...(read.bytesLost > 0 && !lostSomething ? { tornTail: true } : {}),
      ...(lostSomething ? { setAside: LOST_PREFIX + log.file } : {}),
    };
    report.logs.push(entry);
    report.walRecordsRecovered += read.records;
    report.walRecordsLost += read.recordsLost + (read.error ? 1 : 0);
    if (lostSomething) toSetAside.push(log.file);
    converted.push(log.file);
    emit({ type: 'repair.wal', ...entry });
  }

  // Level 0 is read newest first by largest sequence number, which is right only when tables that share keys do
  // not interleave in sequence numbers; a deeper level's table often does (older versions of some keys, newer
  // writes of others). Then every table is merged by sequence number into new ones that do not overlap, before
  // the commit, so that the first state any manifest names reads right.
  const merged: string[] = [];
  if (needsMerge(tables)) {
    const outputs = await mergeTables(storage, settings, tables, () => nextNumber++);
    merged.push(...tables.map((t) => t.file));
    tables = outputs;
    report.merged = true;
    report.mergedInto = outputs.map((t) => t.file);
    emit({ type: 'repair.merge', inputs: merged, outputs: outputs.map(sstableInfo) });
  }

  // Old manifests are set aside as well (LevelDB archives them): a damaged one is evidence, and none is trusted.
  const oldManifests = parsed.filter((p) => p.kind === 'manifest').map((p) => p.file);
  for (const file of [...toSetAside, ...oldManifests]) {
    await copyFile(storage, file, LOST_PREFIX + file);
    report.setAside.push(LOST_PREFIX + file);
    emit({ type: 'repair.set-aside', file, to: LOST_PREFIX + file });
  }

  // The commit point: a new manifest whose one record names every table, all in level 0.
  const lastSequence = tables.reduce((max, t) => Math.max(max, t.largestSeq), 0);
  const number = nextNumber++;
  const name = manifestName(number);
  const edit: VersionEdit = {
    // The WAL recovery creates next gets this number (nextFileNumber): the old ones all lie below it.
    logNumber: nextNumber,
    nextFileNumber: nextNumber,
    lastSequence,
    added: tables,
    removed: [],
  };
  const manifest = new ManifestWriter(await openFile(storage, name, { create: true }), name, 0, 0);
  try {
    const written = manifest.commit(edit);
    emit({ type: 'repair.manifest', file: name, ...written, tables: tables.length, lastSequence });
  } finally {
    manifest.close();
  }
  report.manifest = name;
  report.lastSequence = lastSequence;
  report.manifestsReplaced = oldManifests;

  // Committed. What no committed state needs goes (recovery would delete the WALs and tables too, if a crash
  // stops this: they lie below the log number, or no manifest names them).
  const obsolete = [...oldManifests, ...converted, ...toSetAside.filter((f) => !converted.includes(f)), ...merged];
  for (const file of obsolete) {
    await removeFile(storage, file);
    emit({ type: 'repair.remove', file });
  }
  return report;
}

/**
 * Whether the tables, all in level 0, could answer a point read wrongly: level 0 is read newest first by largest
 * sequence number, which is right only if two tables that overlap in keys do not overlap in sequence numbers.
 * After a compaction they often do (a deeper table holds older versions of some keys and newer writes of others).
 */
export function needsMerge(tables: readonly SstableMeta[]): boolean {
  const sorted = [...tables].sort((a, b) => compareBytes(a.smallest, b.smallest));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && compareBytes(sorted[j]!.smallest, sorted[i]!.largest) <= 0; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.smallestSeq <= b.largestSeq && b.smallestSeq <= a.largestSeq) return true;
    }
  }
  return false;
}

/**
 * Every table merged into new ones (the newest version of each key; tombstones kept), split at about the target
 * file size: LevelDB's repair leaves this to the first compaction, whose merge is by sequence number too.
 */
async function mergeTables(
  storage: Storage,
  settings: TreeSettings,
  tables: readonly SstableMeta[],
  nextNumber: () => number,
): Promise<SstableMeta[]> {
  const targetBytes = settings.targetFileBytes ?? settings.memtableBytes;
  const files: StorageFile[] = [];
  const outputs: SstableMeta[] = [];
  let output: { file: StorageFile; name: string; number: number; builder: SstableBuilder } | undefined;
  const finish = () => {
    if (!output) return;
    const { file, name, number, builder } = output;
    output = undefined;
    try {
      outputs.push(finishTable(file, name, number, builder));
    } finally {
      file.close();
    }
  };
  try {
    const sources = [];
    for (const table of tables) {
      const file = await openFile(storage, table.file);
      files.push(file);
      sources.push(SstableReader.open(file, table.file).scanFrom());
    }
    for (const { entry } of mergeNewest(sources)) {
      if (!output) {
        const number = nextNumber();
        const name = sstableName(number);
        const file = await openFile(storage, name, { create: true });
        output = { file, name, number, builder: new SstableBuilder(file, name, builderOptions(settings)) };
      }
      output.builder.add(entry);
      if (output.builder.estimatedSize >= targetBytes) finish();
    }
    finish();
    return outputs;
  } finally {
    output?.file.close();
    for (const file of files) file.close();
  }
}

/** Finishes, flushes and reads back a table: verified before any manifest may name it. */
function finishTable(file: StorageFile, name: string, number: number, builder: SstableBuilder): SstableMeta {
  const built = builder.finish();
  flushFile(file, name);
  const reader = SstableReader.open(file, name);
  if (reader.size !== built.size || reader.entries !== built.entries) {
    throw corruption(name, 0, `reads back as ${reader.size} bytes, written as ${built.size}`);
  }
  return { file: name, number, level: 0, ...built };
}

/**
 * The entries of a damaged table's readable blocks, when its footer and index still read (undefined otherwise):
 * each data block is read and verified on its own, and a block that fails is skipped.
 */
async function salvageBlocks(
  storage: Storage,
  name: string,
): Promise<{ entries: Entry[]; blocks: number; blocksLost: number } | undefined> {
  const file = await openFile(storage, name);
  try {
    let reader: SstableReader;
    try {
      reader = SstableReader.open(file, name);
    } catch (error) {
      unreadable(error);
      return undefined;
    }
    const entries: Entry[] = [];
    let blocksLost = 0;
    for (let b = 0; b < reader.blockCount; b++) {
      try {
        entries.push(...reader.blockEntries(b));
      } catch (error) {
        unreadable(error);
        blocksLost++;
      }
    }
    return { entries, blocks: reader.blockCount, blocksLost };
  } finally {
    file.close();
  }
}

/** Any error that is not corruption (I/O, a crash, a full quota) stops repair: it is not the file's fault. */
function unreadable(error: unknown): RepairProblem {
  if (!(error instanceof LsmError) || error.code !== ErrorCode.Corruption) throw error;
  return {
    code: error.code,
    message: error.message,
    file: error.file ?? '',
    ...(error.offset === undefined ? {} : { offset: error.offset }),
  };
}

/** Reads a table end to end: footer and index (SstableReader.open), then every block, checking the entries' order. */
async function checkTable(storage: Storage, name: string, number: number): Promise<SstableMeta> {
  const file = await openFile(storage, name);
  try {
    const reader = SstableReader.open(file, name);
    let entries = 0;
    let smallestSeq = Number.MAX_SAFE_INTEGER;
    let largestSeq = 0;
    let previous: Entry | undefined;
    for (const entry of reader.scanFrom()) {
      if (previous) {
        const order = compareKeys(previous.key, entry.key);
        if (order > 0 || (order === 0 && entry.seq >= previous.seq)) {
          throw corruption(name, 0, `entries out of order at entry ${entries}`);
        }
      }
      previous = { ...entry, key: entry.key.slice() };
      entries++;
      smallestSeq = Math.min(smallestSeq, entry.seq);
      largestSeq = Math.max(largestSeq, entry.seq);
    }
    if (entries !== reader.entries) {
      throw corruption(name, 0, `the footer counts ${reader.entries} entries, the blocks hold ${entries}`);
    }
    return {
      file: name,
      number,
      level: 0,
      size: reader.size,
      entries,
      blocks: reader.blockCount,
      dataBytes: footerDataBytes(file, name, reader.size),
      smallest: reader.smallest.slice(),
      largest: reader.largest.slice(),
      smallestSeq: entries === 0 ? 0 : smallestSeq,
      largestSeq,
    };
  } finally {
    file.close();
  }
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The footer's data_bytes (sstable/format.ts); the footer was verified by SstableReader.open. */
function footerDataBytes(file: StorageFile, name: string, size: number): number {
  const trailer = readAt(file, name, TRAILER_SIZE, size - TRAILER_SIZE);
  const footerLength = new DataView(trailer.buffer, trailer.byteOffset).getUint32(4, true);
  if (footerLength < FOOTER_FIXED_SIZE) return size;
  const footer = readAt(file, name, 4, size - TRAILER_SIZE - footerLength + 24);
  return new DataView(footer.buffer, footer.byteOffset).getUint32(0, true);
}

interface WalRead {
  entries: Entry[];
  records: number;
  recordsLost: number;
  bytesLost: number;
  error?: RepairProblem;
}

/** A WAL's writes, record by record until the first bad one (LevelDB's repair does the same). */
async function readWal(storage: Storage, name: string): Promise<WalRead> {
  const file = await openFile(storage, name);
  let bytes: Uint8Array;
  try {
    bytes = readAt(file, name, file.getSize(), 0);
  } finally {
    file.close();
  }
  const entries: Entry[] = [];
  let records = 0;
  let at = 0;
  let error: RepairProblem | undefined;
  while (at < bytes.length) {
    const length = checkedPayloadLength(bytes, at);
    if (length === undefined) break;
    const end = at + RECORD_HEADER_SIZE + length;
    const decoded = decodeRecord(bytes, at + RECORD_HEADER_SIZE, end);
    if (!decoded) {
      error = problem(corruption(name, at + RECORD_HEADER_SIZE, 'WAL record passes its checksum but does not parse'));
      break;
    }
    entries.push(...decoded);
    records++;
    at = end;
  }
  if (at >= bytes.length) return { entries, records, recordsLost: 0, bytesLost: 0 };
  // Past the first bad record: count the records that still pass their checksum (acknowledged writes lost).
  let recordsLost = 0;
  let next = findValidRecordAfter(bytes, at + 1);
  while (next !== undefined) {
    recordsLost++;
    const end = next + RECORD_HEADER_SIZE + checkedPayloadLength(bytes, next)!;
    next =
      end < bytes.length && checkedPayloadLength(bytes, end) !== undefined ? end : findValidRecordAfter(bytes, end);
  }
  if (!error && recordsLost > 0) {
    error = problem(corruption(name, at, `record checksum mismatch; ${recordsLost} valid records follow`));
  }
  return { entries, records, recordsLost, bytesLost: bytes.length - at, ...(error ? { error } : {}) };
}

function decodeRecord(bytes: Uint8Array, at: number, end: number): Entry[] | undefined {
  if (bytes[at] === OP_BATCH) return decodeBatch(bytes, at, end);
  const entry = decodeWholeEntry(bytes, at, end);
  return entry ? [entry] : undefined;
}

function problem(error: LsmError): RepairProblem {
  return unreadable(error);
}

/** A WAL's writes as one SSTable in level 0: newest version of each key, as a flush with no snapshots writes. */
async function writeTable(
  storage: Storage,
  settings: TreeSettings,
  number: number,
  entries: Entry[],
): Promise<SstableMeta> {
  const sorted = [...entries].sort((a, b) => compareKeys(a.key, b.key) || b.seq - a.seq);
  const name = sstableName(number);
  const file = await openFile(storage, name, { create: true });
  try {
    const builder = new SstableBuilder(file, name, builderOptions(settings));
    let previous: Uint8Array | undefined;
    for (const entry of sorted) {
      if (previous && compareKeys(previous, entry.key) === 0) continue;
      builder.add(entry);
      previous = entry.key;
    }
    return finishTable(file, name, number, builder);
  } finally {
    file.close();
  }
}

/** Copies a file byte for byte and flushes the copy (Storage has no rename). */
async function copyFile(storage: Storage, from: string, to: string): Promise<void> {
  const source = await openFile(storage, from);
  let bytes: Uint8Array;
  try {
    bytes = readAt(source, from, source.getSize(), 0);
  } finally {
    source.close();
  }
  const target = await openFile(storage, to, { create: true });
  try {
    truncateFile(target, to, 0);
    writeFully(target, to, bytes, 0);
    flushFile(target, to);
  } finally {
    target.close();
  }
}

async function sizeOf(storage: Storage, name: string): Promise<number> {
  const file = await openFile(storage, name);
  try {
    return file.getSize();
  } finally {
    file.close();
  }
}
