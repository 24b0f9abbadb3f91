// A workload's progress: its single writes are not traced (thousands a second), so the engine sends a snapshot of
// the WAL's size and the memtable's first entries several times a second, and the picture shows that instead.
import type { EventOf, ViewModel } from './view-model';
import { emptyWal, updateWal } from './wal';

export function applyWorkloadEvent(
  view: ViewModel,
  event: EventOf<'workload.begin' | 'workload.progress' | 'workload.end'>,
): ViewModel {
  switch (event.type) {
    case 'workload.begin':
      return { ...view, workload: { done: 0, total: event.spec.operations, ended: null } };
    case 'workload.end':
      return {
        ...view,
        workload: {
          done: event.done,
          total: view.workload?.total ?? event.done,
          ended: event.cancelled ? 'cancelled' : 'finished',
        },
      };
    case 'workload.progress':
      return applyWorkloadProgress(view, event);
  }
}

/** A crash ends a running workload where it was. */
export function crashWorkload(view: ViewModel): ViewModel {
  return view.workload && view.workload.ended === null
    ? { ...view, workload: { ...view.workload, ended: 'crashed' } }
    : view;
}

function applyWorkloadProgress(view: ViewModel, event: EventOf<'workload.progress'>): ViewModel {
  const wals = view.wals.some((w) => w.file === event.wal.file) ? view.wals : [...view.wals, emptyWal(event.wal.file)];
  return {
    ...view,
    workload: { done: event.done, total: event.total, ended: null },
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
