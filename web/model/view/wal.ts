// The write-ahead logs as the picture shows them: records appended (not yet durable), made durable by a flush of
// the file, and the files created and removed as memtables are switched and flushed.
import type { EventOf, ViewModel, WalRecordView, WalView } from './view-model';

/** A WAL may hold many thousands of records; the picture keeps the newest. */
const MAX_WAL_RECORDS_SHOWN = 200;

export function applyWalEvent(
  view: ViewModel,
  event: EventOf<'wal.append' | 'wal.batch' | 'wal.flush' | 'wal.create' | 'wal.remove'>,
): ViewModel {
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
  }
}

/** A WAL record as the picture shows it: appended now (not yet durable), or replayed by recovery. */
export function recordView(
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

export function emptyWal(file: string): WalView {
  return { file, size: 0, durableSize: 0, records: [], totalRecords: 0 };
}

export function updateWal(wals: WalView[], file: string, change: (wal: WalView) => WalView): WalView[] {
  return wals.map((w) => (w.file === file ? change(w) : w));
}

export function appendRecord(wal: WalView, record: WalRecordView): WalView {
  const records = [...wal.records, record];
  return {
    ...wal,
    size: record.offset + record.length,
    records: records.length > MAX_WAL_RECORDS_SHOWN ? records.slice(-MAX_WAL_RECORDS_SHOWN) : records,
    totalRecords: wal.totalRecords + 1,
  };
}

/**
 * Recovery read `record` back: the record drawn at its offset is replaced by it (now marked as replayed), or it is
 * put in its place by offset when it was not drawn. The file is at least as long as what was read.
 */
export function readBack(wal: WalView, record: WalRecordView): WalView {
  const end = record.offset + record.length;
  const size = Math.max(wal.size, end);
  const durableSize = Math.max(wal.durableSize, end);
  const at = wal.records.findIndex((r) => r.offset >= record.offset);
  if (at >= 0 && wal.records[at]!.offset === record.offset) {
    const records = [...wal.records];
    records[at] = record;
    return { ...wal, size, durableSize, records };
  }
  const records = at < 0 ? [...wal.records, record] : [...wal.records.slice(0, at), record, ...wal.records.slice(at)];
  return {
    ...wal,
    size,
    durableSize,
    records: records.length > MAX_WAL_RECORDS_SHOWN ? records.slice(-MAX_WAL_RECORDS_SHOWN) : records,
    totalRecords: wal.totalRecords + 1,
  };
}
