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
 * the log's bytes (codec/entry.ts, LoggedEntry); the memtable's skip list keeps them so too.
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
  const out: number[] = [];
  sortRuns(keysInPlace(keys), (order, from, to) => {
    for (let i = from; i < to; i++) out.push(order[i]!);
  });
  return out;
}

/** For each distinct key, the index of its last occurrence (the newest write), in memcmp order of the keys. */
export function newestPerKey(keys: KeysInPlace): number[] {
  const out: number[] = [];
  sortRuns(keys, (order, from, to) => {
    for (let i = from; i < to; i++) {
      const index = order[i]!;
      if (i + 1 < to && compareKeys(keys, order[i + 1]!, index) === 0) continue; // a newer write follows
      out.push(index);
    }
  });
  return out;
}

/**
 * Sorts indices of `keys` and hands them out in runs: `order[from, to)` holds keys that are all equal in the
 * window (only these may be equal keys), already in final order. Most runs are one key long.
 */
function sortRuns(keys: KeysInPlace, onRun: (order: Uint32Array, from: number, to: number) => void): void {
  const n = keys.bytes.length;
  if (n === 0) return;
  const { bytes, at, length } = keys;
  const first = bytes[0]!;
  const firstAt = at[0]!;
  let shared = length[0]!;
  for (let i = 1; i < n && shared > 0; i++) {
    const key = bytes[i]!;
    const keyAt = at[i]!;
    const m = Math.min(shared, length[i]!);
    let j = 0;
    while (j < m && key[keyAt + j] === first[firstAt + j]) j++;
    shared = j;
  }
  // Each key's window as two numbers, big endian: bytes 0-1 in hi, 2-5 in lo. Comparing (hi, lo) compares the
  // windows. The sort moves them along with the indices, so that every pass reads them in order (reading them
  // through the indices was a cache miss per key per pass).
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
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
  // LSD radix sort, least significant digit first; each pass is stable, so the result is too. 16-bit digits (3
  // passes) for many keys, bytes (6 passes) for few, where clearing 65,536 counters would cost more than a pass.
  const bits = n >= 4096 ? 16 : 8;
  const mask = (1 << bits) - 1;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spareOrder = new Uint32Array(n);
  let spareHi = new Uint32Array(n);
  let spareLo = new Uint32Array(n);
  const counts = new Uint32Array(mask + 2);
  for (let shift = 0; shift < WINDOW * 8; shift += bits) {
    const source = shift < 32 ? lo : hi;
    const s = shift & 31;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((source[i]! >>> s) & mask) + 1]!++;
    if (counts[((source[0]! >>> s) & mask) + 1] === n) continue; // every key has the same digit here
    for (let d = 1; d <= mask + 1; d++) counts[d]! += counts[d - 1]!;
    for (let i = 0; i < n; i++) {
      const to = counts[(source[i]! >>> s) & mask]!++;
      spareOrder[to] = order[i]!;
      spareHi[to] = hi[i]!;
      spareLo[to] = lo[i]!;
    }
    [order, spareOrder] = [spareOrder, order];
    [hi, spareHi] = [spareHi, hi];
    [lo, spareLo] = [spareLo, lo];
  }
  // Runs of keys equal in the window: compared in full (stable: by input order when equal).
  let from = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && hi[i - 1] === hi[i] && lo[i - 1] === lo[i]) continue;
    if (i - from > 1) {
      const run = Array.from(order.subarray(from, i)).sort((a, b) => compareKeys(keys, a, b) || a - b);
      order.set(run, from);
    }
    onRun(order, from, i);
    from = i;
  }
}

/** bytes[i], or 0 at or past the key's end: a key that ends inside the window sorts as if padded with zeros. */
function byteAt(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? bytes[i]! : 0;
}
