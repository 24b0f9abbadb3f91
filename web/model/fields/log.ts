// Framed logs, the WAL and the manifest (engine/log/format.ts): checksum u32 | length u32 | payload, record after
// record. The framing is read here; what a payload means is the caller's (wal.ts, manifest.ts).
import {
  checkedPayloadLength,
  findValidRecordAfter,
  MAX_RECORD_PAYLOAD,
  RECORD_HEADER_SIZE,
} from '@lsm-lab/engine/inspect';
import type { FieldList } from './field-list';
import { Walker } from './walker';
import { hex32, plural } from './words';

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
    const group = `record ${record}`;
    if (size - at < RECORD_HEADER_SIZE) {
      const header = plural(size - at, 'byte');
      const label = `torn tail at byte ${at}: only ${header} of record ${record}'s 8-byte header; recovery cuts the log here`;
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
        const promised = length <= MAX_RECORD_PAYLOAD ? `its header promises ${plural(length, 'payload byte')}, ` : '';
        const present = plural(size - at - RECORD_HEADER_SIZE, 'byte');
        const label = `torn tail at byte ${at}: record ${record} is incomplete (${promised}${present} follow the header); recovery cuts the log here`;
        list.add(at, size, 'torn', label, group);
        return;
      }
      const label = `damaged bytes ${at}–${next - 1}: no valid record starts here, yet one follows at byte ${next} (corruption: recovery stops with an error)`;
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
        ? 'does not match: recovery treats this last record as a torn tail and cuts it off'
        : 'does not match: the record is corrupt';
    const checksum = () => `checksum (CRC32C) of record ${record}: ${hex32(stored)}${valid ? ', matches' : ''}`;
    list.add(at, at + 4, 'checksum', checksum, group, { problem });
    list.add(at + 4, at + 8, 'length', () => `payload length of record ${record}: ${plural(length, 'byte')}`, group);
    payload(new Walker(list, at + RECORD_HEADER_SIZE, end, group), record);
    at = end;
  }
}
