// Little-endian u32 helpers for the byte formats: entries, batches, record framing. Byte by byte, not through a
// DataView: they run once per field of every entry written or read.

/** Writes `value` as a little-endian u32 at `at`. */
export function putU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value;
  out[at + 1] = value >>> 8;
  out[at + 2] = value >>> 16;
  out[at + 3] = value >>> 24;
}

/** Little-endian u32 at `at`. */
export function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
