// Varint32: LevelDB's variable-length integers (util/coding.cc), used by prefix-compressed data blocks for their
// three lengths. Seven bits a byte, least significant group first; a set high bit means "another byte follows".
// A length below 128 takes one byte instead of a u32's four: most keys' shared and unshared lengths do.

/** At most 5 bytes: 5 × 7 bits hold 32. */
export const MAX_VARINT32_BYTES = 5;

/** How many bytes `value` takes as a varint32. */
export function varint32Size(value: number): number {
  let size = 1;
  for (let v = value >>> 7; v !== 0; v >>>= 7) size++;
  return size;
}

/** Writes `value` (0 ≤ value < 2^32) at `at`; returns the offset just past it. */
export function putVarint32(out: Uint8Array, at: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

/**
 * Reads a varint32 at `at`, not past `end`. Returns value × 8 + its size in bytes (one number, no object per read:
 * this runs three times per entry of every block parsed; both parts fit a double exactly), or -1 when the bytes
 * end first or the varint is longer than 5 bytes or above 2^32 - 1.
 */
export function readVarint32(bytes: Uint8Array, at: number, end: number): number {
  // Most lengths in a block are below 128: one byte, read without the loop.
  if (at < end && bytes[at]! < 0x80) return bytes[at]! * 8 + 1;
  let value = 0;
  for (let i = 0; i < MAX_VARINT32_BYTES; i++) {
    if (at + i >= end) return -1;
    const byte = bytes[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return value > 0xffff_ffff ? -1 : value * 8 + i + 1;
  }
  return -1;
}
