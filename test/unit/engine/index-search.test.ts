// The sparse index search compares 6-byte windows past the prefix a table's keys share: for any table and any
// key (inside the table's prefix or not, shorter or longer than the window), it must name the block the plain
// binary search by compareBytes names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, utf8 } from '../../../engine';
import { SparseIndexSearch } from '../../../engine/sstable/index-search';

/** The plain search: the last first key <= key (0 when none). */
function reference(firstKeys: Uint8Array[], key: Uint8Array): number {
  let found = 0;
  for (let i = 0; i < firstKeys.length; i++) if (compareBytes(firstKeys[i]!, key) <= 0) found = i;
  return found;
}

const tail = fc.uint8Array({ minLength: 0, maxLength: 9, max: 3 });

describe('SparseIndexSearch', () => {
  it('NamesTheSameBlockAsThePlainSearch: keys sharing a prefix, differing in or past the window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'k', 'user:000000'),
        fc.uniqueArray(tail, { minLength: 1, maxLength: 40, comparator: (a, b) => compareBytes(a, b) === 0 }),
        fc.array(
          fc.oneof(
            tail.map((t) => ({ inside: true, t })),
            fc.uint8Array({ maxLength: 14 }).map((t) => ({ inside: false, t })),
          ),
          {
            maxLength: 30,
          },
        ),
        (prefix, tails, queries) => {
          const head = utf8(prefix);
          const keys = tails.map((t) => new Uint8Array([...head, ...t])).sort(compareBytes);
          // A table's smallest key is its first block's first key; its largest lies at or past the last first key.
          const largest = new Uint8Array([...keys[keys.length - 1]!, 3, 3]);
          const search = new SparseIndexSearch(keys, keys[0]!, largest);
          for (const { inside, t } of queries) {
            const key = inside ? new Uint8Array([...head, ...t]) : t;
            expect(search.blockFor(key)).toBe(reference(keys, key));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
