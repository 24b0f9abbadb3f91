// Crashes and what follows: the worker killed (the memtable lost), recovery reading the manifest and replaying the
// WAL, a torn tail cut off, corruption found, a background job failing. Opening forgets everything in memory.
import { sortForReads } from './tables';
import { type EventOf, initialView, type ViewModel } from './view-model';
import { appendRecord, emptyWal, recordView, updateWal } from './wal';

export function applyRecoveryEvent(
  view: ViewModel,
  event: EventOf<
    | 'recovery.begin'
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
  }
}
