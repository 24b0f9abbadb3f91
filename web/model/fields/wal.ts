// A WAL record's payload (engine/codec/entry.ts, engine/codec/batch.ts): one entry, or a write batch applied all or none.
import '../../i18n/fields';
import { OP_BATCH } from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import { describeEntry, describeKeyValue, describeOp } from './entry';
import type { Walker } from './walker';
import { bytes, recordName } from './words';

export function describeWalPayload(w: Walker, record: number): void {
  if (w.peek() === OP_BATCH) describeBatch(w, record);
  else describeEntry(w, recordName(record));
  if (w.left > 0) w.stop(t('fields:wal.trailing', { bytes: bytes(w.left), record }));
}

/** A write batch (codec/batch.ts): op 3, first sequence, count, then per write op, key and value, no sequence. */
function describeBatch(w: Walker, record: number): void {
  w.u8('op', () => t('fields:wal.batchOp', { record, op: OP_BATCH }));
  w.u64('sequence', (seq) => t('fields:wal.batchSequence', { seq: String(seq) }));
  const count = w.u32('entry-count', (n) => t('fields:wal.batchCount', { n }));
  for (let i = 0; count !== undefined && i < count && !w.stopped; i++) {
    const where = t('fields:wal.write', { n: i + 1, record });
    describeOp(w, where);
    describeKeyValue(w, where);
  }
}
