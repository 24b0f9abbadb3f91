// Framed logs, the WAL and the manifest (engine/log/format.ts): checksum u32 | length u32 | payload, record after
// record. The framing is read here; what a payload means is the caller's (wal.ts, manifest.ts).
import '../../i18n/fields';
import {
  checkedPayloadLength,
  findValidRecordAfter,
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_SIZE,
} from '@lsm-lab/engine/inspect';
import { t } from '../../i18n';
import type { FieldList } from './field-list';
import { Walker } from './walker';
import { bytes, hex32, recordName } from './words';

/** What one record's payload holds, told record by record. */
export type PayloadParser = (w: Walker, record: number) => void;

/** Whether a whole record with a matching checksum starts at `at` (the engine's own test, log/format.ts). */
function recordAt(list: FieldList, at: number): boolean {
  return checkedPayloadLength(list.bytes, at) !== undefined;
}

/** The next offset after `from` where a valid record starts: the engine's log reader's own search. */
function nextRecordAfter(list: FieldList, from: number): number | undefined {
  return findValidRecordAfter(list.bytes, from);
}

/**
 * Record after record, as log/reader.ts reads them: a record cut off by the end of the file, or a damaged one
 * with nothing valid after it, is the torn tail recovery cuts off; damaged bytes with a valid record after them
 * are corruption.
 */
export function describeLog(list: FieldList, payload: PayloadParser): void {
  const size = list.bytes.length;
  let at = 0;
  for (let record = 0; at < size; record++) {
    const group = recordName(record);
    if (size - at < RECORD_HEADER_SIZE) {
      const label = t('fields:log.tornHeader', { at, bytes: bytes(size - at), record });
      list.add(at, size, 'torn', label, group);
      return;
    }
    const length = list.u32(at + 4);
    const end = at + RECORD_HEADER_SIZE + length;
    const fits = length <= MAX_RECORD_PAYLOAD && end <= size;
    const valid = fits && recordAt(list, at);
    const next = valid ? undefined : nextRecordAfter(list, at + 1);
    if (!valid && (!fits || (next !== undefined && next !== end))) {
      if (next === undefined) {
        const present = bytes(size - at - RECORD_HEADER_SIZE);
        const label =
          length <= MAX_RECORD_PAYLOAD
            ? t('fields:log.tornPromised', { at, record, count: length, present })
            : t('fields:log.torn', { at, record, present });
        list.add(at, size, 'torn', label, group);
        return;
      }
      const label = t('fields:log.damaged', { at, last: next - 1, next });
      list.add(at, next, 'unparsed', label, group);
      at = next;
      continue;
    }
    if (valid && list.skippable(at, end)) {
      list.cover(at, end);
      at = end;
      continue;
    }
    const stored = list.u32(at);
    const problem = valid
      ? undefined
      : next === undefined
        ? t('fields:log.mismatchTail')
        : t('fields:log.mismatchCorrupt');
    const checksum = () =>
      valid
        ? t('fields:log.checksumMatches', { record, value: hex32(stored) })
        : t('fields:log.checksum', { record, value: hex32(stored) });
    list.add(at, at + 4, 'checksum', checksum, group, { problem });
    list.add(at + 4, at + 8, 'length', () => t('fields:log.length', { record, bytes: bytes(length) }), group);
    payload(new Walker(list, at + RECORD_HEADER_SIZE, end, group), record);
    at = end;
  }
}
