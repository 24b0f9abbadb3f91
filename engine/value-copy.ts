// Copies of values handed to a reader (get's answer), cut from shared slabs. A fresh ArrayBuffer per value costs
// far more than copying its bytes: over 0.5 µs of CPU in V8 for a 100-byte value (its bytes live outside the
// heap and are accounted for one by one), against 0.15 µs for a view of a slab, and in a browser worker a get
// that read no block from storage spent more time allocating its answer than finding it. So small values are
// copied into a slab, 8 KiB at a time, and handed out as views of it, as the memtable's arena does for writes.
//
// A copy is the caller's to keep: the engine never writes to a part of a slab once handed out. Its `.buffer`
// holds other values too (up to a slab's worth is kept alive by any one of them): a caller that posts a value to
// another thread, or keeps many for long, copies it with `slice()` first.

/** Bytes per slab: a few dozen typical values, and the most one kept value can hold in memory. */
const SLAB_BYTES = 8 * 1024;
/** Values larger than this get a buffer of their own (their copy costs more than an allocation anyway). */
const OWN_BUFFER_FROM = 512;

let slab = new Uint8Array(SLAB_BYTES);
let used = 0;

/** A copy of bytes [from, to) of `source`, the caller's to keep. */
export function copyValue(source: Uint8Array, from: number, to: number): Uint8Array {
  const length = to - from;
  if (length > OWN_BUFFER_FROM) return source.slice(from, to);
  if (used + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + length);
  for (let i = 0; i < length; i++) out[i] = source[from + i]!;
  used += length;
  return out;
}
