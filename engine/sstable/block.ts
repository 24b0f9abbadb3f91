// Block framing, shared by data, index and filter blocks (engine/README.md, "Blocks"):
//
//   stored body | type u8 | checksum u32
//
// type 0: the body is stored as is; type 1: the body is deflate-compressed (fflate). The checksum is CRC32C
// of the stored body and the type byte: it is checked before a byte is decompressed or parsed.
import { deflateSync, inflateSync } from 'fflate';
import { crc32c } from '../codec/crc32c';
import { corruption } from '../errors';

export const BLOCK_RAW = 0;
export const BLOCK_DEFLATE = 1;
/** type u8 + checksum u32 */
export const BLOCK_FRAME_SIZE = 5;

export type Compression = 'none' | 'deflate';

/** Compresses when asked and when it saves at least 1/8 (LevelDB's rule): else the raw body is cheaper to read. */
export function frameBlock(body: Uint8Array, compression: Compression): Uint8Array {
  let stored = body;
  let type = BLOCK_RAW;
  if (compression === 'deflate') {
    const packed = deflateSync(body, { level: 6 });
    if (packed.length < body.length - body.length / 8) {
      stored = packed;
      type = BLOCK_DEFLATE;
    }
  }
  const out = new Uint8Array(stored.length + BLOCK_FRAME_SIZE);
  out.set(stored);
  out[stored.length] = type;
  new DataView(out.buffer).setUint32(stored.length + 1, crc32c(out.subarray(0, stored.length + 1)), true);
  return out;
}

/**
 * frameBlock for a body that lies in `buffer` at `at` with room for the frame after it: frames it where it lies
 * (a compressed body replaces it, when compression saves enough) and returns the framed length. Same bytes.
 */
export function frameBlockInPlace(buffer: Uint8Array, at: number, length: number, compression: Compression): number {
  let stored = length;
  let type = BLOCK_RAW;
  if (compression === 'deflate') {
    const packed = deflateSync(buffer.subarray(at, at + length), { level: 6 });
    if (packed.length < length - length / 8) {
      buffer.set(packed, at);
      stored = packed.length;
      type = BLOCK_DEFLATE;
    }
  }
  buffer[at + stored] = type;
  const crc = crc32c(buffer.subarray(at, at + stored + 1));
  buffer[at + stored + 1] = crc;
  buffer[at + stored + 2] = crc >>> 8;
  buffer[at + stored + 3] = crc >>> 16;
  buffer[at + stored + 4] = crc >>> 24;
  return stored + BLOCK_FRAME_SIZE;
}

/** Verifies and unpacks a framed block read from `file` at `at`. */
export function unframeBlock(framed: Uint8Array, file: string, at: number, what: string): Uint8Array {
  if (framed.length < BLOCK_FRAME_SIZE) throw corruption(file, at, `${what} is too short`);
  const typeAt = framed.length - BLOCK_FRAME_SIZE;
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  if (crc32c(framed.subarray(0, typeAt + 1)) !== view.getUint32(typeAt + 1, true)) {
    // Say which bytes the checksum covers: the damage is somewhere in them, not necessarily at the block's start.
    throw corruption(file, at, `${what} checksum mismatch in bytes ${at}–${at + framed.length - 1}`);
  }
  const type = framed[typeAt];
  const stored = framed.subarray(0, typeAt);
  if (type === BLOCK_RAW) return stored;
  if (type === BLOCK_DEFLATE) {
    try {
      return inflateSync(stored);
    } catch {
      throw corruption(file, at, `${what} does not decompress`);
    }
  }
  throw corruption(file, at + typeAt, `${what} has unknown type ${type}`);
}
