// Sorting a replayed log's keys: the window of 6 bytes after the shared prefix decides most comparisons, and the
// order must still be exactly memcmp order, stable for equal keys, whatever the keys' lengths and prefixes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, utf8 } from '../../../engine';
import { keysInPlace, newestPerKey, sortedOrder } from '../../../engine/memtable/key-order';
import { seededRandom } from '../support/random';

/** The reference: a stable sort of indices by compareBytes. */
const reference = (keys: Uint8Array[]) =>
  keys.map((_, i) => i).sort((a, b) => compareBytes(keys[a]!, keys[b]!) || a - b);

/** The reference for newestPerKey: per distinct key, its last index, in key order. */
const newestReference = (keys: Uint8Array[]) =>
  reference(keys).filter((index, i, order) => {
    const next = order[i + 1];
    return next === undefined || compareBytes(keys[next]!, keys[index]!) !== 0;
  });

describe('sortedOrder', () => {
  it('MatchesMemcmpOrder: any keys, shared prefixes, short keys, duplicates, stable', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    const key = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      // Keys that share a long prefix and differ past the 6-byte window, or end inside it.
      fc
        .tuple(fc.uint8Array({ maxLength: 3 }), fc.array(byte, { maxLength: 4 }))
        .map(([head, tail]) => new Uint8Array([...utf8('user:0000000'), ...head, ...new Array(6).fill(7), ...tail])),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 60 }), (keys) => {
        const withDuplicates = [...keys, ...keys.filter((_, i) => i % 3 === 0).map((k) => k.slice())];
        expect(sortedOrder(withDuplicates)).toEqual(reference(withDuplicates));
        expect(newestPerKey(keysInPlace(withDuplicates))).toEqual(newestReference(withDuplicates));
      }),
      { numRuns: 300 },
    );
  });

  it('PrefixSortsFirst: a key that ends inside the window sorts before its zero-extended twin', () => {
    const keys = [utf8('aaaa\u0000'), utf8('aaaa'), utf8('aaab'), utf8('aaa'), utf8('aaaa')];
    expect(sortedOrder(keys)).toEqual([3, 1, 4, 0, 2]);
    expect(sortedOrder([])).toEqual([]);
    expect(sortedOrder([utf8('x')])).toEqual([0]);
  });

  it('ManyKeys: thousands of keys over every byte value in the window, with rewrites, as the reference', () => {
    const { next: random } = seededRandom(15);
    const keys = Array.from({ length: 5000 }, () => {
      const key = utf8(`tenant-7/user-${Math.floor(random() * 3000)}`);
      return random() < 0.3 ? new Uint8Array([...key, Math.floor(random() * 256)]) : key;
    });
    expect(sortedOrder(keys)).toEqual(reference(keys));
    expect(newestPerKey(keysInPlace(keys))).toEqual(newestReference(keys));
  });

  it('KeysInPlace: keys read where they lie in shared buffers sort as the same keys as views', () => {
    const { next: random } = seededRandom(16);
    // Two "logs", each holding many keys at arbitrary offsets with bytes between them.
    const logs = [new Uint8Array(60_000), new Uint8Array(60_000)];
    for (const log of logs) for (let i = 0; i < log.length; i++) log[i] = Math.floor(random() * 256);
    const n = 6000; // over the 16-bit digits' threshold
    const placed = { bytes: [] as Uint8Array[], at: new Int32Array(n), length: new Int32Array(n) };
    const views: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const log = logs[i & 1]!;
      const length = Math.floor(random() * 9);
      // Every third key repeats an earlier one's bytes (a rewrite), read from another place.
      const at = Math.floor(random() * (log.length - 16));
      if (i % 3 === 2) log.set(views[i - 2]!.subarray(0, Math.min(length, views[i - 2]!.length)), at);
      placed.bytes.push(log);
      placed.at[i] = at;
      placed.length[i] = length;
      views.push(log.slice(at, at + length));
    }
    // The logs changed under earlier views' places only where a later key was copied over them: take the views
    // from the final bytes.
    for (let i = 0; i < n; i++) views[i] = placed.bytes[i]!.slice(placed.at[i]!, placed.at[i]! + placed.length[i]!);
    expect(newestPerKey(placed)).toEqual(newestReference(views));
  });
});
