// Keys are ordered by unsigned bytes (memcmp) everywhere: in the memtable, in SSTables, and in the merged
// scan across them. Scans are start-inclusive, end-exclusive, newest-wins, tombstone-aware and batched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { byteOrder, pad, scanAll, text } from '../support/tree';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Keys whose memcmp order differs from naive expectations: 0x00, 0xFF, prefixes, and UTF-8 vs UTF-16 order. */
const AWKWARD_KEYS: Uint8Array[] = [
  Uint8Array.of(0x00),
  Uint8Array.of(0x00, 0x00),
  Uint8Array.of(0x00, 0xff),
  Uint8Array.of(0x01),
  utf8('a'),
  utf8('a\u0000'),
  utf8('ab'),
  utf8('abc'),
  utf8('b'),
  Uint8Array.of(0x7f),
  Uint8Array.of(0x80),
  utf8('\u00e9'), // c3 a9
  utf8('\uFFFF'), // ef bf bf
  utf8('\u{1F600}'), // f0 9f 98 80: after \uFFFF in bytes, before it as a JS string
  Uint8Array.of(0xff),
  Uint8Array.of(0xff, 0x00),
  Uint8Array.of(0xff, 0xff),
  Uint8Array.of(0xff, 0xff, 0xff),
];

describe('Bytewise order', () => {
  it('JsStringOrderIsNotByteOrder (the trap these tests guard against)', () => {
    expect('\u{1F600}' < '\uFFFF').toBe(true);
    expect(byteOrder(utf8('\u{1F600}'), utf8('\uFFFF'))).toBeGreaterThan(0);
  });

  it('ScanIsInMemcmpOrder across the memtable and several SSTables', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { blockSize: 32 });
    // Interleaved into three SSTables and the memtable, each written in a scrambled order.
    const scrambled = AWKWARD_KEYS.map((key, i) => ({ key, i })).sort((a, b) => ((a.i * 7) % 11) - ((b.i * 7) % 11));
    for (const [n, { key, i }] of scrambled.entries()) {
      await db.put(key, utf8(`v${i}`));
      if (n % 5 === 4) await db.flush();
    }
    const state = await db.describe();
    expect(state.tables.length).toBe(3);
    expect(state.memtable.length).toBeGreaterThan(0);

    const pairs = await scanAll(db);
    const expected = [...AWKWARD_KEYS].sort(byteOrder);
    expect(expected).toEqual(AWKWARD_KEYS); // the list above is already in memcmp order
    expect(pairs.map(([key]) => hex(key))).toEqual(expected.map(hex));
    expect(pairs.map(([, value]) => text(value))).toEqual(AWKWARD_KEYS.map((_, i) => `v${i}`));
    for (const [i, key] of AWKWARD_KEYS.entries()) expect(text(await db.get(key))).toBe(`v${i}`);

    // Ranges use the same order: [\uFFFF, 0xFF) holds \uFFFF and \u{1F600}, in that order.
    const range = await scanAll(db, { start: utf8('\uFFFF'), end: Uint8Array.of(0xff) });
    expect(range.map(([key]) => text(key))).toEqual(['\uFFFF', '\u{1F600}']);
    // A prefix sorts before its extensions: [a, b) is a, a\0, ab, abc.
    const prefixed = await scanAll(db, { start: utf8('a'), end: utf8('b') });
    expect(prefixed.map(([key]) => hex(key))).toEqual(['a', 'a\u0000', 'ab', 'abc'].map((k) => hex(utf8(k))));
  });

  it('OrderSurvivesFlushAndRecovery', async () => {
    const storage = new MemoryStorage();
    const db = await LsmTree.open(storage, { blockSize: 32 });
    for (const key of [...AWKWARD_KEYS].reverse()) await db.put(key, key);
    await db.flush();
    await db.close();
    const reopened = await LsmTree.open(storage);
    expect((await scanAll(reopened)).map(([key]) => hex(key))).toEqual(AWKWARD_KEYS.map(hex));
  });

  it('MatchesAModel: random binary keys, puts, deletes and flushes', async () => {
    const operation = fc.oneof(
      fc.record({
        op: fc.constant('put' as const),
        key: fc.uint8Array({ minLength: 1, maxLength: 3 }),
        value: fc.nat(99),
      }),
      fc.record({ op: fc.constant('delete' as const), key: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
      fc.constant({ op: 'flush' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 60 }), async (operations) => {
        const db = await LsmTree.open(new MemoryStorage(), { blockSize: 48 });
        const model = new Map<string, number>();
        for (const o of operations) {
          if (o.op === 'put') {
            await db.put(o.key, Uint8Array.of(o.value));
            model.set(hex(o.key), o.value);
          } else if (o.op === 'delete') {
            await db.delete(o.key);
            model.delete(hex(o.key));
          } else await db.flush();
        }
        const expected = [...model.entries()]
          .sort(([a], [b]) => byteOrder(Buffer.from(a, 'hex'), Buffer.from(b, 'hex')))
          .map(([key, value]) => [key, value]);
        const actual = (await scanAll(db)).map(([key, value]) => [hex(key), value[0]]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60, seed: 20240601 },
    );
  });
});

describe('Scan', () => {
  async function layered() {
    // Oldest SSTable: k00..k19 = old. Newer SSTable: even keys = mid, k05 deleted. Memtable: k10 = new, k12 deleted.
    const db = await LsmTree.open(new MemoryStorage(), { blockSize: 64 });
    for (let i = 0; i < 20; i++) await db.put(utf8(`k${pad(i)}`), utf8(`old${i}`));
    await db.flush();
    for (let i = 0; i < 20; i += 2) await db.put(utf8(`k${pad(i)}`), utf8(`mid${i}`));
    await db.delete(utf8(`k${pad(5)}`));
    await db.flush();
    await db.put(utf8(`k${pad(10)}`), utf8('new10'));
    await db.delete(utf8(`k${pad(12)}`));
    return db;
  }
  const expectedValue = (i: number) =>
    i === 5 || i === 12 ? undefined : i === 10 ? 'new10' : i % 2 === 0 ? `mid${i}` : `old${i}`;

  it('NewestWinsAndTombstonesHideOlderValues', async () => {
    const db = await layered();
    const pairs = await scanAll(db);
    const expected = Array.from({ length: 20 }, (_, i) => i)
      .filter((i) => expectedValue(i) !== undefined)
      .map((i) => [`k${pad(i)}`, expectedValue(i)]);
    expect(pairs.map(([k, v]) => [text(k), text(v)])).toEqual(expected);
    for (let i = 0; i < 20; i++) expect(text(await db.get(utf8(`k${pad(i)}`)))).toBe(expectedValue(i));
  });

  it('StartIsInclusiveEndIsExclusive', async () => {
    const db = await layered();
    const keys = async (range: { start?: Uint8Array; end?: Uint8Array }) =>
      (await scanAll(db, range)).map(([k]) => text(k));
    expect(await keys({ start: utf8(`k${pad(3)}`), end: utf8(`k${pad(8)}`) })).toEqual(
      [3, 4, 6, 7].map((i) => `k${pad(i)}`),
    );
    expect(await keys({ start: utf8(`k${pad(10)}`), end: utf8(`k${pad(11)}`) })).toEqual([`k${pad(10)}`]);
    expect(await keys({ start: utf8(`k${pad(12)}`), end: utf8(`k${pad(13)}`) })).toEqual([]);
    expect(await keys({ start: utf8(`k${pad(18)}`) })).toEqual([`k${pad(18)}`, `k${pad(19)}`]);
    expect(await keys({ end: utf8(`k${pad(2)}`) })).toEqual([`k${pad(0)}`, `k${pad(1)}`]);
    expect(await keys({ start: utf8(`k${pad(7)}`), end: utf8(`k${pad(7)}`) })).toEqual([]);
    expect(await keys({ start: utf8('k00035'), end: utf8('k00045') })).toEqual([`k${pad(4)}`]);
    expect(await keys({ start: utf8('z') })).toEqual([]);
  });

  it('MoreThanOneBatch: 1000 pairs across SSTables and memtable come out complete and in order', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { memtableBytes: 8 * 1024 });
    const expected = new Map<string, string>();
    // Written in a scrambled order; every 3rd key later overwritten, every 7th deleted.
    for (let n = 0; n < 1000; n++) {
      const i = (n * 389) % 1000;
      await db.put(utf8(`key${pad(i)}`), utf8(`v${i}`));
      expected.set(`key${pad(i)}`, `v${i}`);
    }
    for (let i = 0; i < 1000; i += 3) {
      await db.put(utf8(`key${pad(i)}`), utf8(`w${i}`));
      expected.set(`key${pad(i)}`, `w${i}`);
    }
    for (let i = 0; i < 1000; i += 7) {
      await db.delete(utf8(`key${pad(i)}`));
      expected.delete(`key${pad(i)}`);
    }
    const state = await db.describe();
    expect(state.tables.length).toBeGreaterThan(2);
    expect(state.memtable.length).toBeGreaterThan(0);
    const wanted = [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(wanted.length).toBeGreaterThan(600); // well past the 256-pair batch

    const pairs = await scanAll(db);
    expect(pairs.map(([k, v]) => [text(k), text(v)])).toEqual(wanted);
    const from = await scanAll(db, { start: utf8(`key${pad(300)}`), end: utf8(`key${pad(900)}`) });
    expect(from.map(([k, v]) => [text(k), text(v)])).toEqual(
      wanted.filter(([k]) => k >= `key${pad(300)}` && k < `key${pad(900)}`),
    );
  });

  it('BatchBoundaryOnEveryKey: exactly 256, 257 and 512 pairs', async () => {
    for (const count of [255, 256, 257, 512, 513]) {
      const db = await LsmTree.open(new MemoryStorage());
      for (let i = 0; i < count; i++) await db.put(utf8(`k${pad(i)}`), utf8(`${i}`));
      const pairs = await scanAll(db);
      expect(pairs.map(([k]) => text(k))).toEqual(Array.from({ length: count }, (_, i) => `k${pad(i)}`));
    }
  });

  it('ALongScanReadsAsOfItsStart: writes made ahead of it while it runs do not show', async () => {
    const db = await LsmTree.open(new MemoryStorage());
    for (let i = 0; i < 600; i++) await db.put(utf8(`k${pad(i)}`), utf8('v'));
    const seen: string[] = [];
    for await (const [key] of db.scan()) {
      seen.push(text(key)!);
      if (seen.length === 1) {
        await db.delete(utf8(`k${pad(500)}`));
        await db.put(utf8(`k${pad(600)}`), utf8('v'));
      }
    }
    expect(seen).toContain(`k${pad(500)}`);
    expect(seen).not.toContain(`k${pad(600)}`);
    expect(seen).toHaveLength(600);
    expect(seen).toEqual([...seen].sort());
    // The next scan starts after those writes: it sees them.
    const after = (await scanAll(db)).map(([k]) => text(k));
    expect(after).toContain(`k${pad(600)}`);
    expect(after).not.toContain(`k${pad(500)}`);
  });
});
