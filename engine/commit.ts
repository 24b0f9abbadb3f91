// What flushes and compactions share: writing a new table (LevelDB's BuildTable, builder.cc), committing a
// version edit to the manifest (LevelDB's LogAndApply), rolling the manifest over when it grows large, and
// deleting the files no committed state needs any more.
import type { Entry } from './codec/entry';
import { corruption } from './errors';
import type { SstableMeta } from './events';
import { failed } from './failure';
import { sstableName } from './filenames';
import { RECORD_HEADER_SIZE } from './log/format';
import { cutBackAfter } from './log/writer';
import { encodeEdit, type VersionEdit } from './manifest/edit';
import { type RolledManifest, shouldRoll, startManifest } from './manifest/roll';
import type { Version } from './manifest/version';
import { builderOptions } from './settings';
import { type BuiltTable, SstableBuilder } from './sstable/builder';
import { SstableReader } from './sstable/reader';
import type { LsmState } from './state';
import { flushFile, openFile, removeFile } from './storage/io';
import type { StorageFile } from './storage/storage';
import { sliceDue, yieldToEventLoop } from './yield';

/**
 * A compaction reports its progress every SLICE entries written: a count, not a time, so the same work tells the
 * same events (a class's replay). When the event loop gets a turn is yield.ts's sliceDue.
 */
export const SLICE = 512;

/** A table written, flushed and opened (verified), not yet committed. */
export interface NewTable {
  table: SstableMeta;
  reader: SstableReader;
}

/**
 * Writes entries (in key order) into one new SSTable at `level`, flushes it, and opens it: trailer, footer,
 * index and filter are read back and verified (LevelDB's BuildTable does the same) before any manifest
 * record may name it. A table that cannot be read back is deleted here and the error goes up, so a failed
 * flush or compaction changes nothing: a manifest never names a table the tree could not open. Not yet
 * committed.
 */
export function writeTable(
  state: LsmState,
  level: number,
  entries: Iterable<Entry>,
  ahead?: TableAhead,
): Promise<NewTable> {
  return writeTableWith(
    state,
    level,
    async (builder) => {
      let count = 0;
      for (const entry of entries) {
        builder.add(entry);
        if (sliceDue(++count)) await yieldToEventLoop();
      }
    },
    ahead,
  );
}

/**
 * writeTable with the entries added by `fill` (compaction's merge adds them from the blocks it reads), into the
 * file `ahead` started creating when there is one (tableAhead).
 */
export async function writeTableWith(
  state: LsmState,
  level: number,
  fill: (builder: SstableBuilder) => Promise<void>,
  ahead?: TableAhead,
): Promise<NewTable> {
  const number = ahead?.number ?? state.version.nextFileNumber++;
  const name = ahead?.name ?? sstableName(number);
  const file = await (ahead?.file ?? openFile(state.storage, name, { create: true }));
  try {
    const builder = new SstableBuilder(file, name, builderOptions(state.settings));
    await fill(builder);
    const built = builder.finish();
    flushFile(file, name);
    return readBack(state, file, name, number, level, built);
  } catch (error) {
    file.close();
    await removeFile(state.storage, name).catch(() => {});
    throw error;
  }
}

/**
 * A table just written and flushed, opened as the tree will read it: trailer, footer, index and filter read back
 * and verified against what the builder says it wrote. Throws (a corruption) when they disagree; the caller
 * closes and deletes the file.
 */
export function readBack(
  state: LsmState,
  file: StorageFile,
  name: string,
  number: number,
  level: number,
  built: BuiltTable,
): NewTable {
  state.counters.storageBytesWritten += built.size;
  const reader = SstableReader.open(file, name);
  if (reader.size !== built.size || reader.entries !== built.entries) {
    throw corruption(
      name,
      0,
      `reads back as ${reader.size} bytes and ${reader.entries} entries, written as ${built.size} and ${built.entries}`,
    );
  }
  const table: SstableMeta = { file: name, number, level, ...built };
  state.trace.sstableWritten(table);
  return { table, reader };
}

/**
 * A table's file number taken and its file being created before the table is written: a compaction creates its
 * next output file while the one before it fills. Creating a file takes two round trips to the browser's storage
 * process (getFileHandle, then createSyncAccessHandle, ~3 ms together here), which the merge's turns of the event
 * loop hide. Until a manifest record names it, the file is an orphan like any unfinished output, and recovery
 * deletes it after a crash.
 */
export interface TableAhead {
  readonly number: number;
  readonly name: string;
  readonly file: Promise<StorageFile>;
}

export function tableAhead(state: LsmState): TableAhead {
  const number = state.version.nextFileNumber++;
  const name = sstableName(number);
  const file = openFile(state.storage, name, { create: true });
  // Awaited by writeTableWith or dropTableAhead; until then a failure must not count as unhandled.
  file.catch(() => {});
  return { number, name, file };
}

/**
 * A table created ahead and not needed after all (the input ended sooner than expected): closed and deleted, and
 * its number given back when no later one was taken, so the files after it are numbered as if it never was.
 */
export async function dropTableAhead(state: LsmState, ahead: TableAhead): Promise<void> {
  let file: StorageFile;
  try {
    file = await ahead.file;
  } catch {
    return; // never created, or its creation failed: no file to delete, and the number stays skipped
  }
  file.close();
  try {
    await removeFile(state.storage, ahead.name);
  } catch {
    return; // an orphan for the next recovery to delete; its number stays taken
  }
  if (state.version.nextFileNumber === ahead.number + 1) state.version.nextFileNumber = ahead.number;
}

/**
 * Appends the edit to the manifest (the commit point), then applies it with the new tables' readers, which
 * writeTable opened and verified already: once the record is on storage nothing can fail that would make
 * the tree disagree with it.
 */
export function commit(state: LsmState, edit: VersionEdit, newTables: readonly NewTable[] = []): void {
  let written: { offset: number; length: number };
  try {
    written = state.manifest.commit(edit);
  } catch (error) {
    for (const { reader } of newTables) reader.close();
    // The record may be on storage after all: its files must stay for recovery to decide. The caller reports the
    // failure as its own (a flush's or a compaction's), and the tree then stops writing (failure.ts).
    if (cutBackAfter(error, 'manifest') === false) throw error;
    // Not committed: the new files are orphans (recovery would delete them too).
    for (const table of edit.added) {
      if (!state.version.tables.has(table.number)) removeFile(state.storage, table.file).catch(() => {});
    }
    throw error;
  }
  state.counters.storageBytesWritten += written.length;
  state.version.apply(edit);
  for (const { table, reader } of newTables) {
    reader.cache = state.blockCache;
    state.readers.set(table.number, reader);
  }
  state.trace.manifestEdited(state.manifest.name, written, edit);
}

/**
 * A flush's edit: the new L0 table, the log number of the WAL that takes the writes after it (older WALs are then
 * recovery's to delete), and the write times of the flushed memtable (the TTL filter's, when one is set).
 */
export function flushEdit(
  state: LsmState,
  logNumber: number,
  table: SstableMeta,
  writeTimes: VersionEdit['writeTimes'],
): VersionEdit {
  return {
    logNumber,
    nextFileNumber: state.version.nextFileNumber,
    lastSequence: state.version.lastSequence,
    added: [table],
    removed: [],
    ...(writeTimes ? { writeTimes } : {}),
  };
}

/** The edit's fields that stay as they are when a compaction only adds and removes tables. */
export function editBase(state: LsmState): Omit<VersionEdit, 'added' | 'removed'> {
  return {
    logNumber: state.version.logNumber,
    nextFileNumber: state.version.nextFileNumber,
    lastSequence: state.version.lastSequence,
  };
}

/**
 * A bounded manifest (manifest/roll.ts): once it has grown past its threshold, a new manifest holding one
 * snapshot record takes over and the old one is deleted. Runs after a commit, when the committed state is
 * already safe, so a failure here is only reported (failure.ts stops writing if the snapshot record may be on
 * storage after all) and the tree carries on with the old manifest.
 */
export async function rollManifestIfLarge(state: LsmState): Promise<void> {
  state.manifestSnapshotBytes ??= snapshotRecordBytes(state.version);
  if (!shouldRoll(state.manifest.size, state.manifestSnapshotBytes, state.settings.manifestRollBytes)) return;
  const old = state.manifest;
  let rolled: RolledManifest;
  try {
    rolled = await startManifest(state.storage, state.version);
  } catch (error) {
    state.manifestSnapshotBytes = undefined;
    failed(state, error, 'cleanup');
    return;
  }
  const { manifest, length } = rolled;
  state.manifest = manifest;
  state.manifestSnapshotBytes = length;
  state.counters.storageBytesWritten += length;
  state.trace.manifestStarted(rolled);
  old.close();
  const removed = await removeQuietly(state, old.name);
  state.trace.manifestRolled(old, manifest.name, length, removed);
}

/**
 * Deletes files no committed state needs (a compaction's inputs, a flushed memtable's WALs), together: each deletion
 * is a round trip to the browser's storage process. `told` is called for each file deleted. A picture is drawn from
 * the events: with a listener, this waits for the deletions, so that each is shown before what follows. With nobody
 * listening, it does not (a dozen files take ~10 ms of the storage process's time, the worker idle meanwhile), as
 * LevelDB leaves obsolete files to its background thread: LsmState.removals holds them and the tree's close waits for
 * them. A failure is harmless either way: no manifest record needs the file, so the next recovery deletes it.
 */
export async function removeObsolete(
  state: LsmState,
  files: readonly string[],
  told: (file: string) => void,
): Promise<void> {
  const removing = Promise.all(files.map((file) => removeQuietly(state, file))).then((removed) => {
    files.forEach((file, i) => {
      if (removed[i]) told(file);
    });
  });
  if (state.trace.on) return removing;
  const settled: Promise<void> = removing
    .catch(() => {}) // only a crashed process rejects, and it has nothing left to tell
    .finally(() => state.removals.delete(settled));
  state.removals.add(settled);
}

/** Deletes a file no committed state needs; a failure is reported, not thrown. */
export async function removeQuietly(state: LsmState, file: string): Promise<boolean> {
  try {
    await removeFile(state.storage, file);
    return true;
  } catch (error) {
    failed(state, error, 'cleanup');
    return false;
  }
}

/** The framed size of the snapshot record a new manifest would start with. */
function snapshotRecordBytes(version: Version): number {
  return RECORD_HEADER_SIZE + encodeEdit(version.asEdit()).length;
}
