// The binary search of an SSTable's sparse index (the last block whose first key is <= a key), with the bytes
// every key of the table shares taken out. Keys between the table's smallest and largest all start with the
// prefix those two share; past it, 6 bytes of each first key are kept as one number (exact in a double), so most
// steps of the search compare two numbers instead of walking the shared bytes of two keys. Equal numbers fall
// back to compareBytes; a key outside the table's prefix (a scan's start, say) takes the plain search.

import { compareBytes } from '../bytes';

/** Bytes per key read as one number: 6 bytes = 48 bits, exact in a double. */
const WINDOW = 6;

export class SparseIndexSearch {
  readonly #firstKeys: readonly Uint8Array[];
  readonly #prefix: Uint8Array;
  readonly #windows: Float64Array;

  constructor(firstKeys: readonly Uint8Array[], smallest: Uint8Array, largest: Uint8Array) {
    this.#firstKeys = firstKeys;
    let shared = 0;
    const n = Math.min(smallest.length, largest.length);
    while (shared < n && smallest[shared] === largest[shared]) shared++;
    this.#prefix = smallest.slice(0, shared);
    this.#windows = new Float64Array(firstKeys.length);
    for (let i = 0; i < firstKeys.length; i++) this.#windows[i] = windowOf(firstKeys[i]!, shared);
  }

  /** The last block whose first key is <= key (0 when there is none). */
  blockFor(key: Uint8Array): number {
    const keys = this.#firstKeys;
    let low = 0;
    let high = keys.length - 1;
    if (!hasPrefix(key, this.#prefix)) {
      while (low < high) {
        const mid = (low + high + 1) >>> 1;
        if (compareBytes(keys[mid]!, key) <= 0) low = mid;
        else high = mid - 1;
      }
      return low;
    }
    // A first key of this table starts with the prefix too: a smaller window means a smaller key (a key that
    // ends inside the window reads as if padded with zero bytes, and a prefix sorts first).
    const windows = this.#windows;
    const target = windowOf(key, this.#prefix.length);
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      const w = windows[mid]!;
      if (w < target || (w === target && compareBytes(keys[mid]!, key) <= 0)) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

function windowOf(key: Uint8Array, from: number): number {
  let word = 0;
  for (let j = from; j < from + WINDOW; j++) word = word * 256 + (j < key.length ? key[j]! : 0);
  return word;
}

function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
