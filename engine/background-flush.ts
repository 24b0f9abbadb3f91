// The flush off the write path (LevelDB's imm_ and its background thread): when the memtable is full, the write
// that filled it switches to a new WAL and a new, empty memtable, and the full one becomes immutable. It stays
// readable (read.ts) while a flush worker (flush-worker.ts), on another thread, writes it into an SSTable and
// flushes that; when the table is there, the tree opens it, verifies it and commits it in its own queue, and
// the immutable memtable's WALs are retired. The write that filled it waits only for the new WAL's creation and
// for its entries to be packed for the worker, not for the table.
//
// Crash semantics are the foreground flush's (flush.ts): the immutable memtable's WAL stays until the commit,
// so a crash before it leaves that WAL for recovery to replay (and the worker's table, named by no manifest
// record, for it to delete); the writes after the switch are in the new WAL, which the commit names as the log.
//
// Used when nobody listens (the lab draws every step of a flush in order, on its write), with the engine's own flush
// worker in a browser worker on OpfsStorage itself (not a wrapper whose faults the worker's writes would escape),
// or with the worker LsmOptions.flushWorker starts. One immutable memtable at a time: a write that fills the next
// memtable first waits for the last one's commit (LevelDB's MakeRoomForWrite).
import { commit, flushEdit, type NewTable, readBack, removeObsolete, rollManifestIfLarge, writeTable } from './commit';
import { ErrorCode, LsmError } from './errors';
import { failed } from './failure';
import { sstableName, walName } from './filenames';
import { type FlushReply, type FlushWorker, packEntries, replyError } from './flush-table';
import { syncWal } from './group-commit';
import { chargeLevel, nowMicros } from './introspect';
import { Memtable } from './memtable/memtable';
import { builderOptions } from './settings';
import { retain } from './snapshot';
import type { BuiltTable } from './sstable/builder';
import type { FlushWorkerState, Immutable, LsmState } from './state';
import { openFile, removeFile } from './storage/io';
import { OpfsStorage } from './storage/opfs';
import type { StorageFile } from './storage/storage';
import { WalWriter } from './wal/writer';

/**
 * The buffer the last reply handed back, for the next flush to pack into: one for every tree in the worker (they
 * flush one at a time), as the arena's chunks are (memtable/arena.ts), since a fresh 4 MiB buffer's first touch
 * of each page costs page faults.
 */
let spare: ArrayBuffer | undefined;

function takeSpare(): ArrayBuffer | undefined {
  const buffer = spare;
  spare = undefined;
  return buffer;
}

function giveSpare(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0 && (!spare || spare.byteLength < buffer.byteLength)) spare = buffer;
}

/** Replies awaited from flush workers, by request id: one numbering for every tree in this worker. */
const waiting = new Map<number, { worker: FlushWorker; answer: (reply: FlushReply) => void }>();
let lastRequest = 0;
/** Workers whose replies are listened to, and those that failed to start (never asked again). */
const listened = new WeakSet<FlushWorker>();
const broken = new WeakSet<FlushWorker>();

function listen(worker: FlushWorker): void {
  if (listened.has(worker)) return;
  listened.add(worker);
  worker.onmessage = ({ data: reply }) => {
    waiting.get(reply.id)?.answer(reply);
    waiting.delete(reply.id);
  };
  // A worker that cannot start (its script refused, say), or whose reply cannot be read, answers nothing: what waits
  // for it hears so, and the flushes stay on the write path from then on.
  const events = worker as { onerror?: ((event: unknown) => void) | null; onmessageerror?: (() => void) | null };
  events.onerror = events.onmessageerror = () => {
    broken.add(worker);
    for (const [id, request] of waiting) {
      if (request.worker !== worker) continue;
      waiting.delete(id);
      request.answer({
        id,
        ok: false,
        error: { code: ErrorCode.IoError, message: 'the flush worker failed' },
        entries: new ArrayBuffer(0),
      });
    }
    worker.terminate();
  };
}

/** The engine's own flush worker, shared by every tree in this worker: started once, at the first flush. */
let engineWorker: FlushWorker | undefined;

function engineFlushWorker(): FlushWorker {
  engineWorker ??= new Worker(new URL('./flush-worker.ts', import.meta.url), {
    type: 'module',
    name: 'lsm-flush',
  }) as unknown as FlushWorker;
  return engineWorker;
}

/**
 * LsmOptions.flushWorker taken: false, none; a function, the tree's own workers; undefined, the engine's own where
 * it can write to the tree's files: in a browser worker (a dedicated worker may start another), on OPFS itself.
 */
export function newFlushWorkerState(
  option: false | (() => FlushWorker) | undefined,
  storage: unknown,
): FlushWorkerState {
  if (option === false) return { worker: undefined, start: undefined, owned: false };
  if (option) return { worker: undefined, start: option, owned: true };
  const possible = typeof Worker === 'function' && storage instanceof OpfsStorage;
  return { worker: undefined, start: possible ? engineFlushWorker : undefined, owned: false };
}

/** The flush worker, started if need be; undefined when the flush must stay on the write path. */
export function backgroundWorker(state: LsmState): FlushWorker | undefined {
  const flusher = state.flusher;
  if (state.trace.on || !flusher.start) return undefined;
  if (flusher.worker === undefined) {
    try {
      flusher.worker = flusher.start();
    } catch {
      // Not allowed here (a policy, say): the tree's flushes stay on the write path.
      flusher.start = undefined;
      return undefined;
    }
    listen(flusher.worker);
  }
  return broken.has(flusher.worker) ? undefined : flusher.worker;
}

/**
 * The write path's part (write.ts), in the tree's queue: the full memtable becomes immutable and goes to the flush
 * worker; a new WAL and memtable take the writes. If an immutable memtable is still there, its commit comes first
 * (a failure there is thrown: nothing was switched, and the next write tries again). `afterCommit` (the compactions
 * the new table may call for) follows the commit in the same turn of the queue.
 */
export async function switchMemtable(
  state: LsmState,
  worker: FlushWorker,
  afterCommit: () => Promise<unknown>,
): Promise<void> {
  if (state.imm) await commitImmutable(state);
  // Writes waiting for a group flush are settled first: the WAL they are in stops taking writes.
  syncWal(state);
  const memtable = state.memtable;
  if (memtable.entries === 0) return;
  const logNumber = state.version.nextFileNumber++;
  const tableNumber = state.version.nextFileNumber++;
  // The new WAL's creation (two round trips to the browser's storage process) goes on while the entries are
  // packed, and the worker starts on the table before it is done.
  const creating = openFile(state.storage, walName(logNumber), { create: true });
  creating.catch(() => {}); // awaited below
  // Every version a live snapshot still sees goes into the table; the others are dropped here.
  const kept = { keptForSnapshots: 0, droppedShadowed: 0, droppedTombstones: 0 };
  const versions = retain(memtable.versions(), state.snapshots.sequences(), false, kept);
  const packed = packEntries(versions, memtable.bytes, takeSpare());
  const id = ++lastRequest;
  const built = new Promise<FlushReply>((answer) => waiting.set(id, { worker, answer }));
  const directory = state.storage instanceof OpfsStorage ? state.storage.directory : undefined;
  const name = sstableName(tableNumber);
  worker.postMessage(
    {
      id,
      directory,
      name,
      entries: packed.buffer,
      length: packed.length,
      count: packed.count,
      options: builderOptions(state.settings),
    },
    [packed.buffer],
  );
  let wal: WalWriter;
  try {
    wal = new WalWriter(await creating, walName(logNumber), logNumber, 0);
  } catch (error) {
    // Nothing switched: the write stands in the old WAL, and the next one tries again. The table being written
    // is named by nothing; it is deleted once written (or by the next recovery), and close() waits for that, as
    // for any deletion left to the browser (commit.ts, removeObsolete): the worker's handle on it must be gone.
    const leftover: Promise<void> = built
      .then(async (reply) => {
        giveSpare(reply.entries);
        if (reply.ok) await removeFile(state.storage, name).catch(() => {});
      })
      .finally(() => state.removals.delete(leftover));
    state.removals.add(leftover);
    throw error;
  }
  const imm: Immutable = {
    memtable,
    wal: state.wal,
    olderWals: state.olderWals,
    logNumber,
    tableNumber,
    pendingTimes: state.pendingTimes,
    generation: state.arena.closeGeneration(),
    built,
    started: nowMicros(),
    workerFailed: false,
  };
  state.imm = imm;
  state.wal = wal;
  state.olderWals = [];
  state.memtable = new Memtable();
  state.pendingTimes = undefined;
  // When the table is there, its commit (and the compactions it calls for) takes its turn in the tree's queue. Its
  // failures are reported as a flush's and a compaction's (failure.ts); the next write or close tries again.
  built.then(() =>
    state
      .enqueue(async () => {
        // Unless committed already (by a write that needed the room, or a flush asked for), or the tree stopped
        // writing (failure.ts): then the WALs stay, for the next open to replay.
        if (state.readOnly) return;
        if (state.imm === imm) {
          try {
            await commitImmutable(state);
          } catch (error) {
            failed(state, error, 'flush');
            return;
          }
        }
        try {
          await afterCommit();
        } catch (error) {
          failed(state, error, 'compaction');
        }
      })
      // A closed tree refuses the turn (close committed it), and a crashed process has nothing left to tell.
      .catch(() => {}),
  );
}

/**
 * Commits the immutable memtable's table (in the tree's queue): waits for the worker's table, opens and verifies it,
 * appends the version edit to the manifest, retires the WALs. If the worker's table failed (reported as a background
 * error), the table is written here instead, as the foreground flush writes it. A failure here leaves the immutable
 * memtable as it was, still read, its WALs kept, for the next attempt.
 */
export async function commitImmutable(state: LsmState): Promise<void> {
  const imm = state.imm;
  if (!imm) return;
  if (state.readOnly) {
    throw new LsmError(ErrorCode.ReadOnly, `the database refuses writes: ${state.readOnly}`);
  }
  // Frozen while nobody listened (or it would be an inline flush): a listener that subscribed since sees its commit
  // framed as a flush, begin to end, with the WAL that logged it, marked `frozen` (the active memtable stays).
  const framed = state.trace.on;
  if (framed) state.trace.flushBegin('threshold', imm.memtable, imm.wal.name, true);
  let written: NewTable | undefined;
  let byWorker = false;
  if (!imm.workerFailed) {
    const reply = await imm.built;
    giveSpare(reply.entries);
    try {
      if (!reply.ok) throw replyError(reply);
      written = await openWorkersTable(state, imm, reply.built);
      byWorker = true;
    } catch (error) {
      // Reported (a background error), and the table is written here instead. Whatever the worker left of its
      // own is named by nothing: deleted (or, if that fails, by the next recovery).
      imm.workerFailed = true;
      failed(state, error, 'flush');
      await removeFile(state.storage, sstableName(imm.tableNumber)).catch(() => {});
    }
  }
  if (!written) {
    const kept = { keptForSnapshots: 0, droppedShadowed: 0, droppedTombstones: 0 };
    written = await writeTable(state, 0, retain(imm.memtable.versions(), state.snapshots.sequences(), false, kept));
  }
  const edit = flushEdit(state, imm.logNumber, written.table, imm.pendingTimes);
  try {
    commit(state, edit, [written]);
  } catch (error) {
    // commit() deleted the table if the record surely is not on storage (else the tree stops writing): the next
    // attempt writes its own.
    imm.workerFailed = true;
    throw error;
  }
  state.counters.flushes++;
  if (byWorker) state.counters.flushesByWorker++;
  chargeLevel(state, 0, nowMicros() - imm.started, 0, written.table.size);
  state.imm = undefined;
  // Committed. The old WAL(s) hold nothing the SSTable lacks, and nothing reads the immutable memtable any more.
  imm.wal.close();
  await removeObsolete(state, [...imm.olderWals, imm.wal.name], (old) => state.trace.walRemoved(old));
  state.arena.retireGeneration(imm.generation);
  if (framed) state.trace.flushEnd(written.table.file, state.wal.name, true);
  await rollManifestIfLarge(state);
}

/** The worker's table, opened and verified; a table that fails that is deleted. */
async function openWorkersTable(state: LsmState, imm: Immutable, built: BuiltTable): Promise<NewTable> {
  const name = sstableName(imm.tableNumber);
  let file: StorageFile | undefined;
  try {
    file = await openFile(state.storage, name);
    return readBack(state, file, name, imm.tableNumber, 0, built);
  } catch (error) {
    file?.close();
    await removeFile(state.storage, name).catch(() => {});
    throw error;
  }
}

/**
 * The tree closes: the immutable memtable's commit is waited for, and the worker stopped. A tree that stopped
 * writing (failure.ts) commits nothing more; nor does one whose commit fails (reported): the WALs stay, and the next
 * open replays them. Throws only for a crashed process.
 */
export async function closeBackgroundFlush(state: LsmState): Promise<void> {
  const imm = state.imm;
  if (imm) {
    let committed = false;
    if (!state.readOnly) {
      try {
        await commitImmutable(state);
        committed = true;
      } catch (error) {
        failed(state, error, 'flush');
      }
    }
    if (!committed) {
      // The worker's table, if it is still being written, is closed before the worker stops: a reopen must find no
      // handle on it (recovery deletes it, named by no manifest record).
      if (!imm.workerFailed) await imm.built;
      imm.wal.close();
      state.arena.retireGeneration(imm.generation);
    }
  }
  if (state.flusher.owned) state.flusher.worker?.terminate();
  state.flusher.worker = undefined;
}
