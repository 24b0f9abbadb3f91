// A WAL record's payload (engine/codec/entry.ts, engine/codec/batch.ts): one entry, or a write batch applied all or none.
import { OP_BATCH } from '@lsm-lab/engine/inspect';
import { describeEntry, describeKeyValue, describeOp } from './entry';
import type { Walker } from './walker';
import { plural } from './words';

export function describeWalPayload(w: Walker, record: number): void {
  if (w.peek() === OP_BATCH) describeBatch(w, record);
  else describeEntry(w, `record ${record}`);
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the entry in record ${record}'s payload`);
}

/** A write batch (codec/batch.ts): op 3, first sequence, count, then per write op, key and value, no sequence. */
function describeBatch(w: Walker, record: number): void {
  w.u8('op', () => `op of record ${record}: a batch of writes, applied all or none (${OP_BATCH})`);
  w.u64('sequence', (seq) => `sequence number of the batch's first write: ${seq} (the next ones count up)`);
  const count = w.u32('entry-count', (n) => `writes in the batch: ${n}`);
  for (let i = 0; count !== undefined && i < count && !w.stopped; i++) {
    const where = `write ${i + 1} of record ${record}`;
    describeOp(w, where);
    describeKeyValue(w, where);
  }
}
