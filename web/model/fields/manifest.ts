// A manifest record's payload: one version edit (engine/manifest/edit.ts). Replayed in order at open, the edits
// give the live tables, as the engine's Version.apply does.
import '../../i18n/fields';
import { sstableName } from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import { describeKey } from './entry';
import type { Walker } from './walker';
import { bytes } from './words';

/** The tag of a version edit's optional write-times section (engine/manifest/edit.ts). */
const WRITE_TIMES_TAG = 1;

/** A version edit (manifest/edit.ts): counters, the tables added, the tables removed, the write times. */
export function describeEditPayload(w: Walker, record: number): void {
  w.u32('file-number', (n) => t('fields:manifest.logNumber', { n }));
  w.u32('file-number', (n) => t('fields:manifest.nextFile', { n }));
  w.u64('sequence', (n) => t('fields:manifest.lastSequence', { n: String(n) }));
  const added = w.u32('entry-count', (n) => t('fields:manifest.added', { record, n }));
  for (let i = 0; added !== undefined && i < added && !w.stopped; i++) {
    const where = t('fields:manifest.addedTable', { i });
    w.u8('level', (n) => t('fields:manifest.level', { where, n }));
    w.u32('file-number', (n) => t('fields:manifest.fileNumber', { where, n, name: sstableName(n) }));
    w.u32('byte-size', (n) => t('fields:manifest.fileSize', { where, bytes: bytes(n) }));
    w.u32('entry-count', (n) => t('fields:manifest.entries', { where, n }));
    w.u32('entry-count', (n) => t('fields:manifest.blocks', { where, n }));
    w.u32('byte-size', (n) => t('fields:manifest.dataBytes', { where, n }));
    w.u64('sequence', (n) => t('fields:manifest.smallestSequence', { where, n: String(n) }));
    w.u64('sequence', (n) => t('fields:manifest.largestSequence', { where, n: String(n) }));
    describeKey(w, t('fields:manifest.smallestKey', { where }), 'key');
    describeKey(w, t('fields:manifest.largestKey', { where }), 'key');
  }
  const removed = w.u32('entry-count', (n) => t('fields:manifest.removed', { record, n }));
  for (let i = 0; removed !== undefined && i < removed && !w.stopped; i++) {
    w.u32('file-number', (n) => t('fields:manifest.removedTable', { i, n, name: sstableName(n) }));
  }
  // The write times of the writes the record made durable (engine/write-times.ts), written while a TTL filter is set.
  if (w.peek() === WRITE_TIMES_TAG) {
    w.u8('block-type', () => t('fields:manifest.sectionTag'));
    w.u64('sequence', (n) => t('fields:manifest.writeTimesStart', { n: String(n) }));
    const pairs = w.u32('entry-count', (n) => t('fields:manifest.pairs', { record, n }));
    for (let i = 0; pairs !== undefined && i < pairs && !w.stopped; i++) {
      w.u64('sequence', (n) => t('fields:manifest.pairSequence', { i, n: String(n) }));
      w.u64('write-time', (ms) =>
        t('fields:manifest.pairTime', { time: new Date(Number(ms)).toISOString(), ms: String(ms) }),
      );
    }
  }
  if (w.left > 0) w.stop(t('fields:manifest.trailing', { bytes: bytes(w.left), record }));
}
