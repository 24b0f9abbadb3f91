// The k-way merges (scans and compaction) keep their sources in a heap: with any number of sources, overlapping
// keys, several versions of a key in one source and visibility at a sequence number, they must give exactly what
// a plain sort of everything gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../../engine';
import type { Entry } from '../../../engine/codec/entry';
import { mergeAll, mergeNewest } from '../../../engine/iterators';

/** Sources of entries: keys from a small alphabet (so they collide), distinct sequence numbers overall. */
const sourcesArbitrary = fc
  .array(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), { maxLength: 25 }), { maxLength: 40 })
  .map((lists) => {
    let seq = 1;
    return lists.map((list) =>
      list
        .map(
          ([k, del]): Entry => ({
            op: del ? 'delete' : 'put',
            seq: seq++,
            key: new Uint8Array([k >> 3, k & 7]).subarray(0, k % 5 === 0 ? 1 : 2),
            value: del ? new Uint8Array(0) : new Uint8Array([k]),
          }),
        )
        // Sorted as a source is: keys ascending, a key's versions newest first.
        .sort((a, b) => compareBytes(a.key, b.key) || b.seq - a.seq),
    );
  });

describe('heap merges', () => {
  it('MergeAllIsSortOfAll: every version, keys ascending, newest first', () => {
    fc.assert(
      fc.property(sourcesArbitrary, (sources) => {
        const merged = [...mergeAll(sources.map((s) => s[Symbol.iterator]()))];
        const expected = sources.flat().sort((a, b) => compareBytes(a.key, b.key) || b.seq - a.seq);
        expect(merged.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
      }),
      { numRuns: 300 },
    );
  });

  it('MergeNewestPicksTheNewestVisible: per key, from the right source, with the others counted', () => {
    fc.assert(
      fc.property(sourcesArbitrary, fc.integer({ min: 0, max: 400 }), (sources, atSeq) => {
        const merged = [
          ...mergeNewest(
            sources.map((s) => s[Symbol.iterator]()),
            atSeq,
          ),
        ];
        const byKey = new Map<string, Array<{ entry: Entry; source: number }>>();
        sources.forEach((list, source) => {
          for (const entry of list) {
            const k = entry.key.join(',');
            byKey.set(k, [...(byKey.get(k) ?? []), { entry, source }]);
          }
        });
        const expected = [...byKey.values()]
          .sort((a, b) => compareBytes(a[0]!.entry.key, b[0]!.entry.key))
          .flatMap((versions) => {
            const visible = versions.filter((v) => v.entry.seq <= atSeq).sort((a, b) => b.entry.seq - a.entry.seq);
            return visible.length
              ? [{ seq: visible[0]!.entry.seq, source: visible[0]!.source, shadowed: versions.length - 1 }]
              : [];
          });
        expect(merged.map((m) => ({ seq: m.entry.seq, source: m.source, shadowed: m.shadowed }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
