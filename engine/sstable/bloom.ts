// A bloom filter, as LevelDB builds one (util/bloom.cc): per key, k bit positions in an m-bit array.
// "No" is certain: some bit is 0, so the key was never added, and the SSTable need not be read at all.
// "Maybe" is wrong with probability about (1 - e^(-k n / m))^k: at 10 bits per key and k = 7, about 0.8 %.
//
// The k positions come from one hash by double hashing (Kirsch & Mitzenmacher): h, h + d, h + 2d, ...
// with d = h rotated by 15 bits. Two independent-looking hashes for the price of one.
//
// Filter block layout (engine/README.md, "Filter block"): bit array (ceil(m / 8) bytes) | k u8.

import { toHex } from '../bytes';
import type { BloomProbe } from '../events';

/**
 * A 32-bit hash of bytes, in the style of LevelDB's Hash() (a MurmurHash relative): fast and well mixed. `length`:
 * of bytes[0, length) only (a compaction's key lies at the start of a reused buffer).
 */
export function hash32(bytes: Uint8Array, seed = 0xbc9f1d34, length = bytes.length): number {
  const m = 0xc6a4a793;
  let h = (seed ^ Math.imul(length, m)) >>> 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    h = (h + word) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h ^= h >>> 16;
  }
  const rest = length - i;
  if (rest === 3) h = (h + (bytes[i + 2]! << 16)) >>> 0;
  if (rest >= 2) h = (h + (bytes[i + 1]! << 8)) >>> 0;
  if (rest >= 1) {
    h = (h + bytes[i]!) >>> 0;
    h = Math.imul(h, m) >>> 0;
    h ^= h >>> 24;
  }
  return h >>> 0;
}

/** The number of probes that minimises false positives for a given bits-per-key: k = ln 2 × m/n ≈ 0.69 × m/n. */
export function probesFor(bitsPerKey: number): number {
  return Math.min(30, Math.max(1, Math.round(bitsPerKey * 0.69)));
}

/**
 * h mod m, for h and m unsigned 32-bit integers (m ≥ 1, `inverse` = 1 / m), without a division. h × (1 / m) is off
 * from h / m by far less than 1, so its floor is the quotient or one away from it; h minus that many m (exact:
 * every product is below 2^53) is the remainder or one m away from it, and one correction gives exactly h % m
 * (tested against it).
 */
export function moduloOf(h: number, m: number, inverse: number): number {
  const r = h - Math.floor(h * inverse) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

/**
 * Builds the filter from the keys' hash32 values (a builder keeps 4 bytes per key, not the keys). Each probe's bit
 * is h mod m by moduloOf: h passes 2^31, and until V8's last tier proves both numbers unsigned 32-bit integers
 * (when it does, it divides as integers), `h % m` is a call to a floating-point modulo per probe. A compaction
 * builds a dozen filters of thousands of keys each: most of them before that tier, at three times the cost.
 */
export function buildBloom(hashes: readonly number[], bitsPerKey: number): Uint8Array {
  const k = probesFor(bitsPerKey);
  // At least 64 bits: with very few keys a tiny array would give a high false-positive rate.
  const bits = Math.max(64, hashes.length * bitsPerKey);
  const bytes = Math.ceil(bits / 8);
  const filter = new Uint8Array(bytes + 1);
  const m = bytes * 8;
  const inverse = 1 / m;
  for (let i = 0; i < hashes.length; i++) {
    let h = hashes[i]! >>> 0;
    const delta = ((h >>> 17) | (h << 15)) >>> 0;
    for (let probe = 0; probe < k; probe++) {
      const bit = moduloOf(h, m, inverse);
      filter[bit >>> 3]! |= 1 << (bit & 7);
      h = (h + delta) >>> 0;
    }
  }
  filter[bytes] = k;
  return filter;
}

/** false: certainly absent. true: maybe present. `keyHash` may be given when the caller already has it. */
export function bloomMayContain(filter: Uint8Array, key: Uint8Array, keyHash: number = hash32(key)): boolean {
  if (filter.length < 2) return true;
  const bytes = filter.length - 1;
  const m = (bytes * 8) >>> 0; // unsigned 32-bit, as h: an integer modulo (buildBloom)
  const k = filter[bytes]!;
  if (k > 30) return true; // reserved for future encodings: never say no to what we cannot read
  let h = keyHash >>> 0;
  const delta = ((h >>> 17) | (h << 15)) >>> 0;
  for (let probe = 0; probe < k; probe++) {
    const bit = h % m;
    if ((filter[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    h = (h + delta) >>> 0;
  }
  return true;
}

/** Filters this small (in bits) travel whole in the read events, for the picture to draw every bit. */
export const DRAWN_FILTER_BITS = 256;

/**
 * bloomMayContain's probe, told bit by bit for the picture: the positions the key hashes to and which are set (the
 * key may be present only if all are). Same double hashing; only traced reads call it.
 */
export function bloomProbe(filter: Uint8Array, keyHash: number): BloomProbe {
  const bytes = Math.max(0, filter.length - 1);
  const m = bytes * 8;
  const k = filter.length < 2 || filter[bytes]! > 30 ? 0 : filter[bytes]!;
  const probes: number[] = [];
  const set: boolean[] = [];
  let h = keyHash;
  const delta = ((h >>> 17) | (h << 15)) >>> 0;
  for (let probe = 0; probe < k; probe++) {
    const bit = h % m;
    probes.push(bit);
    set.push((filter[bit >>> 3]! & (1 << (bit & 7))) !== 0);
    h = (h + delta) >>> 0;
  }
  return m <= DRAWN_FILTER_BITS
    ? { bits: m, probes, set, filter: toHex(filter.subarray(0, bytes)) }
    : { bits: m, probes, set };
}
