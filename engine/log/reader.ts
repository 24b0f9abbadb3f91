// Reads a framed log (WAL or manifest) from the start, record by record, and decides how it ends:
//  - clean:      the last record ends exactly at the end of the file;
//  - torn tail:  the file ends inside a record, or in a record whose checksum fails with nothing valid
//                after it: the write the crash interrupted. Everything before it is good; recovery cuts it off;
//  - corruption: a record fails its checksum and a valid record follows it. A crash cannot do that
//                (writes are appended in order), so the bytes were damaged: stop and report file + offset.
import { checkedPayloadLength, RECORD_HEADER_SIZE } from './format';

export interface LogRecord {
  offset: number;
  /** Header + payload. */
  length: number;
  payload: Uint8Array;
}

export type LogEnding =
  | { kind: 'clean' }
  | { kind: 'torn'; offset: number; droppedBytes: number }
  | { kind: 'corrupt'; offset: number; detail: string };

export function readLog(bytes: Uint8Array): { records: LogRecord[]; ending: LogEnding } {
  const records: LogRecord[] = [];
  const ending = scanLog(bytes, (offset, length) => {
    records.push({ offset, length, payload: bytes.subarray(offset + RECORD_HEADER_SIZE, offset + length) });
  });
  return { records, ending };
}

/**
 * readLog without the array: calls `onRecord` with each checked record's offset and length (header + payload),
 * in order, and returns how the log ends. A WAL replay decodes the payloads where they lie, with no object
 * per record.
 */
export function scanLog(bytes: Uint8Array, onRecord: (offset: number, length: number) => void): LogEnding {
  let at = 0;
  while (at < bytes.length) {
    const payloadLength = checkedPayloadLength(bytes, at);
    if (payloadLength !== undefined) {
      const length = RECORD_HEADER_SIZE + payloadLength;
      onRecord(at, length);
      at += length;
      continue;
    }
    const validAfter = findValidRecordAfter(bytes, at + 1);
    if (validAfter === undefined) return { kind: 'torn', offset: at, droppedBytes: bytes.length - at };
    return {
      kind: 'corrupt',
      offset: at,
      detail: `record checksum mismatch; a valid record follows at byte ${validAfter}`,
    };
  }
  return { kind: 'clean' };
}

/**
 * Looks for any checksum-valid record starting at or after `from`. Zeroed bytes (a file extended but never
 * written) never pass for a record: eight zero bytes would be an empty payload with checksum 0, but that
 * checksum is CRC32C of the four zero length bytes, which is not 0. So scanning through zeros finds nothing.
 */
export function findValidRecordAfter(bytes: Uint8Array, from: number): number | undefined {
  for (let at = from; at + RECORD_HEADER_SIZE <= bytes.length; at++) {
    if (checkedPayloadLength(bytes, at) !== undefined) return at;
  }
  return undefined;
}
