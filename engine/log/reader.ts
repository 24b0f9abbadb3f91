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
 * in order, and returns how the log ends.
 */
export function scanLog(bytes: Uint8Array, onRecord: (offset: number, length: number) => void): LogEnding {
  let at = 0;
  for (let length = recordLength(bytes, at); length > 0; length = recordLength(bytes, at)) {
    onRecord(at, length);
    at += length;
  }
  return endingAt(bytes, at);
}

/**
 * The length (header + payload) of the checked record at `at`, or 0 when none starts there (the log ends, or is
 * torn or damaged there: endingAt tells which). With endingAt, a walk over a log's records with no callback: a WAL
 * replay loops over its records itself, so that the optimizing compiler sees one caller per loop (a callback
 * shared with the manifest's reads made its call site polymorphic, and the replay's loop was thrown out of
 * optimized code between two replays).
 */
export function recordLength(bytes: Uint8Array, at: number): number {
  if (at >= bytes.length) return 0;
  const payloadLength = checkedPayloadLength(bytes, at);
  return payloadLength === undefined ? 0 : RECORD_HEADER_SIZE + payloadLength;
}

/** How a log ends at `at`, where recordLength found no record: clean at its end, else torn or corrupt. */
export function endingAt(bytes: Uint8Array, at: number): LogEnding {
  if (at >= bytes.length) return { kind: 'clean' };
  const validAfter = findValidRecordAfter(bytes, at + 1);
  if (validAfter === undefined) return { kind: 'torn', offset: at, droppedBytes: bytes.length - at };
  return {
    kind: 'corrupt',
    offset: at,
    detail: `record checksum mismatch; a valid record follows at byte ${validAfter}`,
  };
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
