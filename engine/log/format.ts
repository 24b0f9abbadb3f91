// The framed log's record format, shared by the WAL and the manifest (LevelDB's db/log_format.h, simplified:
// no 32 KiB blocks, one record per write). Byte layout in engine/README.md ("Record framing"):
//
//   checksum u32 | length u32 | payload (length bytes)
//
// checksum is CRC32C over the 4 length bytes and the payload, so a damaged length is caught too. This is the one
// module that frames a record and seals it with its checksum: the codecs (codec/*) encode payloads only.
import { crc32cOf } from '../codec/crc32c';
import { putU32, u32 } from '../codec/u32';

/** checksum (4 bytes) + length (4 bytes) */
export const RECORD_HEADER_SIZE = 8;
/** A record longer than this is not a record: the length field is damaged. */
export const MAX_RECORD_PAYLOAD = 16 * 1024 * 1024;

/**
 * A record with room for a payload of `payloadLength` bytes, from `alloc` (the write path passes its arena's), its
 * length filled in. The caller encodes the payload into recordPayload(record), then seals it (sealRecord).
 */
export function newRecord(
  payloadLength: number,
  alloc: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Uint8Array {
  const record = alloc(RECORD_HEADER_SIZE + payloadLength);
  putU32(record, 4, payloadLength);
  return record;
}

/** A record's payload: a view into it, for encoding into or decoding from. */
export function recordPayload(record: Uint8Array): Uint8Array {
  return record.subarray(RECORD_HEADER_SIZE);
}

/** Seals a record: its checksum over the length and the payload. The record is then ready to append as it is. */
export function sealRecord(record: Uint8Array): void {
  putU32(record, 0, crc32cOf(record, 4, record.length));
}

/** A sealed record holding a copy of `payload` (the manifest's edits). */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const record = newRecord(payload.length);
  recordPayload(record).set(payload);
  sealRecord(record);
  return record;
}

/**
 * The payload length of the record at `at`, if a whole record starts there (its header and payload fit in
 * `bytes`) and its checksum matches; undefined otherwise. (0 is a valid length: compare with undefined.)
 */
export function checkedPayloadLength(bytes: Uint8Array, at: number): number | undefined {
  if (bytes.length - at < RECORD_HEADER_SIZE) return undefined;
  const length = u32(bytes, at + 4);
  if (length > MAX_RECORD_PAYLOAD || at + RECORD_HEADER_SIZE + length > bytes.length) return undefined;
  return crc32cOf(bytes, at + 4, at + RECORD_HEADER_SIZE + length) === u32(bytes, at) ? length : undefined;
}
