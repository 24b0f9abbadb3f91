// Sorting many keys at once (recovery sorts a replayed log before loading it into the memtable). A comparison
// sort with compareBytes spends most of its time walking the bytes keys share: keys of one database usually
// start alike ("user:0000…"). So: skip the prefix every key shares, radix-sort the keys by the next 6 bytes (a
// key that ends inside them reads as if padded with zero bytes), and compare byte by byte only the keys equal
// in those 6 bytes. Same order as compareBytes, stable (equal keys keep their input order).

import { compareBytes } from '../bytes';

/** Bytes per key the radix sort looks at, after the shared prefix. */
const WINDOW = 6;

/** The indices of `keys` in memcmp order of their keys; equal keys stay in input order. */
export function sortedOrder(keys: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  sortRuns(keys, (order, from, to) => {
    for (let i = from; i < to; i++) out.push(order[i]!);
  });
  return out;
}

/** For each distinct key, the index of its last occurrence (the newest write), in memcmp order of the keys. */
export function newestPerKey(keys: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  sortRuns(keys, (order, from, to) => {
    for (let i = from; i < to; i++) {
      const index = order[i]!;
      if (i + 1 < to && compareBytes(keys[order[i + 1]!]!, keys[index]!) === 0) continue; // a newer write follows
      out.push(index);
    }
  });
  return out;
}

/**
 * Sorts indices of `keys` and hands them out in runs: `order[from, to)` holds keys that are all equal in the
 * window (only these may be equal keys), already in final order. Most runs are one key long.
 */
function sortRuns(keys: readonly Uint8Array[], onRun: (order: Uint32Array, from: number, to: number) => void): void {
  const n = keys.length;
  if (n === 0) return;
  const first = keys[0]!;
  let shared = first.length;
  for (let i = 1; i < n && shared > 0; i++) {
    const key = keys[i]!;
    const m = Math.min(shared, key.length);
    let j = 0;
    while (j < m && key[j] === first[j]) j++;
    shared = j;
  }
  const window = new Uint8Array(n * WINDOW);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const end = Math.min(key.length, shared + WINDOW);
    for (let j = shared; j < end; j++) window[i * WINDOW + j - shared] = key[j]!;
  }
  // LSD radix sort, one byte per pass from the window's last: each pass is stable, so the result is too.
  let order = new Uint32Array(n);
  let spare = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(257);
  for (let d = WINDOW - 1; d >= 0; d--) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[window[order[i]! * WINDOW + d]! + 1]!++;
    if (counts[window[order[0]! * WINDOW + d]! + 1] === n) continue; // every key has the same byte here
    for (let b = 1; b < 257; b++) counts[b]! += counts[b - 1]!;
    for (let i = 0; i < n; i++) {
      const index = order[i]!;
      spare[counts[window[index * WINDOW + d]!]!++] = index;
    }
    [order, spare] = [spare, order];
  }
  // Runs of keys equal in the window: compared in full (stable: by input order when equal).
  let from = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && sameWindow(window, order[i - 1]!, order[i]!)) continue;
    if (i - from > 1) {
      const run = Array.from(order.subarray(from, i)).sort((a, b) => compareBytes(keys[a]!, keys[b]!) || a - b);
      order.set(run, from);
    }
    onRun(order, from, i);
    from = i;
  }
}

function sameWindow(window: Uint8Array, a: number, b: number): boolean {
  for (let j = 0; j < WINDOW; j++) if (window[a * WINDOW + j] !== window[b * WINDOW + j]) return false;
  return true;
}
