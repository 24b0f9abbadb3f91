// A workload's progress: its single writes are not traced (thousands a second), so the engine sends a snapshot of
// the WAL's size and the memtable's first entries several times a second, and the picture shows that instead.
import type { EventOf, ViewModel } from './view-model';
import { emptyWal, updateWal } from './wal';

export function applyWorkloadProgress(view: ViewModel, event: EventOf<'workload.progress'>): ViewModel {
  const wals = view.wals.some((w) => w.file === event.wal.file) ? view.wals : [...view.wals, emptyWal(event.wal.file)];
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
