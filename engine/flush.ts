// Flush: the memtable becomes an SSTable in L0 (LevelDB's WriteLevel0Table), committed by one manifest record,
// and the WAL that logged it is retired.
import { commitImmutable } from './background-flush';
import {
  commit,
  dropTableAhead,
  flushEdit,
  type NewTable,
  removeObsolete,
  rollManifestIfLarge,
  tableAhead,
  writeTable,
} from './commit';
import { walName } from './filenames';
import { syncWal } from './group-commit';
import { chargeLevel, nowMicros } from './introspect';
import { cutBackAfter } from './log/writer';
import { Memtable } from './memtable/memtable';
import { retain } from './snapshot';
import type { LsmState } from './state';
import { openFile, removeFile } from './storage/io';
import type { StorageFile } from './storage/storage';
import { type NotedRetention, RetentionNotes } from './trace';
import { WalWriter } from './wal/writer';

/**
 * The flush, in the order that keeps every crash recoverable:
 *   new WAL -> SSTable written and flushed -> manifest edit flushed (commit) -> old WAL deleted.
 * A crash before the commit leaves an SSTable nobody names (recovery deletes it) and the old WAL
 * (recovery replays it). A crash after it leaves an old WAL below the log number (recovery deletes it).
 */
export async function flushMemtable(state: LsmState, reason: 'threshold' | 'manual'): Promise<void> {
  // A memtable still being flushed off the write path is older: its table is committed first.
  await commitImmutable(state);
  const memtable = state.memtable;
  if (memtable.entries === 0) return;
  // Writes waiting for a group flush are settled first: the WAL they are in is about to be retired.
  syncWal(state);
  state.trace.flushBegin(reason, memtable, state.wal.name);
  const started = nowMicros();

  // The new WAL and the SSTable are created together: each creation is two round trips to the browser's storage
  // process, which it answers for both at once.
  const walNumber = state.version.nextFileNumber++;
  const creating = openFile(state.storage, walName(walNumber), { create: true });
  creating.catch(() => {}); // awaited below, after the table's creation is asked for too
  const table = tableAhead(state);
  let walFile: StorageFile;
  try {
    walFile = await creating;
  } catch (error) {
    await dropTableAhead(state, table);
    throw error;
  }
  const newWal = new WalWriter(walFile, walName(walNumber), walNumber, 0);
  state.trace.walCreated(newWal.name);

  let written: NewTable;
  try {
    // Every version a live snapshot still sees goes into the table; the others are dropped here.
    const kept: NotedRetention = {
      keptForSnapshots: 0,
      droppedShadowed: 0,
      droppedTombstones: 0,
      ...(state.trace.on ? { probe: new RetentionNotes() } : {}),
    };
    const snapshots = state.snapshots.sequences();
    written = await writeTable(state, 0, retain(memtable.versions(), snapshots, false, kept), table);
    state.trace.snapshotsKept('flush', kept.keptForSnapshots, snapshots, kept.probe?.keptShown, [written.table]);
  } catch (error) {
    // Nothing is committed: carry on with the old WAL and memtable.
    newWal.close();
    await removeFile(state.storage, newWal.name).catch(() => {});
    throw error;
  }

  const edit = flushEdit(state, walNumber, written.table, state.pendingTimes);
  try {
    commit(state, edit, [written]);
  } catch (error) {
    newWal.close();
    if (cutBackAfter(error, 'manifest') !== false) {
      await removeFile(state.storage, newWal.name).catch(() => {});
    }
    throw error;
  }
  state.counters.flushes++;
  chargeLevel(state, 0, nowMicros() - started, 0, written.table.size);
  state.pendingTimes = undefined;

  // Committed. The old WAL(s) hold nothing the SSTable lacks.
  state.wal.close();
  const retired = [...state.olderWals, state.wal.name];
  state.olderWals = [];
  // Shown deleted before the flush ends; not waited for when nobody listens (removeObsolete). A WAL left behind is
  // below the log number: the next recovery deletes it.
  await removeObsolete(state, retired, (old) => state.trace.walRemoved(old));
  state.wal = newWal;
  state.memtable = new Memtable();
  // Nothing reads the flushed memtable's entries any more: the chunks its WAL records lie in can be reused.
  state.arena.memtableRetired();
  state.trace.flushEnd(written.table.file, newWal.name);
  await rollManifestIfLarge(state);
}
