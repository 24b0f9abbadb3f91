// The skip list keeps its nodes in arrays (keys where they lie, values, heights, lanes as indices): checked
// against the simplest model of an ordered map, a sorted array, over random operations. A list starts empty or is
// loaded from keys lying at offsets inside shared buffers (as recovery loads a replayed log), and keeps taking
// inserts after that, past every array's first capacity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, toHex } from '../../../engine';
import type { KeysInPlace } from '../../../engine/memtable/key-order';
import { SkipList } from '../../../engine/memtable/skiplist';

type Op =
  | { kind: 'set'; key: Uint8Array; value: number }
  | { kind: 'get'; key: Uint8Array }
  | { kind: 'range'; start?: Uint8Array; end?: Uint8Array };

const key = fc.uint8Array({ minLength: 0, maxLength: 5, max: 7 }); // few byte values: many equal keys and prefixes
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('range' as const), start: key, end: key }, { requiredKeys: ['kind'] }),
  },
);

/** The model: [key, value] sorted by key. */
class Model {
  rows: Array<[Uint8Array, number]> = [];
  #find(k: Uint8Array): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareBytes(this.rows[mid]![0], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  set(k: Uint8Array, v: number): number | undefined {
    const i = this.#find(k);
    const row = this.rows[i];
    if (row && compareBytes(row[0], k) === 0) {
      const old = row[1];
      row[1] = v;
      return old;
    }
    this.rows.splice(i, 0, [k, v]);
    return undefined;
  }
  get(k: Uint8Array): number | undefined {
    const row = this.rows[this.#find(k)];
    return row && compareBytes(row[0], k) === 0 ? row[1] : undefined;
  }
  range(start?: Uint8Array, end?: Uint8Array): Array<[string, number]> {
    return this.rows
      .filter(([k]) => (!start || compareBytes(k, start) >= 0) && (!end || compareBytes(k, end) < 0))
      .map(([k, v]) => [toHex(k), v]);
  }
}

/** Distinct sorted keys laid out at offsets in two buffers, with bytes between them: what load() takes. */
function placed(keys: Uint8Array[]): KeysInPlace {
  const buffers = [new Uint8Array(4096).fill(0xee), new Uint8Array(4096).fill(0xdd)];
  const where = { bytes: [] as Uint8Array[], at: new Int32Array(keys.length), length: new Int32Array(keys.length) };
  const used = [3, 5];
  keys.forEach((k, i) => {
    const b = i % 2;
    buffers[b]!.set(k, used[b]!);
    where.bytes.push(buffers[b]!);
    where.at[i] = used[b]!;
    where.length[i] = k.length;
    used[b]! += k.length + 2;
  });
  return where;
}

describe('SkipList against a sorted-array model', () => {
  it('AsTheModel: set, get, range and the heights of what it holds, empty or loaded first', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { selector: toHex, maxLength: 120 }),
        fc.array(op, { maxLength: 300 }),
        (initial, ops) => {
          const list = new SkipList<number>();
          const model = new Model();
          const sorted = [...initial].sort(compareBytes);
          list.load(
            placed(sorted),
            sorted.map((_, i) => 1000 + i),
          );
          for (const [i, k] of sorted.entries()) model.set(k, 1000 + i);
          for (const o of ops) {
            if (o.kind === 'set') {
              expect(list.set(o.key, o.value)).toBe(model.set(o.key, o.value));
              expect(list.heightOf(o.key)).toBe(list.lastHeight);
            } else if (o.kind === 'get') {
              expect(list.get(o.key)).toBe(model.get(o.key));
              expect(list.heightOf(o.key) > 0).toBe(model.get(o.key) !== undefined);
            } else {
              const got = [...list.range(o.start, o.end)].map(([k, v]) => [toHex(k), v]);
              expect(got).toEqual(model.range(o.start, o.end));
            }
          }
          expect(list.size).toBe(model.rows.length);
          expect([...list.range()].map(([k, v]) => [toHex(k), v])).toEqual(model.range());
          // A search path ends at the first key >= the target, as the picture lights it.
          const target = new Uint8Array([3]);
          const path = list.searchPath(target);
          const arrived = model.rows.find(([k]) => compareBytes(k, target) >= 0);
          const last = path.at(-1)!;
          if (arrived) expect(toHex(last.key!)).toBe(toHex(arrived[0]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('AppendsPastTheLastKey (no search) and inserts between them, as the model, empty or loaded first', () => {
    const longKey = fc.uint8Array({ minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.uniqueArray(longKey, { selector: toHex, maxLength: 40 }),
        // Runs of keys in ascending order (each past every key so far), with other keys and rewrites between them.
        fc.array(fc.tuple(fc.nat(30), fc.array(longKey, { maxLength: 3 })), { maxLength: 25 }),
        (initial, runs) => {
          const list = new SkipList<number>();
          const model = new Model();
          const sorted = [...initial].sort(compareBytes);
          list.load(
            placed(sorted),
            sorted.map((_, i) => i),
          );
          for (const [i, k] of sorted.entries()) model.set(k, i);
          let value = 100;
          for (const [length, others] of runs) {
            for (let j = 0; j < length; j++) {
              const max = model.rows.at(-1)?.[0] ?? new Uint8Array(0);
              const next = new Uint8Array([...max, j % 3]); // max followed by a byte: just past it
              expect(list.set(next, value)).toBe(model.set(next, value));
              expect(list.heightOf(next)).toBe(list.lastHeight);
              value++;
            }
            for (const k of others) expect(list.set(k, value)).toBe(model.set(k, value++));
          }
          expect([...list.range()].map(([k, v]) => [toHex(k), v])).toEqual(model.range());
          for (const [k, v] of model.rows) expect(list.get(k)).toBe(v);
          // Every lane is in order and ends at the list's end (each lane's walk is a subsequence of lane 0's).
          const lane0 = [...list.range()].map(([k]) => toHex(k));
          const path = list.searchPath(new Uint8Array([255, 255, 255, 255, 255]));
          for (const step of path) if (step.key) expect(lane0).toContain(toHex(step.key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('KeysStayInPlace: a loaded key is read from its buffer, not copied, and comes out as a view of it', () => {
    const sorted = [new Uint8Array([1, 2]), new Uint8Array([1, 3]), new Uint8Array([9])];
    const where = placed(sorted);
    const list = new SkipList<string>();
    list.load(where, ['a', 'b', 'c']);
    const [first] = list.range();
    expect(first![0].buffer).toBe(where.bytes[0]!.buffer); // a view of the buffer it was loaded from
    expect(list.get(new Uint8Array([1, 3]))).toBe('b');
    expect(() => list.load(where, ['x'])).toThrow('fills an empty skip list');
    expect(() => new SkipList<string>().load(where, ['only one'])).toThrow('a key per value');
  });
});
