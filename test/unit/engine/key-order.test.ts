// Sorting a replayed log's keys: the window of 6 bytes after the shared prefix decides most comparisons, and the
// order must still be exactly memcmp order, stable for equal keys, whatever the keys' lengths and prefixes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, utf8 } from '../../../engine';
import { newestPerKey, sortedOrder } from '../../../engine/memtable/key-order';
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
        expect(newestPerKey(withDuplicates)).toEqual(newestReference(withDuplicates));
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
    expect(newestPerKey(keys)).toEqual(newestReference(keys));
  });
});
