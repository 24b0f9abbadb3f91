// Compaction, executed (beside the pure picker, picker.ts, and the range steps, range.ts): the chosen tables are
// merged, what no reader can see any more is dropped, the output is split into files, and one manifest edit swaps
// inputs for outputs (LevelDB's DoCompactionWork; mini-lsm's compact.rs).
import { compareBytes } from '../bytes';
import type { Entry } from '../codec/entry';
import { entrySize } from '../codec/entry';
import {
  commit,
  dropTableAhead,
  editBase,
  type NewTable,
  removeObsolete,
  rollManifestIfLarge,
  SLICE,
  type TableAhead,
  tableAhead,
  writeTableWith,
} from '../commit';
import { ErrorCode, LsmError } from '../errors';
import { flushMemtable } from '../flush';
import { chargeLevel, nowMicros } from '../introspect';
import { mergeAll } from '../iterators';
import { compactionOptions } from '../settings';
import { retain } from '../snapshot';
import type { SstableBuilder } from '../sstable/builder';
import { SSTABLE_VERSION_PREFIX } from '../sstable/format';
import { ReadBuffers } from '../sstable/reader';
import type { LsmState } from '../state';
import { removeFile } from '../storage/io';
import { type CompactionProgress, newCompactionProgress } from '../trace';
import { sliceDue, yieldToEventLoop } from '../yield';
import { applyFilter, type FilterCounts, filterOf } from './filter';
import { levelTargets } from './levels';
import { MergedSurvivors, sharedByAll, TableCursor } from './merge';
import { type CompactionTask, pickCompaction } from './picker';
import { inRange, type KeyRange, pickBottomRewrite, pickRangeStep } from './range';
import { OutputSplitter } from './splitter';

/** What one compaction did. */
export interface CompactionDone {
  bytesRead: number;
  bytesWritten: number;
  /** Shadowed versions and tombstones left out of the output. */
  dropped: number;
  /** Values a compaction filter dropped (not counted in `dropped`). */
  filtered: number;
}

/** What compactRange did. */
export interface RangeCompaction {
  compactions: number;
  bytesRead: number;
  bytesWritten: number;
  /** Shadowed versions and tombstones dropped. */
  entriesDropped: number;
  /** Values a compaction filter dropped (compaction/filter.ts). */
  entriesFiltered: number;
}

export async function compactWhileNeeded(state: LsmState): Promise<number> {
  let ran = 0;
  for (;;) {
    const task = pickCompaction(state.version.newestFirst(), compactionOptions(state.settings), state.cursors);
    if (!task) return ran;
    await compact(state, task);
    ran++;
  }
}

/**
 * LevelDB's CompactRange over `keys` (hex bounds): flushes the memtable, then pushes every SSTable overlapping
 * the range down, level by level, to the last level that holds data (range.ts), then rewrites what was at the
 * bottom already.
 */
export async function compactRange(state: LsmState, keys: KeyRange): Promise<RangeCompaction> {
  const done: RangeCompaction = {
    compactions: 0,
    bytesRead: 0,
    bytesWritten: 0,
    entriesDropped: 0,
    entriesFiltered: 0,
  };
  if (keys.start !== undefined && keys.end !== undefined && keys.start >= keys.end) return done;
  await flushMemtable(state, 'manual');
  const tables = state.version.newestFirst();
  const deepest = tables.reduce((max, t) => Math.max(max, t.level), 0);
  const bottom = Math.max(deepest, levelTargets(tables, compactionOptions(state.settings)).baseLevel);
  const olderAtBottom = new Set(tables.filter((t) => t.level === bottom && inRange(t, keys)).map((t) => t.number));
  const run = async (task: CompactionTask) => {
    const step = await compact(state, task);
    done.compactions++;
    done.bytesRead += step.bytesRead;
    done.bytesWritten += step.bytesWritten;
    done.entriesDropped += step.dropped;
    done.entriesFiltered += step.filtered;
  };
  for (let level = 0; level < bottom; level++) {
    for (let task = pickRangeStep(state.version.newestFirst(), keys, level, bottom); task; ) {
      await run(task);
      task = pickRangeStep(state.version.newestFirst(), keys, level, bottom);
    }
  }
  for (let task = pickBottomRewrite(state.version.newestFirst(), olderAtBottom, keys, bottom); task; ) {
    olderAtBottom.delete(task.inputs[0]!.number);
    await run(task);
    task = pickBottomRewrite(state.version.newestFirst(), olderAtBottom, keys, bottom);
  }
  return done;
}

/**
 * One compaction, crash-safe in the same way as a flush: outputs written and flushed -> one manifest edit
 * adds the outputs and removes the inputs (commit) -> inputs deleted. A crash before the commit leaves
 * outputs nobody names; after it, inputs nobody names. Recovery deletes either.
 */
export async function compact(state: LsmState, task: CompactionTask): Promise<CompactionDone> {
  state.trace.compactionBegin(task);
  let committed = false;
  try {
    return await compactCommitting(state, task, () => {
      committed = true;
    });
  } catch (error) {
    // Told before the error goes up, so that the picture never shows a compaction still running that stopped.
    // A crash is not a failure (the process is gone); after the commit the compaction happened.
    if (!committed && !(error instanceof LsmError && error.code === ErrorCode.Crashed)) {
      state.trace.compactionFailed(task, error);
    }
    throw error;
  }
}

/** compact's work; `onCommit` when its manifest edit is written (after that, a failure is not the compaction's). */
async function compactCommitting(state: LsmState, task: CompactionTask, onCommit: () => void): Promise<CompactionDone> {
  const started = nowMicros();
  // The next compaction out of this level starts after the largest key this one took from it.
  const fromLevel = task.inputLevels[0]!;
  if (fromLevel > 0) {
    const taken = task.inputs.filter((t) => t.level === fromLevel);
    state.cursors.set(
      fromLevel,
      taken.reduce((max, t) => (compareBytes(t.largest, max) > 0 ? t.largest : max), taken[0]!.largest),
    );
  }
  const bytesRead = task.inputs.reduce((sum, t) => sum + t.size, 0);

  if (task.trivialMove) {
    const moved = { ...task.inputs[0]!, level: task.outputLevel };
    commit(state, { ...editBase(state), added: [moved], removed: [moved.number] });
    onCommit();
    state.counters.compactions++;
    chargeLevel(state, task.outputLevel, nowMicros() - started, 0, 0);
    state.trace.compactionMoved(moved, task.outputLevel);
    await rollManifestIfLarge(state);
    return { bytesRead: 0, bytesWritten: 0, dropped: 0, filtered: 0 };
  }

  // Traced: the first versions dropped are named in compaction.end, for the picture to strike through.
  const traced = state.trace.on;
  const progress = newCompactionProgress(traced);
  const snapshots = state.snapshots.sequences();
  const filtered: FilterCounts = { prefix: 0, ttl: 0, tombstones: 0, ...(traced ? { shown: [] } : {}) };
  // The first output file is created while the merge reads its first blocks: creating one is two round trips to
  // the browser's storage process, which the merge's work hides (each file after it is created ahead the same way).
  const first = tableAhead(state);
  const buffers = task.inputs.map(() => new ReadBuffers());
  const splitter = outputSplitter(state, task);
  const readers = task.inputs.map((t) => state.readers.get(t.number)!);
  // No snapshot and no filter (nothing needs a key's versions together) and every input in format 2: the merge
  // over parsed blocks (merge.ts). Otherwise an entry at a time. Both write the same files.
  const overBlocks =
    snapshots.length === 0 &&
    state.settings.filterPrefixes.length === 0 &&
    state.settings.filterTtlMs === 0 &&
    readers.every((r) => r.formatVersion === SSTABLE_VERSION_PREFIX);
  let survivors: OutputStream;
  try {
    survivors = overBlocks
      ? new MergedSurvivors(
          readers.map((r, i) => new TableCursor(r.blocksFrom(undefined, buffers[i]), r.name)),
          task.dropTombstones,
          progress,
          state.trace,
          splitter,
          sharedByAll(task.inputs),
        )
      : new Lookahead(survivingEntries(state, task, snapshots, progress, filtered, buffers), splitter);
  } catch (error) {
    await dropTableAhead(state, first);
    throw error;
  }
  const moreLikely = splitter ? moreFilesLikely(task, progress, state) : never;
  const outputs = await writeOutputs(state, task, survivors, moreLikely, first);
  // Every entry read is written out or dropped: the read buffers may go to the next compaction.
  for (const b of buffers) b.release();

  commit(
    state,
    { ...editBase(state), added: outputs.map((o) => o.table), removed: task.inputs.map((t) => t.number) },
    outputs,
  );
  onCommit();
  state.counters.compactions++;
  state.counters.compactionBytesRead += bytesRead;
  const bytesWritten = outputs.reduce((sum, o) => sum + o.table.size, 0);
  state.counters.compactionBytesWritten += bytesWritten;
  chargeLevel(state, task.outputLevel, nowMicros() - started, bytesRead, bytesWritten);
  for (const input of task.inputs) {
    const reader = state.readers.get(input.number);
    reader?.evictCached();
    reader?.close();
    state.readers.delete(input.number);
  }
  // Shown deleted before the compaction ends; not waited for when nobody listens (removeObsolete).
  await removeObsolete(
    state,
    task.inputs.map((input) => input.file),
    (file) => state.trace.sstableRemoved(file),
  );
  state.trace.compactionEnd(
    task,
    outputs.map((o) => o.table),
    progress,
    { bytesRead, bytesWritten },
    traced,
    filtered,
  );
  state.trace.snapshotsKept(
    'compaction',
    progress.keptForSnapshots,
    snapshots,
    progress.probe?.keptShown,
    outputs.map((o) => o.table),
  );
  await rollManifestIfLarge(state);
  return {
    bytesRead,
    bytesWritten,
    dropped: progress.droppedShadowed + progress.droppedTombstones,
    filtered: filtered.prefix + filtered.ttl,
  };
}

/** The entries a compaction keeps, read one ahead; the output files take turns at them (writeOutputs). */
interface OutputStream {
  readonly done: boolean;
  /** One output file's entries: the next one (it opens the file), then every one up to the next that opens one. */
  fillFile(builder: SstableBuilder): Promise<void>;
}

/**
 * Leveled output is split into files of about the target size, each overlapping at most
 * grandparentOverlapFactor × that of the level below the output (compaction/splitter.ts); a tiered run stays one
 * file.
 */
function outputSplitter(state: LsmState, task: CompactionTask): OutputSplitter | undefined {
  const targetBytes = targetFileBytes(state);
  return task.strategy === 'leveled'
    ? new OutputSplitter(
        state.version.newestFirst().filter((t) => t.level === task.outputLevel + 1),
        targetBytes,
        state.settings.grandparentOverlapFactor * targetBytes,
      )
    : undefined;
}

/**
 * The surviving entries, written into output files, each file taking its turn at the one stream of them
 * (fillFile). The first is `first`, created as the compaction started; while one fills, the next is created ahead
 * (tableAhead) when `moreLikely` says the input left will not fit in this one. If any output fails, those already
 * written are closed and deleted and the error goes up: nothing was committed.
 */
async function writeOutputs(
  state: LsmState,
  task: CompactionTask,
  surviving: OutputStream,
  moreLikely: () => boolean,
  first: TableAhead,
): Promise<NewTable[]> {
  const outputs: NewTable[] = [];
  let ahead: TableAhead | undefined = first;
  try {
    while (!surviving.done) {
      const opened = ahead;
      ahead = undefined;
      const fill = (builder: SstableBuilder) => {
        if (moreLikely()) ahead = tableAhead(state);
        return surviving.fillFile(builder);
      };
      outputs.push(await writeTableWith(state, task.outputLevel, fill, opened));
    }
  } catch (error) {
    for (const output of outputs) {
      output.reader.close();
      const removed = await removeFile(state.storage, output.table.file).then(
        () => true,
        () => false,
      );
      if (removed) state.trace.sstableRemoved(output.table.file, true);
    }
    if (ahead) await dropTableAhead(state, ahead);
    throw error;
  }
  if (ahead) await dropTableAhead(state, ahead);
  return outputs;
}

const never = () => false;

function targetFileBytes(state: LsmState): number {
  return state.settings.targetFileBytes ?? state.settings.memtableBytes;
}

/**
 * Whether what is left of a compaction's input will need another output file after the one about to fill: the
 * input entries not read yet, times the share of entries read so far that survived, at the average size of those
 * written, against one and a half target files. A guess, only ever costing a file created and deleted for nothing.
 */
function moreFilesLikely(task: CompactionTask, progress: CompactionProgress, state: LsmState): () => boolean {
  const inputEntries = task.inputs.reduce((sum, t) => sum + t.entries, 0);
  const targetBytes = targetFileBytes(state);
  return () => {
    if (progress.entriesRead === 0 || progress.entriesWritten === 0) return false;
    const surviving = progress.entriesWritten / progress.entriesRead;
    const entryBytes = progress.bytes / progress.entriesWritten;
    return (inputEntries - progress.entriesRead) * surviving * entryBytes > 1.5 * targetBytes;
  };
}

/**
 * The surviving entries read one ahead, each shown to the splitter exactly once, in order (it counts the bytes
 * and overlap it is shown): the output files take turns at one stream of entries.
 */
class Lookahead implements OutputStream {
  readonly #entries: Iterator<Entry>;
  readonly #splitter: OutputSplitter | undefined;
  #next: IteratorResult<Entry>;
  /** Whether the splitter closes the current output file before the next entry. */
  opensFile = false;

  constructor(entries: Iterator<Entry>, splitter: OutputSplitter | undefined) {
    this.#entries = entries;
    this.#splitter = splitter;
    this.#next = entries.next();
    this.#judge();
  }

  get done(): boolean {
    return this.#next.done === true;
  }

  async fillFile(builder: SstableBuilder): Promise<void> {
    let count = 0;
    do {
      builder.add(this.#next.value as Entry);
      if (sliceDue(++count)) await yieldToEventLoop();
      this.#next = this.#entries.next();
      this.#judge();
    } while (!this.done && !this.opensFile);
  }

  #judge(): void {
    if (this.#next.done || !this.#splitter) return;
    const entry = this.#next.value;
    this.opensFile = this.#splitter.stopBefore(entry.key, entrySize(entry.key.length, entry.value.length));
  }
}

/**
 * The compaction's merged input minus what it may drop (snapshot.ts, retain): versions no reader can see any
 * more, and tombstones at the bottom. Versions a live snapshot still sees stay. A compaction filter, when the
 * settings set one, runs before retain() and never on a version a live snapshot sees (compaction/filter.ts).
 */
function* survivingEntries(
  state: LsmState,
  task: CompactionTask,
  snapshots: readonly number[],
  progress: CompactionProgress,
  filtered: FilterCounts,
  buffers: readonly ReadBuffers[],
): Generator<Entry> {
  const sources = task.inputs.map((t, i) => state.readers.get(t.number)!.scanFrom(undefined, buffers[i]));
  const filter = filterOf(state.settings, state.clock(), state.version.writeTimes);
  const merged = mergeAll(sources, progress);
  const input = filter ? applyFilter(merged, filter, snapshots, task.dropTombstones, filtered, progress) : merged;
  for (const entry of retain(input, snapshots, task.dropTombstones, progress)) {
    progress.entriesWritten++;
    progress.bytes += entrySize(entry.key.length, entry.value.length);
    if (progress.entriesWritten % SLICE === 0) state.trace.compactionProgress(progress);
    yield entry;
  }
}
