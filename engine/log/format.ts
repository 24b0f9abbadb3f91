// The framed log's record format, shared by the WAL and the manifest (LevelDB's db/log_format.h, simplified:
// no 32 KiB blocks, one record per write). Byte layout in engine/README.md ("Record framing"):
//
//   checksum u32 | length u32 | payload (length bytes)
//
// checksum is CRC32C over the 4 length bytes and the payload, so a damaged length is caught too.
import { crc32c } from '../codec/crc32c';
import { u32 } from '../codec/u32';

/** checksum (4 bytes) + length (4 bytes) */
export const RECORD_HEADER_SIZE = 8;
/** A record longer than this is not a record: the length field is damaged. */
export const MAX_RECORD_PAYLOAD = 16 * 1024 * 1024;

export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(4, payload.length, true);
  out.set(payload, RECORD_HEADER_SIZE);
  view.setUint32(0, crc32c(out.subarray(4)), true);
  return out;
}

/** The checksum a record at `at` should carry, if its header and payload fit in `bytes`. */
export function recordChecksumMatches(bytes: Uint8Array, at: number): { length: number } | undefined {
  if (bytes.length - at < RECORD_HEADER_SIZE) return undefined;
  const length = u32(bytes, at + 4);
  if (length > MAX_RECORD_PAYLOAD || at + RECORD_HEADER_SIZE + length > bytes.length) return undefined;
  return crc32c(bytes.subarray(at + 4, at + RECORD_HEADER_SIZE + length)) === u32(bytes, at) ? { length } : undefined;
}
