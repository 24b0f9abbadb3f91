// Sorting many keys at once (recovery sorts a replayed log before loading it into the memtable). A comparison
// sort with compareBytes spends most of its time walking the bytes keys share: keys of one database usually
// start alike ("user:0000…"). So: skip the prefix every key shares, radix-sort the keys by the next 6 bytes (a
// key that ends inside them reads as if padded with zero bytes), and compare byte by byte only the keys equal
// in those 6 bytes. Same order as compareBytes, stable (equal keys keep their input order).

import { compareRanges } from '../bytes';

/** Bytes per key the radix sort looks at, after the shared prefix. */
const WINDOW = 6;

/**
 * Keys where they lie, without a view of each: key i is `bytes[i][at[i], at[i] + length[i])`. Replayed keys lie in
 * the log's bytes (memtable/replayed.ts); the memtable's skip list keeps them so too.
 */
export interface KeysInPlace {
  bytes: Uint8Array[];
  at: Int32Array;
  length: Int32Array;
}

/** Views as KeysInPlace: each key is all of its own bytes. */
export function keysInPlace(keys: readonly Uint8Array[]): KeysInPlace {
  const length = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) length[i] = keys[i]!.length;
  return { bytes: [...keys], at: new Int32Array(keys.length), length };
}

/** memcmp order of keys i and j of `keys`. */
export function compareKeys(keys: KeysInPlace, i: number, j: number): number {
  const { bytes, at, length } = keys;
  return compareRanges(bytes[i]!, at[i]!, length[i]!, bytes[j]!, at[j]!, length[j]!);
}

/** The indices of `keys` in memcmp order of their keys; equal keys stay in input order. */
export function sortedOrder(keys: readonly Uint8Array[]): number[] {
  return Array.from(sortKeys(keysInPlace(keys)).order);
}

/** For each distinct key, the index of its last occurrence (the newest write), in memcmp order of the keys. */
export function newestPerKey(keys: KeysInPlace): number[] {
  const { order, hi, lo } = sortKeys(keys);
  const out: number[] = [];
  const n = order.length;
  for (let i = 0; i < n; i++) {
    // Only keys equal in the window can be equal; a newer write of the same key follows in the order.
    if (i + 1 < n && hi[i] === hi[i + 1] && lo[i] === lo[i + 1] && compareKeys(keys, order[i + 1]!, order[i]!) === 0)
      continue;
    out.push(order[i]!);
  }
  return out;
}

/** Indices of keys in key order (stable), and each one's window as sorted along: equal keys have equal windows. */
interface SortedKeys {
  order: Uint32Array;
  hi: Uint32Array;
  lo: Uint32Array;
}

/**
 * Sorts indices of `keys`: radix by the window, then each run of keys equal in the window compared in full.
 * Written as small functions with one loop each and no callbacks: recovery sorts once per open, so a function is
 * compiled on its first few calls or not at all, and one large function was compiled mid-loop, then thrown out of
 * optimized code at each loop it had not reached yet, open after open.
 */
function sortKeys(keys: KeysInPlace): SortedKeys {
  const n = keys.bytes.length;
  const sorted: SortedKeys = { order: new Uint32Array(n), hi: new Uint32Array(n), lo: new Uint32Array(n) };
  if (n === 0) return sorted;
  windows(keys, sharedPrefix(keys), sorted.hi, sorted.lo);
  for (let i = 0; i < n; i++) sorted.order[i] = i;
  // LSD radix sort, least significant digit first; each pass is stable, so the result is too. 16-bit digits (3
  // passes) for many keys, bytes (6 passes) for few, where clearing 65,536 counters would cost more than a pass.
  const bits = n >= 4096 ? 16 : 8;
  const counts = new Uint32Array((1 << bits) + 1);
  let spare: SortedKeys = { order: new Uint32Array(n), hi: new Uint32Array(n), lo: new Uint32Array(n) };
  let current = sorted;
  for (let shift = 0; shift < WINDOW * 8; shift += bits) {
    if (radixPass(current, spare, shift, bits, counts)) [current, spare] = [spare, current];
  }
  sortEqualWindows(keys, current);
  return current;
}

/** How many leading bytes every key shares. */
function sharedPrefix({ bytes, at, length }: KeysInPlace): number {
  const first = bytes[0]!;
  const firstAt = at[0]!;
  let shared = length[0]!;
  for (let i = 1; i < bytes.length && shared > 0; i++) {
    const key = bytes[i]!;
    const keyAt = at[i]!;
    const m = Math.min(shared, length[i]!);
    let j = 0;
    while (j < m && key[keyAt + j] === first[firstAt + j]) j++;
    shared = j;
  }
  return shared;
}

/**
 * Each key's window as two numbers, big endian: bytes 0-1 in hi, 2-5 in lo. Comparing (hi, lo) compares the
 * windows. The sort moves them along with the indices, so that every pass reads them in order (reading them
 * through the indices was a cache miss per key per pass).
 */
function windows({ bytes, at, length }: KeysInPlace, shared: number, hi: Uint32Array, lo: Uint32Array): void {
  for (let i = 0; i < hi.length; i++) {
    const key = bytes[i]!;
    const from = at[i]! + shared;
    const end = at[i]! + length[i]!;
    hi[i] = (byteAt(key, from, end) << 8) | byteAt(key, from + 1, end);
    lo[i] =
      ((byteAt(key, from + 2, end) << 24) |
        (byteAt(key, from + 3, end) << 16) |
        (byteAt(key, from + 4, end) << 8) |
        byteAt(key, from + 5, end)) >>>
      0;
  }
}

/**
 * One stable counting pass on the digit at `shift` of the window: from `from` into `to`. Returns false, and moves
 * nothing, when every key has the same digit there.
 */
function radixPass(from: SortedKeys, to: SortedKeys, shift: number, bits: number, counts: Uint32Array): boolean {
  const source = shift < 32 ? from.lo : from.hi;
  const s = shift & 31;
  const mask = (1 << bits) - 1;
  const n = source.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[((source[i]! >>> s) & mask) + 1]!++;
  if (counts[((source[0]! >>> s) & mask) + 1] === n) return false;
  for (let d = 1; d <= mask + 1; d++) counts[d]! += counts[d - 1]!;
  const { order, hi, lo } = from;
  for (let i = 0; i < n; i++) {
    const t = counts[(source[i]! >>> s) & mask]!++;
    to.order[t] = order[i]!;
    to.hi[t] = hi[i]!;
    to.lo[t] = lo[i]!;
  }
  return true;
}

/** Runs of keys equal in the window, compared in full (stable: by input order when equal). Most runs are one key. */
function sortEqualWindows(keys: KeysInPlace, { order, hi, lo }: SortedKeys): void {
  let from = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i < order.length && hi[i - 1] === hi[i] && lo[i - 1] === lo[i]) continue;
    if (i - from > 1) {
      const run = Array.from(order.subarray(from, i)).sort((a, b) => compareKeys(keys, a, b) || a - b);
      order.set(run, from);
    }
    from = i;
  }
}

/** bytes[i], or 0 at or past the key's end: a key that ends inside the window sorts as if padded with zeros. */
function byteAt(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? bytes[i]! : 0;
}
