// The memtable and its skip list: sorted by unsigned bytes, newest entry per key, tombstones kept, and the
// byte count the flush threshold is measured in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../engine';
import { type Entry, entrySize } from '../../../engine/codec/entry';
import { Memtable } from '../../../engine/memtable/memtable';
import { ReplayedWrites } from '../../../engine/memtable/replayed';
import { SkipList } from '../../../engine/memtable/skiplist';
import { byteOrder } from '../support/tree';

/** An entry as plain fields: a loaded write is a LoggedEntry, whose key and value are getters. */
const plain = (e: Entry | undefined) => e && { op: e.op, seq: e.seq, key: e.key, value: e.value };

const put = (key: string, value: string, seq: number): Entry => ({
  op: 'put',
  seq,
  key: utf8(key),
  value: utf8(value),
});
const del = (key: string, seq: number): Entry => ({ op: 'delete', seq, key: utf8(key), value: new Uint8Array(0) });
const keysOf = (entries: Iterable<Entry>) => [...entries].map((e) => new TextDecoder().decode(e.key));

describe('Memtable', () => {
  it('GetReturnsTheEntry, undefined for a key never written', () => {
    const memtable = new Memtable();
    memtable.apply(put('b', '2', 1));
    memtable.apply(put('a', '1', 2));
    expect(memtable.get(utf8('a'))).toEqual(put('a', '1', 2));
    expect(memtable.get(utf8('b'))).toEqual(put('b', '2', 1));
    expect(memtable.get(utf8('c'))).toBeUndefined();
    expect(memtable.get(utf8('a\u0000'))).toBeUndefined();
  });

  it('NewerEntryReplacesOlder, and the byte count follows', () => {
    const memtable = new Memtable();
    memtable.apply(put('key', 'short', 1));
    expect(memtable.bytes).toBe(entrySize(3, 5));
    memtable.apply(put('key', 'a much longer value', 2));
    expect(memtable.entries).toBe(1);
    expect(memtable.bytes).toBe(entrySize(3, 19));
    expect(memtable.get(utf8('key'))?.seq).toBe(2);
    memtable.apply(del('key', 3));
    expect(memtable.entries).toBe(1);
    expect(memtable.bytes).toBe(entrySize(3, 0));
    expect(memtable.get(utf8('key'))).toEqual(del('key', 3));
  });

  it('BytesIsTheSumOfEncodedEntrySizes', () => {
    const memtable = new Memtable();
    let expected = 0;
    for (let i = 0; i < 100; i++) {
      memtable.apply(put(`key${i}`, 'x'.repeat(i), i + 1));
      expected += entrySize(`key${i}`.length, i);
    }
    expect(memtable.bytes).toBe(expected);
    expect(memtable.entries).toBe(100);
  });

  it('RangeIsStartInclusiveEndExclusive', () => {
    const memtable = new Memtable();
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) memtable.apply(put(key, 'v', i + 1));
    expect(keysOf(memtable.range())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(keysOf(memtable.range(utf8('b'), utf8('d')))).toEqual(['b', 'c']);
    expect(keysOf(memtable.range(utf8('bb'), utf8('dd')))).toEqual(['c', 'd']);
    expect(keysOf(memtable.range(utf8('c')))).toEqual(['c', 'd', 'e']);
    expect(keysOf(memtable.range(undefined, utf8('c')))).toEqual(['a', 'b']);
    expect(keysOf(memtable.range(utf8('f')))).toEqual([]);
    expect(keysOf(memtable.range(utf8('c'), utf8('c')))).toEqual([]);
  });

  it('TombstonesAreKeptInRange (they must hide older SSTable values)', () => {
    const memtable = new Memtable();
    memtable.apply(put('a', '1', 1));
    memtable.apply(del('b', 2));
    expect([...memtable.range()].map((e) => e.op)).toEqual(['put', 'delete']);
  });
});

describe('SkipList', () => {
  it('OrdersByUnsignedBytes: many random keys come out in memcmp order, each once', () => {
    const list = new SkipList<number>();
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 16;
    };
    const keys = new Map<string, Uint8Array>();
    for (let i = 0; i < 2000; i++) {
      const key = Uint8Array.from({ length: 1 + (random() % 4) }, () => random() % 256);
      keys.set(Buffer.from(key).toString('hex'), key);
      list.set(key, i);
    }
    const out = [...list.range()].map(([key]) => key);
    expect(list.size).toBe(keys.size);
    expect(out).toEqual([...keys.values()].sort(byteOrder));
  });

  it('SetReturnsTheReplacedValue', () => {
    const list = new SkipList<string>();
    expect(list.set(utf8('k'), 'one')).toBeUndefined();
    expect(list.set(utf8('k'), 'two')).toBe('one');
    expect(list.get(utf8('k'))).toBe('two');
    expect(list.size).toBe(1);
  });

  it('HighBytesSortAfterLowBytes (0xFF is not -1)', () => {
    const list = new SkipList<number>();
    list.set(Uint8Array.of(0xff), 1);
    list.set(Uint8Array.of(0x00), 2);
    list.set(Uint8Array.of(0x7f), 3);
    list.set(Uint8Array.of(0x80), 4);
    expect([...list.range()].map(([, v]) => v)).toEqual([2, 3, 4, 1]);
  });
});

describe('Memtable.of (recovery loads a replayed log in one pass)', () => {
  it('LeavesExactlyWhatApplyingEachEntryWould: newest per key, tombstones, byte count, then takes more writes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.uint8Array({ minLength: 1, maxLength: 3, max: 3 }),
            value: fc.option(fc.uint8Array({ maxLength: 4 })),
          }),
          { maxLength: 200 },
        ),
        (writes) => {
          const entries: Entry[] = writes.map((w, i) => ({
            op: w.value ? 'put' : 'delete',
            seq: i + 1,
            key: w.key,
            value: w.value ?? new Uint8Array(0),
          }));
          const applied = new Memtable();
          for (const e of entries) applied.apply(e);
          const loaded = Memtable.of(ReplayedWrites.of(entries));
          expect([...loaded.range()].map(plain)).toEqual([...applied.range()].map(plain));
          expect(loaded.bytes).toBe(applied.bytes);
          expect(loaded.entries).toBe(applied.entries);
          for (const e of entries) expect(plain(loaded.get(e.key))).toEqual(plain(applied.get(e.key)));
          const later = put('\u0001', 'later', entries.length + 1);
          loaded.apply(later);
          applied.apply(later);
          expect([...loaded.range()].map(plain)).toEqual([...applied.range()].map(plain));
          // Overwriting every key: a loaded write replaced counts out of bytes exactly as an applied one.
          for (const e of entries) {
            const over = put(String.fromCharCode(...e.key), 'over', entries.length + 2);
            loaded.apply(over);
            applied.apply(over);
          }
          expect(loaded.bytes).toBe(applied.bytes);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('A loaded write kept for a snapshot', () => {
  it('StaysBehindTheNewerWriteWhileASnapshotCanSeeIt', () => {
    const loaded = Memtable.of(ReplayedWrites.of([put('k', 'old', 5), put('j', 'other', 6)]));
    loaded.apply(put('k', 'new', 7), 6); // a snapshot at 6 still sees the replayed 'old'
    expect(loaded.chain(utf8('k'), 4).map(plain)).toEqual([plain(put('k', 'new', 7)), plain(put('k', 'old', 5))]);
    expect(plain(loaded.getAt(utf8('k'), 6))).toEqual(plain(put('k', 'old', 5)));
    expect([...loaded.versions()].map((e) => e.seq)).toEqual([6, 7, 5]);
    loaded.apply(put('j', 'newer', 8)); // no snapshot: the replayed write goes
    expect(loaded.chain(utf8('j'), 4).map((e) => e.seq)).toEqual([8]);
  });
});

describe('ReplayedWrites.addPayload (a WAL record held as columns)', () => {
  it('HoldsNothingOfARecordThatDoesNotParse', () => {
    const writes = ReplayedWrites.of([put('a', '1', 1)]);
    // put, seq 2, key 'b', value '2'
    const good = Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x62, 1, 0, 0, 0, 0x32);
    expect(good.length).toBe(entrySize(1, 1));
    expect(writes.addPayload(good, 0, good.length)).toBe(1);
    expect(plain(writes.entry(1))).toEqual(plain(put('b', '2', 2)));
    expect(writes.addPayload(good, 0, good.length - 1)).toBe(0); // cut short
    // A batch of two whose second write runs past the record: neither is held.
    const batch = Uint8Array.of(
      3,
      9,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      1,
      1,
      0,
      0,
      0,
      0x63,
      1,
      0,
      0,
      0,
      0x33,
      1,
      1,
      0,
      0,
      0,
      0x64,
      9,
      0,
      0,
      0,
    );
    expect(writes.addPayload(batch, 0, batch.length)).toBe(0);
    expect(writes.count).toBe(2);
    expect(writes.bytes.length).toBe(2);
  });
});
