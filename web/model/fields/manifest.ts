// A manifest record's payload: one version edit (engine/manifest/edit.ts). Replayed in order at open, the edits
// give the live tables, as the engine's Version.apply does.
import { sstableName } from '@lsm-lab/engine/inspect';
import { describeKey } from './entry';
import type { Walker } from './walker';
import { plural } from './words';

/** The tag of a version edit's optional write-times section (engine/manifest/edit.ts). */
const WRITE_TIMES_TAG = 1;

/** A version edit (manifest/edit.ts): counters, the tables added, the tables removed, the write times. */
export function describeEditPayload(w: Walker, record: number): void {
  w.u32('file-number', (n) => `log number: ${n} (WALs numbered below it are in SSTables already)`);
  w.u32('file-number', (n) => `next file number: ${n}`);
  w.u64('sequence', (n) => `last sequence number: ${n}`);
  const added = w.u32('entry-count', (n) => `SSTables added by record ${record}: ${n}`);
  for (let i = 0; added !== undefined && i < added && !w.stopped; i++) {
    const where = `added table ${i}`;
    w.u8('level', (n) => `level of ${where}: L${n}`);
    w.u32('file-number', (n) => `file number of ${where}: ${n} (${sstableName(n)})`);
    w.u32('byte-size', (n) => `file size of ${where}: ${plural(n, 'byte')}`);
    w.u32('entry-count', (n) => `entries in ${where}: ${n}`);
    w.u32('entry-count', (n) => `data blocks in ${where}: ${n}`);
    w.u32('byte-size', (n) => `data bytes of ${where} (before compression): ${n}`);
    w.u64('sequence', (n) => `smallest sequence number in ${where}: ${n}`);
    w.u64('sequence', (n) => `largest sequence number in ${where}: ${n}`);
    describeKey(w, `smallest key of ${where}`, 'key');
    describeKey(w, `largest key of ${where}`, 'key');
  }
  const removed = w.u32('entry-count', (n) => `SSTables removed by record ${record}: ${n}`);
  for (let i = 0; removed !== undefined && i < removed && !w.stopped; i++) {
    w.u32('file-number', (n) => `removed table ${i}: file number ${n} (${sstableName(n)})`);
  }
  // The write times of the writes the record made durable (engine/write-times.ts), written while a TTL filter is set.
  if (w.peek() === WRITE_TIMES_TAG) {
    w.u8('block-type', () => 'section tag 1: write times, for the TTL filter');
    w.u64('sequence', (n) => `the write-time map starts at sequence number ${n}`);
    const pairs = w.u32('entry-count', (n) => `write-time pairs in record ${record}: ${n}`);
    for (let i = 0; pairs !== undefined && i < pairs && !w.stopped; i++) {
      w.u64('sequence', (n) => `pair ${i}: the writes up to sequence number ${n}…`);
      w.u64('write-time', (ms) => `…were made at or before ${new Date(Number(ms)).toISOString()} (${ms} ms)`);
    }
  }
  if (w.left > 0) w.stop(`${plural(w.left, 'byte')} after the end of record ${record}'s version edit`);
}
