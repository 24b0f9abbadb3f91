// The memtable as the picture shows it: entries kept in key order as they are inserted, then handed to a flush,
// which turns this generation of the memtable into an SSTable and starts the next, empty one.
import type { EventOf, MemtableEntryView, ViewModel } from './view-model';

/** The last read, once another operation has begun: kept for the Reads panel, no longer pointed at. */
export function staleRead(view: ViewModel): ViewModel['read'] {
  return view.read && !view.read.stale ? { ...view.read, stale: true } : view.read;
}

/** The last scan, once another operation has begun: its cursors are no longer drawn. */
export function staleScan(view: ViewModel): ViewModel['scan'] {
  return view.scan && !view.scan.stale ? { ...view.scan, stale: true } : view.scan;
}

export function applyMemtableEvent(
  view: ViewModel,
  event: EventOf<'memtable.insert' | 'flush.begin' | 'flush.end'>,
): ViewModel {
  switch (event.type) {
    case 'memtable.insert': {
      const entry: MemtableEntryView = {
        key: event.key,
        value: event.value,
        seq: event.seq,
        ...(event.height ? { height: event.height } : {}),
        ...(event.older ? { older: event.older } : {}),
      };
      return {
        ...view,
        memtable: {
          ...view.memtable,
          entries: upsertSorted(view.memtable.entries, entry),
          total: event.entries,
          bytes: event.bytes,
          limit: event.limit,
          search: event.path ? { key: event.key, path: event.path, kind: 'insert' } : null,
        },
        lastSequence: Math.max(view.lastSequence, event.seq),
        read: staleRead(view),
        scan: staleScan(view),
        crashed: null,
        focus: { kind: 'memtable', key: event.key },
      };
    }
    case 'flush.begin':
      return {
        ...view,
        memtable: { ...view.memtable, flushing: true, search: null },
        read: staleRead(view),
        scan: staleScan(view),
        focus: { kind: 'memtable' },
      };
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
          search: null,
        },
        flushingGeneration: null,
        focus: { kind: 'sstable', file: event.table },
      };
  }
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
