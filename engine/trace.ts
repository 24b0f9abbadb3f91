// The trace module: who listens, and every event the tree makes, built here from the algorithms' own facts
// (bytes become hex here, and only when someone listens). The algorithms call one method per step and read as
// algorithms; what each event means is in events.ts, with examples in engine/README.md ("Events").

import { compareBytes, toHex } from './bytes';
import type { BatchWrite } from './codec/batch';
import type { Entry } from './codec/entry';
import type { FilterCounts } from './compaction/filter';
import type { CompactionTask } from './compaction/picker';
import { ErrorCode, LsmError } from './errors';
import type { EngineEvent, EngineEventBody, EventListener, SkipListPath, SstableInfo, SstableMeta } from './events';
import { sstableName } from './filenames';
import type { Merged } from './iterators';
import type { VersionEdit } from './manifest/edit';
import type { RolledManifest } from './manifest/roll';
import { type Memtable, SEARCH_PATH_UP_TO } from './memtable/memtable';
import {
  DROPPED_SHOWN,
  type DroppedVersion,
  KEPT_SHOWN,
  type KeptNote,
  type Retention,
  type RetentionProbe,
  seenBy,
} from './snapshot';
import { TableProbe } from './sstable/read-probe';
import type { PointRead } from './sstable/reader';

type Body<T extends EngineEventBody['type']> = Extract<EngineEventBody, { type: T }>;
type Hexed = { op: BatchWrite['op']; key: string; value: string | null };

/** What retain() did, with the trace's notes while traced: the versions kept for snapshots and dropped. */
export type NotedRetention = Omit<Retention, 'probe'> & { probe?: RetentionNotes };

/** What a compaction reports at its end, and every SLICE entries on the way. */
export type CompactionProgress = NotedRetention & {
  entriesRead: number;
  entriesWritten: number;
  bytes: number;
};

/** A compaction's progress at its start; `traced`: it notes the versions it drops and keeps (RetentionNotes). */
export function newCompactionProgress(traced: boolean): CompactionProgress {
  return {
    entriesRead: 0,
    entriesWritten: 0,
    droppedShadowed: 0,
    droppedTombstones: 0,
    keptForSnapshots: 0,
    bytes: 0,
    ...(traced ? { probe: new RetentionNotes() } : {}),
  };
}

/**
 * A traced compaction's notes of what retain() (snapshot.ts) and the compaction filter decided: the first
 * DROPPED_SHOWN versions dropped, for the picture to strike through one by one, and the first KEPT_SHOWN kept for
 * snapshots, for it to mark. Hex is made here, for these few, and only while someone listens.
 */
export class RetentionNotes implements RetentionProbe {
  readonly droppedShown: DroppedVersion[] = [];
  readonly keptShown: KeptNote[] = [];

  dropped(version: Entry, why: DroppedVersion['why']): void {
    if (this.droppedShown.length < DROPPED_SHOWN) {
      this.droppedShown.push({ key: toHex(version.key), seq: version.seq, op: version.op, why });
    }
  }

  kept(version: Entry, seenBy: number[]): void {
    if (this.keptShown.length < KEPT_SHOWN) {
      const value = version.op === 'put' ? toHex(version.value) : null;
      this.keptShown.push({ key: toHex(version.key), seq: version.seq, op: version.op, value, seenBy });
    }
  }

  unkept(version: Entry): void {
    const noted = this.keptShown.findIndex((k) => k.seq === version.seq);
    if (noted >= 0) this.keptShown.splice(noted, 1);
  }
}

export class Trace {
  readonly #listeners = new Set<EventListener>();
  /** Corruption errors already told (corruption()). */
  readonly #told = new WeakSet<LsmError>();
  #eventId = 0;

  /** Someone listens: events (and their hex) are worth making. */
  get on(): boolean {
    return this.#listeners.size > 0;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(body: EngineEventBody): void {
    if (this.#listeners.size === 0) return;
    const event = { ...body, id: ++this.#eventId } as EngineEvent;
    for (const listener of this.#listeners) listener(event);
  }

  // --- write path ----------------------------------------------------------------------------------------

  /** The writes of one WAL record, as hex: made once, for the WAL event and the memtable inserts. */
  hexOf(writes: readonly BatchWrite[]): Hexed[] {
    return this.on
      ? writes.map((w) => ({ op: w.op, key: toHex(w.key), value: w.op === 'put' ? toHex(w.value) : null }))
      : [];
  }

  walAppended(
    file: string,
    at: { offset: number; length: number },
    seq: number,
    hex: readonly Hexed[],
    asBatch: boolean,
  ): void {
    if (!this.on) return;
    const { offset, length } = at;
    if (asBatch) this.emit({ type: 'wal.batch', file, offset, length, seq, writes: [...hex] });
    else this.emit({ type: 'wal.append', file, offset, length, seq, ...hex[0]! });
  }

  /** `snapshots`: the live ones, which the key's older versions kept behind this one are kept for. */
  memtableInserted(
    hex: Hexed,
    seq: number,
    memtable: Memtable,
    limit: number,
    height: number,
    key: Uint8Array,
    snapshots: readonly number[],
  ): void {
    if (!this.on) return;
    // Versions kept for snapshots since released stay until the flush: drawn too, seen by nobody.
    const chain = memtable.chain(key, KEPT_SHOWN + 1);
    const older = chain.slice(1).map((version, i) => ({
      seq: version.seq,
      op: version.op,
      value: version.op === 'put' ? toHex(version.value) : null,
      seenBy: seenBy(version.seq, chain[i]!.seq, snapshots),
    }));
    this.emit({
      type: 'memtable.insert',
      ...hex,
      seq,
      bytes: memtable.bytes,
      entries: memtable.entries,
      limit,
      height,
      ...searchPath(memtable, key),
      ...(older.length > 0 ? { older } : {}),
    });
  }

  walFlushed(wal: { name: string; size: number }): void {
    this.emit({ type: 'wal.flush', file: wal.name, size: wal.size });
  }

  walCreated(file: string): void {
    this.emit({ type: 'wal.create', file });
  }

  walRemoved(file: string): void {
    this.emit({ type: 'wal.remove', file });
  }

  // --- snapshots and close -------------------------------------------------------------------------------

  snapshotTaken(seq: number, live: number[], implicit: boolean): void {
    this.emit({ type: 'snapshot.take', seq, live, ...(implicit ? { implicit } : {}) });
  }

  snapshotReleased(seq: number, live: number[], implicit: boolean): void {
    this.emit({ type: 'snapshot.release', seq, live, ...(implicit ? { implicit } : {}) });
  }

  closed(): void {
    this.emit({ type: 'close' });
  }

  // --- failures ------------------------------------------------------------------------------------------

  /**
   * Corruption an operation found: announced (the UI shows where), then the error goes to the caller. Once per
   * error: the innermost layer that knows what failed tells it (a compaction, before its compaction.fail), and the
   * layers it passes through on its way up (the tree's queue) find it told.
   */
  corruption(error: unknown): void {
    const event = corruptionEvent(error);
    if (!event || this.#told.has(error as LsmError)) return;
    this.#told.add(error as LsmError);
    this.emit(event);
  }

  backgroundError(operation: Body<'background.error'>['operation'], error: unknown, readOnly: boolean): void {
    this.emit({
      type: 'background.error',
      operation,
      code: error instanceof LsmError ? error.code : 'io-error',
      message: error instanceof Error ? error.message : String(error),
      readOnly,
    });
  }

  // --- flush, commit and compaction -----------------------------------------------------------------------

  flushBegin(reason: Body<'flush.begin'>['reason'], memtable: Memtable, wal: string, frozen = false): void {
    const { entries, bytes } = memtable;
    this.emit({ type: 'flush.begin', reason, entries, bytes, wal, ...(frozen ? { frozen } : {}) });
  }

  flushEnd(table: string, wal: string, frozen = false): void {
    this.emit({ type: 'flush.end', table, wal, ...(frozen ? { frozen } : {}) });
  }

  sstableWritten(table: SstableMeta): void {
    this.emit({ type: 'sstable.write', table: sstableInfo(table) });
  }

  sstableRemoved(file: string, uncommitted = false): void {
    this.emit(uncommitted ? { type: 'sstable.remove', file, uncommitted } : { type: 'sstable.remove', file });
  }

  /** A version edit committed: the manifest record written at `at`. */
  manifestEdited(file: string, at: { offset: number; length: number }, edit: VersionEdit): void {
    this.emit({
      type: 'manifest.edit',
      file,
      ...at,
      added: edit.added.map(sstableInfo),
      removed: edit.removed.map(sstableName),
      logNumber: edit.logNumber,
      lastSequence: edit.lastSequence,
    });
  }

  /** A new manifest took over: its snapshot record (a manifest.edit), then the roll itself. */
  manifestStarted(rolled: RolledManifest): void {
    const { manifest, edit, offset, length } = rolled;
    this.manifestEdited(manifest.name, { offset, length }, edit);
  }

  manifestRolled(from: { name: string; size: number }, to: string, toSize: number, removed: boolean): void {
    this.emit({ type: 'manifest.roll', from: from.name, to, fromSize: from.size, toSize, removed });
  }

  /**
   * `kept`: the versions retain() noted (when traced), each put with the output whose key range holds it (a
   * flush writes one table; a compaction's outputs are disjoint and in key order).
   */
  snapshotsKept(
    by: Body<'snapshot.kept'>['by'],
    versions: number,
    snapshots: number[],
    kept: readonly KeptNote[] | undefined,
    outputs: readonly SstableMeta[],
  ): void {
    if (versions === 0) return;
    const shown = kept?.map((note) => ({
      ...note,
      file: (outputs.find((t) => toHex(t.smallest) <= note.key && note.key <= toHex(t.largest)) ?? outputs[0]!).file,
    }));
    this.emit({ type: 'snapshot.kept', by, versions, snapshots, ...(shown ? { shown } : {}) });
  }

  compactionBegin(task: CompactionTask): void {
    this.emit({
      type: 'compaction.begin',
      strategy: task.strategy,
      reason: task.reason,
      score: task.score,
      inputs: task.inputs.map((t) => t.file),
      inputLevels: task.inputLevels,
      outputLevel: task.outputLevel,
      dropTombstones: task.dropTombstones,
      trivialMove: task.trivialMove,
    });
  }

  /**
   * The compaction `task` failed with `error` before its commit (its written outputs already deleted). Corruption is
   * told first, while the compaction still runs in the picture: it is where the merge met it.
   */
  compactionFailed(task: CompactionTask, error: unknown): void {
    this.corruption(error);
    const where =
      error instanceof LsmError && error.file !== undefined ? { file: error.file, offset: error.offset ?? 0 } : {};
    this.emit({
      type: 'compaction.fail',
      inputs: task.inputs.map((t) => t.file),
      outputLevel: task.outputLevel,
      code: error instanceof LsmError ? error.code : 'io-error',
      message: error instanceof Error ? error.message : String(error),
      ...where,
    });
  }

  /** A trivial move: one file, relabelled with the level below, nothing read or written. */
  compactionMoved(moved: SstableMeta, outputLevel: number): void {
    this.emit({
      type: 'compaction.end',
      inputs: [moved.file],
      outputs: [moved.file],
      outputLevel,
      entriesRead: 0,
      entriesWritten: 0,
      droppedShadowed: 0,
      droppedTombstones: 0,
      keptForSnapshots: 0,
      bytesRead: 0,
      bytesWritten: 0,
    });
  }

  compactionProgress(progress: CompactionProgress): void {
    this.emit({
      type: 'compaction.progress',
      entriesRead: progress.entriesRead,
      entriesWritten: progress.entriesWritten,
      bytesWritten: progress.bytes,
    });
  }

  /** `traced`: whether the compaction was traced from its start (then progress names what it dropped). */
  compactionEnd(
    task: CompactionTask,
    outputs: readonly SstableMeta[],
    progress: CompactionProgress,
    bytes: { bytesRead: number; bytesWritten: number },
    traced: boolean,
    filtered?: FilterCounts,
  ): void {
    this.emit({
      type: 'compaction.end',
      inputs: task.inputs.map((t) => t.file),
      outputs: outputs.map((t) => t.file),
      outputLevel: task.outputLevel,
      entriesRead: progress.entriesRead,
      entriesWritten: progress.entriesWritten,
      droppedShadowed: progress.droppedShadowed,
      droppedTombstones: progress.droppedTombstones,
      keptForSnapshots: progress.keptForSnapshots,
      bytesRead: bytes.bytesRead,
      bytesWritten: bytes.bytesWritten,
      ...(traced ? { dropped: progress.probe?.droppedShown ?? [], links: linksOf(outputs, task.inputs) } : {}),
      ...(filtered && filtered.prefix + filtered.ttl > 0 ? { filtered: filteredOf(filtered) } : {}),
    });
  }

  // --- reads ---------------------------------------------------------------------------------------------

  /** A point read's trace (read.begin made), or undefined when nobody listens. */
  read(key: Uint8Array, memtable: Memtable, atSeq: number): ReadTrace | undefined {
    if (!this.on) return undefined;
    const read = new ReadTrace(this, toHex(key), key, memtable);
    this.emit({ type: 'read.begin', key: read.key, ...(Number.isFinite(atSeq) ? { at: atSeq } : {}) });
    return read;
  }

  // --- scans ---------------------------------------------------------------------------------------------

  scanBegin(from: Uint8Array | undefined, end: Uint8Array | undefined, sources: string[], atSeq: number): void {
    if (!this.on) return;
    this.emit({
      type: 'scan.begin',
      start: from ? toHex(from) : null,
      end: end ? toHex(end) : null,
      sources,
      ...(Number.isFinite(atSeq) ? { at: atSeq } : {}),
    });
  }

  /** One step of a scan's merge: the winner, and the versions passed over (newer than `atSeq`: invisible). */
  scanStep(merged: Merged, names: readonly string[], atSeq: number): void {
    const { entry } = merged;
    this.emit({
      type: 'scan.step',
      key: toHex(entry.key),
      source: names[merged.source]!,
      seq: entry.seq,
      op: entry.op,
      value: entry.op === 'put' ? toHex(entry.value) : null,
      skipped: (merged.passed ?? []).map((v) => ({
        source: names[v.source]!,
        seq: v.seq,
        why: v.seq > atSeq ? ('invisible' as const) : ('shadowed' as const),
      })),
    });
  }

  /** One scan result for the scan.end event, as hex; undefined when nobody listens. */
  scanEnd(results: Body<'scan.end'>['results'], count: number, shadowed: number, tombstones: number): void {
    this.emit({ type: 'scan.end', results, count, shadowed, tombstones });
  }

  scanShown(key: Uint8Array, value: Uint8Array, source: string): Body<'scan.end'>['results'][number] | undefined {
    return this.on ? { key: toHex(key), value: toHex(value), source } : undefined;
  }
}

/** The events of one point read: where it looked, in order, and what it found. */
export class ReadTrace {
  readonly #trace: Trace;
  readonly key: string;
  readonly #bytes: Uint8Array;
  readonly #memtable: Memtable;

  constructor(trace: Trace, key: string, bytes: Uint8Array, memtable: Memtable) {
    this.#trace = trace;
    this.key = key;
    this.#bytes = bytes;
    this.#memtable = memtable;
  }

  memtable(inMemory: Entry | undefined): void {
    const found = inMemory ? (inMemory.op === 'put' ? 'value' : 'tombstone') : 'absent';
    this.#trace.emit({
      type: 'read.memtable',
      key: this.key,
      found,
      ...searchPath(this.#memtable, this.#bytes),
      ...(inMemory ? { seq: inMemory.seq } : {}),
    });
  }

  /** What a table's reader is shown for the next read.sstable event (read-probe.ts). */
  probe(): TableProbe {
    return new TableProbe();
  }

  /**
   * One table's part of the read: its sub-steps in the order the reader took them (the filter, the index, the
   * block, each comparison of the binary search), then the verdict. The reader ran them all already (a get never
   * pauses); they are told one by one so that the picture can show them one by one.
   */
  sstable(table: SstableMeta, result: PointRead, probe: TableProbe): void {
    const where = { key: this.key, file: table.file, level: table.level };
    if (result.found === 'out-of-range') {
      this.#trace.emit({ type: 'read.sstable', ...where, found: 'out-of-range' });
      return;
    }
    const { bloom, index, block: taken, search } = probe;
    if (bloom) this.#trace.emit({ type: 'read.bloom', ...where, bloom, maybe: result.found !== 'bloom-negative' });
    const told = { ...(bloom ? { bloom } : {}), ...(index ? { index } : {}), ...(search ? { search } : {}) };
    if (result.found === 'bloom-negative') {
      this.#trace.emit({ type: 'read.sstable', ...where, found: 'bloom-negative', ...told });
      return;
    }
    const { block } = result;
    const at = { block: block.index, blockOffset: block.offset, blockSize: block.length };
    if (index) this.#trace.emit({ type: 'read.index', ...where, index });
    if (taken) this.#trace.emit({ type: 'read.block', ...where, ...at, ...taken });
    for (const c of search?.compared ?? []) {
      const step = { ...where, entry: c.entry, with: c.key, order: c.order };
      const marks = {
        ...(c.restart === undefined ? {} : { restart: c.restart }),
        ...(c.run === undefined ? {} : { run: c.run }),
      };
      this.#trace.emit({ type: 'read.compare', ...step, ...marks });
    }
    this.#trace.emit({ type: 'read.sstable', ...where, found: result.found, ...at, ...told });
  }

  /** `hidden`: for a read that stopped at a tombstone, the older version it hides (read.ts, searchTables). */
  end(lookup: ReadAnswer, hidden: { value: string | null; source: string } | undefined): void {
    const { value } = lookup;
    this.#trace.emit({
      type: 'read.end',
      key: this.key,
      found: value !== undefined,
      value: value ? toHex(value) : null,
      source: lookup.source,
      tablesChecked: lookup.tablesChecked,
      bloomSkips: lookup.bloomSkips,
      blocksRead: lookup.blocksRead,
      ...(hidden ? { hidden } : {}),
    });
  }
}

/**
 * What a point read found, as read.end tells it: the fields of read.ts's Lookup this trace reads. Declared here so
 * that the trace, which read.ts calls, does not import read.ts back.
 */
interface ReadAnswer {
  value: Uint8Array | undefined;
  source: string | null;
  tablesChecked: number;
  bloomSkips: number;
  blocksRead: number;
}

/** A traced event's skip list search path for key, while the memtable is small enough to draw. */
function searchPath(memtable: Memtable, key: Uint8Array): { path?: SkipListPath } {
  if (memtable.entries > SEARCH_PATH_UP_TO) return {};
  return { path: memtable.searchPath(key).map((p) => ({ lane: p.lane, key: p.key && toHex(p.key) })) };
}

/** Each output table and the input tables whose key ranges overlap its own: where its entries came from. */
function linksOf(
  outputs: readonly SstableMeta[],
  inputs: readonly SstableMeta[],
): Array<{ output: string; inputs: string[] }> {
  return outputs.map((o) => ({
    output: o.file,
    inputs: inputs
      .filter((i) => compareBytes(i.smallest, o.largest) <= 0 && compareBytes(o.smallest, i.largest) <= 0)
      .map((i) => i.file),
  }));
}

/** An SSTable as the events show it: its keys as hex. The one place an SstableMeta becomes an SstableInfo. */
export function sstableInfo(table: SstableMeta): SstableInfo {
  return { ...table, smallest: toHex(table.smallest), largest: toHex(table.largest) };
}

/** The corruption event for an error, or undefined when it is no corruption: the one place that builds it. */
export function corruptionEvent(error: unknown): Body<'corruption'> | undefined {
  if (!(error instanceof LsmError) || error.code !== ErrorCode.Corruption) return undefined;
  return { type: 'corruption', file: error.file ?? '?', offset: error.offset ?? 0, detail: error.message };
}

/** A compaction's filter counts as its compaction.end names them. */
function filteredOf(counts: FilterCounts): NonNullable<Body<'compaction.end'>['filtered']> {
  const { prefix, ttl, tombstones, shown } = counts;
  return { prefix, ttl, tombstones, ...(shown ? { shown } : {}) };
}
