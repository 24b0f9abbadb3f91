// The view model and the pure fold that builds it: applyEvent(view, event) -> view. The UI draws only
// this, and this is built only from the engine's events, so test/unit/fold.test.ts can prove that folding
// the events of any run gives exactly the engine's own state (LsmTree.describe()).
import type { SstableMeta, TreeState } from '../../engine';
import { orderForReads } from '../../engine/manifest/version';
import type { TimelineEvent } from './timeline';

export interface WalRecordView {
  offset: number;
  length: number;
  op: 'put' | 'delete';
  seq: number;
  key: string;
  value: string | null;
  /** A write batch's record (WriteBatch): how many writes it holds; op, key and value are its first one's. */
  batch?: number;
  /** Flushed to storage: survives power loss. */
  durable: boolean;
  /** Read back by recovery rather than appended in this session. */
  replayed: boolean;
}

export interface WalView {
  file: string;
  size: number;
  durableSize: number;
  /** The most recent records only (the file may hold many more). */
  records: WalRecordView[];
  totalRecords: number;
}

export interface MemtableEntryView {
  key: string;
  value: string | null;
  seq: number;
}

export interface TableView extends SstableMeta {
  /** Named by a flushed manifest record. Until then readers cannot see it. */
  committed: boolean;
  /** Which memtable it was flushed from: lets the animation morph one into the other. */
  generation: number;
}

export type ReadStep =
  | { where: 'memtable'; found: 'value' | 'tombstone' | 'absent' }
  | {
      where: 'sstable';
      file: string;
      level: number;
      found: 'out-of-range' | 'bloom-negative' | 'absent' | 'value' | 'tombstone';
      block?: number;
    };

export interface ReadView {
  key: string;
  steps: ReadStep[];
  done: boolean;
  found: boolean;
  value: string | null;
  source: string | null;
  tablesChecked: number;
  bloomSkips: number;
  blocksRead: number;
}

export interface CompactionView {
  strategy: 'leveled' | 'tiered';
  reason: string;
  inputs: string[];
  outputLevel: number;
  trivialMove: boolean;
  dropTombstones: boolean;
  entriesRead: number;
  entriesWritten: number;
  outputs: string[];
  done: boolean;
  droppedShadowed: number;
  droppedTombstones: number;
}

export interface ScanView {
  start: string | null;
  end: string | null;
  sources: string[];
  results: Array<{ key: string; value: string; source: string }>;
  count: number;
  shadowed: number;
  tombstones: number;
  done: boolean;
}

/** What the last event touched, so that the picture can point at it. */
export type Focus =
  | { kind: 'wal'; file: string; offset?: number }
  | { kind: 'memtable'; key?: string }
  | { kind: 'sstable'; file: string }
  | { kind: 'manifest' }
  | { kind: 'none' };

export interface RecoveryView {
  replayed: number;
  tornTails: Array<{ file: string; offset: number; droppedBytes: number }>;
  deleted: Array<{ file: string; reason: string }>;
  done: boolean;
}

export interface ViewModel {
  /** Oldest first; the last one is the WAL being written. */
  wals: WalView[];
  memtable: {
    /** Every entry, in key order, when each write was traced; during a workload, the first few only. */
    entries: MemtableEntryView[];
    /** How many entries the engine's memtable holds. */
    total: number;
    bytes: number;
    limit: number;
    generation: number;
    flushing: boolean;
    /**
     * The entries are a workload's snapshot (the engine's first few, replaced several times a second), not
     * traced one by one: from the first `workload.progress` until the memtable is flushed or lost.
     */
    sampled: boolean;
  };
  /** Newest first, the order a read tries them. */
  tables: TableView[];
  manifest: { file: string; size: number; records: number };
  lastSequence: number;
  read: ReadView | null;
  recovery: RecoveryView | null;
  crashed: { lostEntries: number; kind: 'process' | 'power' } | null;
  /** The crash point that fired, in the lab's words. */
  crashPoint: string | null;
  corruption: { file: string; offset: number; detail: string } | null;
  /** The last background failure (a flush or compaction after a durable write), and whether writes stopped. */
  trouble: { operation: string; message: string; readOnly: boolean } | null;
  compaction: CompactionView | null;
  compactions: number;
  scan: ScanView | null;
  focus: Focus;
  /** Set when a flush turns memtable generation N into an SSTable. */
  flushingGeneration: number | null;
}

const MAX_WAL_RECORDS_SHOWN = 200;

export const initialView: ViewModel = {
  wals: [],
  memtable: { entries: [], total: 0, bytes: 0, limit: 0, generation: 0, flushing: false, sampled: false },
  tables: [],
  manifest: { file: '', size: 0, records: 0 },
  lastSequence: 0,
  read: null,
  recovery: null,
  crashed: null,
  crashPoint: null,
  corruption: null,
  trouble: null,
  compaction: null,
  compactions: 0,
  scan: null,
  focus: { kind: 'none' },
  flushingGeneration: null,
};

export function applyEvent(view: ViewModel, event: TimelineEvent): ViewModel {
  switch (event.type) {
    case 'wal.append': {
      const record = recordView(event, false);
      return {
        ...view,
        wals: updateWal(view.wals, event.file, (wal) => appendRecord(wal, record)),
        focus: { kind: 'wal', file: event.file, offset: event.offset },
      };
    }
    case 'wal.batch': {
      const record: WalRecordView = {
        ...recordView({ ...event, ...event.writes[0]! }, false),
        batch: event.writes.length,
      };
      return {
        ...view,
        wals: updateWal(view.wals, event.file, (wal) => appendRecord(wal, record)),
        focus: { kind: 'wal', file: event.file, offset: event.offset },
      };
    }
    case 'wal.flush':
      return {
        ...view,
        wals: updateWal(view.wals, event.file, (wal) => ({
          ...wal,
          durableSize: event.size,
          records: wal.records.map((r) =>
            r.durable || r.offset + r.length > event.size ? r : { ...r, durable: true },
          ),
        })),
        focus: { kind: 'wal', file: event.file },
      };
    case 'wal.create':
      return {
        ...view,
        wals: [...view.wals.filter((w) => w.file !== event.file), emptyWal(event.file)],
        focus: { kind: 'wal', file: event.file },
      };
    case 'wal.remove':
      return { ...view, wals: view.wals.filter((w) => w.file !== event.file) };
    case 'memtable.insert': {
      const entry = { key: event.key, value: event.value, seq: event.seq };
      return {
        ...view,
        memtable: {
          ...view.memtable,
          entries: upsertSorted(view.memtable.entries, entry),
          total: event.entries,
          bytes: event.bytes,
          limit: event.limit,
        },
        lastSequence: Math.max(view.lastSequence, event.seq),
        crashed: null,
        focus: { kind: 'memtable', key: event.key },
      };
    }
    case 'flush.begin':
      return { ...view, memtable: { ...view.memtable, flushing: true }, focus: { kind: 'memtable' } };
    case 'sstable.write': {
      const tables = view.tables.slice();
      return { ...written(view, event, tables), tables };
    }
    case 'sstable.remove': {
      const tables = view.tables.slice();
      removeFile(tables, event.file);
      return { ...view, tables };
    }
    case 'compaction.begin':
      return {
        ...view,
        compaction: {
          strategy: event.strategy,
          reason: event.reason,
          inputs: event.inputs,
          outputLevel: event.outputLevel,
          trivialMove: event.trivialMove,
          dropTombstones: event.dropTombstones,
          entriesRead: 0,
          entriesWritten: 0,
          outputs: [],
          done: false,
          droppedShadowed: 0,
          droppedTombstones: 0,
        },
      };
    case 'compaction.progress':
      return {
        ...view,
        compaction: view.compaction && {
          ...view.compaction,
          entriesRead: event.entriesRead,
          entriesWritten: event.entriesWritten,
        },
      };
    case 'compaction.end':
      return {
        ...view,
        compaction: view.compaction && {
          ...view.compaction,
          entriesRead: event.entriesRead,
          entriesWritten: event.entriesWritten,
          outputs: event.outputs,
          droppedShadowed: event.droppedShadowed,
          droppedTombstones: event.droppedTombstones,
          done: true,
        },
        compactions: view.compactions + 1,
      };
    case 'scan.begin':
      return {
        ...view,
        scan: {
          start: event.start,
          end: event.end,
          sources: event.sources,
          results: [],
          count: 0,
          shadowed: 0,
          tombstones: 0,
          done: false,
        },
      };
    case 'scan.end':
      return {
        ...view,
        scan: view.scan && {
          ...view.scan,
          results: event.results,
          count: event.count,
          shadowed: event.shadowed,
          tombstones: event.tombstones,
          done: true,
        },
      };
    case 'manifest.edit': {
      const tables = view.tables.slice();
      return { ...edited(view, event, tables), tables };
    }
    case 'flush.end':
      return {
        ...view,
        memtable: {
          entries: [],
          total: 0,
          bytes: 0,
          limit: view.memtable.limit,
          generation: view.memtable.generation + 1,
          flushing: false,
          sampled: false,
        },
        flushingGeneration: null,
        focus: { kind: 'sstable', file: event.table },
      };
    case 'read.begin':
      return {
        ...view,
        read: {
          key: event.key,
          steps: [],
          done: false,
          found: false,
          value: null,
          source: null,
          tablesChecked: 0,
          bloomSkips: 0,
          blocksRead: 0,
        },
        focus: { kind: 'none' },
      };
    case 'read.memtable':
      return {
        ...view,
        read: view.read && { ...view.read, steps: [...view.read.steps, { where: 'memtable', found: event.found }] },
        focus: { kind: 'memtable', key: event.key },
      };
    case 'read.sstable': {
      const step: ReadStep = { where: 'sstable', file: event.file, level: event.level, found: event.found };
      if (event.block !== undefined) step.block = event.block;
      return {
        ...view,
        read: view.read && { ...view.read, steps: [...view.read.steps, step] },
        focus: { kind: 'sstable', file: event.file },
      };
    }
    case 'read.end':
      return {
        ...view,
        read: view.read && {
          ...view.read,
          done: true,
          found: event.found,
          value: event.value,
          source: event.source,
          tablesChecked: event.tablesChecked,
          bloomSkips: event.bloomSkips,
          blocksRead: event.blocksRead,
        },
      };
    case 'recovery.begin':
      // Opening: forget everything in memory; only files are known, and recovery says what they mean.
      return {
        ...initialView,
        crashed: view.crashed,
        crashPoint: view.crashPoint,
        manifest: { file: '', size: 0, records: 0 },
        recovery: { replayed: 0, tornTails: [], deleted: [], done: false },
        memtable: { ...initialView.memtable, generation: view.memtable.generation + 1 },
      };
    case 'recovery.manifest':
      return {
        ...view,
        tables: sortForReads(event.tables.map((t) => ({ ...t, committed: true, generation: -t.number }))),
        manifest: { file: event.file, size: event.size, records: event.records },
        lastSequence: event.lastSequence,
        focus: { kind: 'manifest' },
      };
    case 'recovery.delete':
      return {
        ...view,
        recovery: view.recovery && {
          ...view.recovery,
          deleted: [...view.recovery.deleted, { file: event.file, reason: event.reason }],
        },
      };
    case 'recovery.replay': {
      // Read back from storage: durable by definition.
      const record = recordView(event, true);
      const wals = view.wals.some((w) => w.file === event.file) ? view.wals : [...view.wals, emptyWal(event.file)];
      return {
        ...view,
        wals: updateWal(wals, event.file, (wal) => ({
          ...appendRecord(wal, record),
          durableSize: record.offset + record.length,
        })),
        recovery: view.recovery && { ...view.recovery, replayed: view.recovery.replayed + 1 },
        focus: { kind: 'wal', file: event.file, offset: event.offset },
      };
    }
    case 'recovery.torn-tail':
      return {
        ...view,
        wals: updateWal(view.wals, event.file, (wal) => ({ ...wal, size: event.offset, durableSize: event.offset })),
        recovery: view.recovery && {
          ...view.recovery,
          tornTails: [
            ...view.recovery.tornTails,
            { file: event.file, offset: event.offset, droppedBytes: event.droppedBytes },
          ],
        },
      };
    case 'recovery.end': {
      const wals = view.wals.some((w) => w.file === event.wal) ? view.wals : [...view.wals, emptyWal(event.wal)];
      return {
        ...view,
        wals: updateWal(wals, event.wal, (wal) => ({ ...wal, size: event.walSize, durableSize: event.walSize })),
        lastSequence: event.lastSequence,
        recovery: view.recovery && { ...view.recovery, done: true },
        focus: { kind: 'memtable' },
      };
    }
    case 'corruption':
      return { ...view, corruption: { file: event.file, offset: event.offset, detail: event.detail } };
    case 'background.error':
      return { ...view, trouble: { operation: event.operation, message: event.message, readOnly: event.readOnly } };
    case 'crash':
      return {
        ...view,
        memtable: { ...view.memtable, entries: [], total: 0, bytes: 0, flushing: false, sampled: false },
        read: null,
        crashed: { lostEntries: event.memtableEntries, kind: event.kind },
        flushingGeneration: null,
        focus: { kind: 'memtable' },
      };
    case 'crash.point':
      return { ...view, crashPoint: event.point };
    case 'close':
    case 'manifest.roll':
    case 'snapshot.take':
    case 'snapshot.release':
    case 'snapshot.kept':
    case 'workload.begin':
    case 'workload.end':
      return view;
    case 'workload.progress': {
      // Single writes were not traced: take the engine's snapshot of the WAL and the memtable instead.
      const wals = view.wals.some((w) => w.file === event.wal.file)
        ? view.wals
        : [...view.wals, emptyWal(event.wal.file)];
      return {
        ...view,
        wals: updateWal(wals, event.wal.file, (wal) => ({ ...wal, size: event.wal.size, durableSize: event.wal.size })),
        memtable: {
          ...view.memtable,
          entries: event.memtable.sample,
          total: event.memtable.entries,
          bytes: event.memtable.bytes,
          limit: event.memtable.limit,
          sampled: true,
        },
      };
    }
  }
}

/**
 * applyEvent over `events`, from `from`. Runs of SSTable writes and removals (a compaction writes its outputs one
 * event each: thousands once small memtables have filled deep levels) edit one copy of the table list in place
 * instead of copying the list for every event; the result is the same.
 */
export function foldEvents(events: readonly TimelineEvent[], from: ViewModel = initialView): ViewModel {
  let view = from;
  /** Once a table event came: the table list, edited in place (`view.tables` is stale meanwhile, and never seen). */
  let draft: TableView[] | undefined;
  for (const event of events) {
    if (event.type === 'sstable.write') {
      draft ??= view.tables.slice();
      view = written(view, event, draft);
    } else if (event.type === 'sstable.remove') {
      draft ??= view.tables.slice();
      removeFile(draft, event.file);
    } else if (event.type === 'manifest.edit') {
      draft ??= view.tables.slice();
      view = edited(view, event, draft);
    } else if (event.type === 'recovery.begin' || event.type === 'recovery.manifest') {
      // The only other events that touch the tables (they replace them).
      if (draft) view = { ...view, tables: draft };
      draft = undefined;
      view = applyEvent(view, event);
    } else {
      view = applyEvent(view, event);
    }
  }
  return draft ? { ...view, tables: draft } : view;
}

/** A manifest edit: the tables it names are committed or gone (`tables`, edited in place), and the manifest grows. */
function edited(view: ViewModel, event: Extract<TimelineEvent, { type: 'manifest.edit' }>, tables: TableView[]) {
  afterEdit(tables, event.added, event.removed);
  return {
    ...view,
    manifest: {
      file: event.file,
      size: event.offset + event.length,
      records: event.file === view.manifest.file ? view.manifest.records + 1 : 1,
    },
    lastSequence: Math.max(view.lastSequence, event.lastSequence),
    focus: { kind: 'manifest' } as const,
  };
}

/**
 * An SSTable written, not yet in the manifest: put into `tables` (the list being built, edited in place), and the
 * rest of the view that changes. A flush's table morphs out of the memtable it came from; a compaction's appears.
 */
function written(view: ViewModel, event: Extract<TimelineEvent, { type: 'sstable.write' }>, tables: TableView[]) {
  const fromFlush = view.memtable.flushing;
  const table: TableView = {
    ...event.table,
    committed: false,
    generation: fromFlush ? view.memtable.generation : -event.table.number,
  };
  insertForReads(tables, table);
  return {
    ...view,
    flushingGeneration: fromFlush ? view.memtable.generation : view.flushingGeneration,
    focus: { kind: 'sstable', file: table.file } as const,
  };
}

/** The part of the view that must equal the engine's own state, in the engine's terms. */
export function viewToState(view: ViewModel): TreeState {
  const wal = view.wals[view.wals.length - 1];
  return {
    wal: { file: wal?.file ?? '', size: wal?.size ?? 0 },
    manifest: { file: view.manifest.file, size: view.manifest.size },
    memtable: view.memtable.entries.map((e) => ({ key: e.key, value: e.value, seq: e.seq })),
    memtableBytes: view.memtable.bytes,
    tables: view.tables
      .filter((t) => t.committed)
      .map(({ committed: _committed, generation: _generation, ...meta }) => meta),
    lastSequence: view.lastSequence,
  };
}

/** A WAL record as the picture shows it: appended now (not yet durable), or replayed by recovery. */
function recordView(
  event: {
    offset: number;
    length: number;
    op: 'put' | 'delete';
    seq: number;
    key: string;
    value: string | null;
    batch?: number;
  },
  replayed: boolean,
): WalRecordView {
  const { offset, length, op, seq, key, value, batch } = event;
  return { offset, length, op, seq, key, value, durable: replayed, replayed, ...(batch ? { batch } : {}) };
}

function emptyWal(file: string): WalView {
  return { file, size: 0, durableSize: 0, records: [], totalRecords: 0 };
}

function updateWal(wals: WalView[], file: string, change: (wal: WalView) => WalView): WalView[] {
  return wals.map((w) => (w.file === file ? change(w) : w));
}

function appendRecord(wal: WalView, record: WalRecordView): WalView {
  const records = [...wal.records, record];
  return {
    ...wal,
    size: record.offset + record.length,
    records: records.length > MAX_WAL_RECORDS_SHOWN ? records.slice(-MAX_WAL_RECORDS_SHOWN) : records,
    totalRecords: wal.totalRecords + 1,
  };
}

/** Hex strings compare exactly like the bytes they spell (see engine/bytes.ts), so `<` is memcmp here. */
function upsertSorted(entries: MemtableEntryView[], entry: MemtableEntryView): MemtableEntryView[] {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.key < entry.key) low = mid + 1;
    else high = mid;
  }
  const copy = entries.slice();
  if (entries[low]?.key === entry.key) copy[low] = entry;
  else copy.splice(low, 0, entry);
  return copy;
}

/** The engine's read order (engine/manifest/version.ts), so that the picture lists tables as reads try them. */
function sortForReads(tables: TableView[]): TableView[] {
  return orderForReads(tables) as TableView[];
}

/**
 * Puts `table` into `tables` (in read order, edited in place) where sortForReads of [table, ...the others] would,
 * replacing a table of the same file, without sorting them all again: a compaction writes its outputs one event
 * each, and one sort per output made a picture of a compaction with a thousand outputs take seconds.
 */
function insertForReads(tables: TableView[], table: TableView, ties: 'before' | 'after' = 'before'): void {
  removeFile(tables, table.file);
  let low = 0;
  let high = tables.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const goesAfter = ties === 'before' ? readsBefore(tables[mid]!, table) : !readsBefore(table, tables[mid]!);
    if (goesAfter) low = mid + 1;
    else high = mid;
  }
  tables.splice(low, 0, table);
}

/**
 * A manifest edit applied to `tables` (in place): those named added become committed (a flush's or compaction's
 * outputs, already written), those named removed go, and a table the list does not hold (a trivial move names the
 * moved table removed and added again at its new level) is put in its place, after any it ties with: what
 * sortForReads of the kept tables followed by the new ones gives. Small memtables make thousands of edits, most of
 * them naming a table or two: those touch only their tables; a large edit takes one pass.
 */
function afterEdit(tables: TableView[], added: SstableMeta[], removed: string[]): void {
  const fresh: SstableMeta[] = [];
  if (added.length + removed.length <= 8) {
    for (const file of removed) removeFile(tables, file);
    for (const table of added) {
      const at = tables.findIndex((t) => t.file === table.file);
      if (at >= 0) tables[at] = { ...tables[at]!, committed: true };
      else fresh.push(table);
    }
  } else {
    const named = new Set(added.map((t) => t.file));
    const gone = new Set(removed);
    const seen = new Set<string>();
    let kept = 0;
    for (const t of tables) {
      if (gone.has(t.file)) continue;
      if (named.has(t.file)) {
        seen.add(t.file);
        tables[kept++] = { ...t, committed: true };
      } else tables[kept++] = t;
    }
    tables.length = kept;
    for (const table of added) if (!seen.has(table.file)) fresh.push(table);
  }
  for (const table of fresh) insertForReads(tables, { ...table, committed: true, generation: -table.number }, 'after');
}

/** Whether reads try `a` strictly before `b`, by the engine's own order (a stable sort keeps ties in place). */
function readsBefore(a: TableView, b: TableView): boolean {
  return orderForReads([b, a])[0] === a;
}

/** Removes the table of `file` from `tables` (edited in place), if it is there. */
function removeFile(tables: TableView[], file: string): void {
  for (let i = 0; i < tables.length; i++) {
    if (tables[i]!.file === file) {
      tables.splice(i, 1);
      return;
    }
  }
}
