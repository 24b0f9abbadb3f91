// Crashes and what follows: the worker killed (the memtable lost), recovery reading the manifest and replaying the
// WAL, a torn tail cut off, corruption found, a background job failing. Opening forgets everything in memory.
import { MANIFEST_RECORDS_DRAWN, sortForReads } from './tables';
import { type EventOf, initialView, type MemtableEntryView, type ViewModel, type WalView } from './view-model';
import { emptyWal, readBack, recordView, updateWal } from './wal';

export function applyRecoveryEvent(
  view: ViewModel,
  event: EventOf<
    | 'recovery.begin'
    | 'recovery.edit'
    | 'recovery.manifest'
    | 'recovery.delete'
    | 'recovery.replay'
    | 'recovery.torn-tail'
    | 'recovery.end'
    | 'corruption'
    | 'background.error'
    | 'crash'
    | 'crash.point'
  >,
): ViewModel {
  switch (event.type) {
    case 'recovery.begin': {
      // Opening. Memory is gone (the memtable was lost with the crash, or the page is new), but the disk survives:
      // every file found stays drawn where it was, and recovery then says what each one means. WALs not drawn
      // yet (after a reload) appear with their size; their records appear as recovery reads them.
      const onDisk = new Map(event.files.map((f) => [f.file, f.size]));
      const kept = view.wals
        .filter((wal) => onDisk.has(wal.file))
        .map((wal) => {
          const size = onDisk.get(wal.file)!;
          // What survives is what reached the file; recovery reads it back record by record.
          const records = wal.records
            .filter((r) => r.offset + r.length <= size)
            .map((r) => ({ ...r, durable: true, replayed: false }));
          return { ...wal, size, durableSize: size, records, totalRecords: records.length };
        });
      const found = event.files
        .filter((f) => f.file.endsWith('.log') && !kept.some((wal) => wal.file === f.file))
        .map((f) => ({ ...emptyWal(f.file), size: f.size, durableSize: f.size }));
      const manifest = event.files.find((f) => f.file.startsWith('MANIFEST'));
      return {
        ...initialView,
        wals: [...kept, ...found].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
        tables: view.tables.filter((t) => onDisk.has(t.file)),
        // The manifest's records drawn stay, faint until recovery reads each back.
        manifest:
          manifest && view.manifest.file === manifest.file
            ? {
                ...view.manifest,
                size: manifest.size,
                log: view.manifest.log
                  .filter((r) => r.offset + r.length <= manifest.size)
                  .map((r) => ({ ...r, read: false })),
              }
            : { file: manifest?.file ?? '', size: manifest?.size ?? 0, records: 0, log: [] },
        crashed: view.crashed,
        crashPoint: view.crashPoint,
        tornFile:
          view.tornFile && onDisk.has(view.tornFile.file)
            ? { ...view.tornFile, size: onDisk.get(view.tornFile.file)! }
            : null,
        recovery: { replayed: 0, tornTails: [], deleted: [], read: [], cursor: null, done: false },
        memtable: { ...initialView.memtable, limit: view.memtable.limit, generation: view.memtable.generation + 1 },
      };
    }
    case 'recovery.edit': {
      // One manifest record read back: marked in the manifest's box (appended when it was not drawn).
      const record = {
        offset: event.offset,
        length: event.length,
        added: event.added,
        removed: event.removed,
        read: true,
      };
      const log = view.manifest.file === event.file ? view.manifest.log : [];
      const drawn = log.some((r) => r.offset === event.offset);
      return {
        ...view,
        manifest: {
          ...view.manifest,
          file: event.file,
          log: drawn
            ? log.map((r) => (r.offset === event.offset ? record : r))
            : [...log, record].slice(-MANIFEST_RECORDS_DRAWN),
        },
        focus: { kind: 'manifest' },
      };
    }
    case 'recovery.manifest':
      return {
        ...view,
        tables: sortForReads(event.tables.map((t) => ({ ...t, committed: true, generation: -t.number }))),
        manifest: {
          file: event.file,
          size: event.size,
          records: event.records,
          log: view.manifest.file === event.file ? view.manifest.log.filter((r) => r.read) : [],
        },
        lastSequence: event.lastSequence,
        focus: { kind: 'manifest' },
      };
    case 'recovery.delete':
      // A file no committed state needs (an uncommitted SSTable, an obsolete WAL or manifest) leaves the disk.
      return {
        ...view,
        wals: view.wals.filter((wal) => wal.file !== event.file),
        tables: view.tables.filter((t) => t.file !== event.file),
        tornFile: view.tornFile?.file === event.file ? null : view.tornFile,
        recovery: view.recovery && {
          ...view.recovery,
          deleted: [...view.recovery.deleted, { file: event.file, reason: event.reason }],
        },
      };
    case 'recovery.replay': {
      // The read cursor reaches one record: read back from storage, so durable by definition. A record already
      // drawn is marked as read; one not drawn (after a reload, or beyond the newest records kept) takes its place.
      const record = recordView(event, true);
      const wals = view.wals.some((w) => w.file === event.file) ? view.wals : [...view.wals, emptyWal(event.file)];
      const recovery = view.recovery;
      return {
        ...view,
        wals: updateWal(wals, event.file, (wal) => readBack(wal, record)),
        recovery: recovery && {
          ...recovery,
          replayed: recovery.replayed + 1,
          read: recovery.read.includes(event.file) ? recovery.read : [...recovery.read, event.file],
          cursor: { file: event.file, offset: event.offset },
        },
        focus: { kind: 'wal', file: event.file, offset: event.offset },
      };
    }
    case 'recovery.torn-tail':
      return {
        ...view,
        wals: updateWal(view.wals, event.file, (wal) => {
          const records = wal.records.filter((r) => r.offset < event.offset);
          return {
            ...wal,
            records,
            totalRecords: wal.totalRecords - (wal.records.length - records.length),
            size: event.offset,
            durableSize: event.offset,
          };
        }),
        recovery: view.recovery && {
          ...view.recovery,
          tornTails: [
            ...view.recovery.tornTails,
            { file: event.file, offset: event.offset, droppedBytes: event.droppedBytes },
          ],
        },
      };
    case 'recovery.end': {
      // What recovery kept: the WALs it read (each holding exactly the records it replayed) and the one writing goes
      // on in, last.
      const read = view.recovery?.read ?? [];
      const wals = view.wals
        .filter((wal) => wal.file !== event.wal && read.includes(wal.file))
        .map((wal) => onlyReplayed(wal));
      const current = view.wals.find((wal) => wal.file === event.wal);
      const last = current ? (read.includes(current.file) ? onlyReplayed(current) : current) : emptyWal(event.wal);
      return {
        ...view,
        wals: [...wals, { ...last, size: event.walSize, durableSize: event.walSize }],
        lastSequence: event.lastSequence,
        memtable: {
          ...view.memtable,
          limit: event.memtableLimit,
          entries: withHeights(view.memtable.entries, event.heights),
        },
        recovery: view.recovery && { ...view.recovery, cursor: null, done: true },
        // The crash is over once recovery is: the memtable holds what the WAL gave back (perhaps nothing at all).
        // A replayed insert cleared it already when there were records; with none, only this does.
        crashed: null,
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
        // Snapshots live in the engine's memory: none outlives its crash.
        snapshots: [],
        // Nor do open transactions: their workspaces were never written anywhere.
        txns: [],
        scanSnapshot: null,
        crashed: { lostEntries: event.memtableEntries, kind: event.kind },
        flushingGeneration: null,
        focus: { kind: 'memtable' },
      };
    case 'crash.point':
      return { ...view, crashPoint: event.point, tornFile: event.torn ?? null };
  }
}

/** The towers of the skip list recovery loaded (its replayed inserts came before the list was built). */
function withHeights(
  entries: MemtableEntryView[],
  heights: Array<{ key: string; height: number }> | undefined,
): MemtableEntryView[] {
  if (!heights) return entries;
  const of = new Map(heights.map((h) => [h.key, h.height]));
  return entries.map((e) => (of.has(e.key) ? { ...e, height: of.get(e.key)! } : e));
}

/** A WAL recovery has read: only the records it replayed (a record drawn but never read back was not on disk). */
function onlyReplayed(wal: WalView): WalView {
  const records = wal.records.filter((r) => r.replayed);
  return { ...wal, records, totalRecords: wal.totalRecords - (wal.records.length - records.length) };
}
