// Bloom filters: "no" is certain, "maybe" is wrong about 1 % of the time at 10 bits per key, and a point read
// of an absent key skips the data block of every table whose filter says no.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { bloomMayContain, buildBloom, hash32, moduloOf, probesFor } from '../../../engine/sstable/bloom';
import { eventLog } from '../support/events';
import { pad, text } from '../support/tree';

const PRESENT = Array.from({ length: 10_000 }, (_, i) => utf8(`user:${i}`));
/** Never added: the same shape as the present keys, numbered past them, and a different shape altogether. */
const ABSENT = Array.from({ length: 10_000 }, (_, i) => utf8(i % 2 === 0 ? `user:${10_000 + i}` : `absent-${i}`));

function falsePositiveRate(bitsPerKey: number): number {
  const filter = buildBloom(
    PRESENT.map((key) => hash32(key)),
    bitsPerKey,
  );
  return ABSENT.filter((key) => bloomMayContain(filter, key)).length / ABSENT.length;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

describe('Bloom filter', () => {
  it('ModuloWithoutDivision: moduloOf(h, m) is h % m for every unsigned 32-bit h and m', () => {
    const check = (h: number, m: number) => expect(moduloOf(h, m, 1 / m)).toBe(h % m);
    const max = 2 ** 32 - 1;
    for (const m of [1, 2, 3, 7, 64, 80, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, max - 1, max]) {
      // Where the estimated quotient can be one off: at, just under and just over each multiple of m.
      for (const q of [0, 1, 2, Math.floor(max / m) - 1, Math.floor(max / m)]) {
        for (const d of [-1, 0, 1]) {
          const h = q * m + d;
          if (h >= 0 && h <= max) check(h, m);
        }
      }
      check(max, m);
    }
    fc.assert(
      fc.property(fc.nat({ max }), fc.integer({ min: 1, max }), (h, m) => {
        check(h, m);
      }),
      { numRuns: 20_000 },
    );
  });

  it('SameBitsAsADivision: the filter built is the one h % m per probe builds', () => {
    const hashes = PRESENT.map((key) => hash32(key));
    for (const bitsPerKey of [1, 7, 10, 23]) {
      const k = probesFor(bitsPerKey);
      const bytes = Math.ceil((hashes.length * bitsPerKey) / 8);
      const m = bytes * 8;
      const expected = new Uint8Array(bytes + 1);
      for (const hash of hashes) {
        let h = hash >>> 0;
        const delta = ((h >>> 17) | (h << 15)) >>> 0;
        for (let probe = 0; probe < k; probe++) {
          expected[(h % m) >>> 3]! |= 1 << ((h % m) & 7);
          h = (h + delta) >>> 0;
        }
      }
      expected[bytes] = k;
      expect(buildBloom(hashes, bitsPerKey)).toEqual(expected);
    }
  });

  it('FalsePositiveRateAt10BitsPerKeyIsAbout1Percent', () => {
    const rate = falsePositiveRate(10);
    console.log(`bloom FPR at 10 bits/key over 10,000 absent keys: ${percent(rate)}`);
    expect(rate).toBeLessThanOrEqual(0.012);
    // A filter that always says "maybe" would pass the bound above only if it were never consulted.
    expect(rate).toBeGreaterThan(0);
  });

  it('NoFalseNegatives: every added key is a "maybe", at every bits-per-key', () => {
    for (const bitsPerKey of [1, 2, 5, 10, 15, 20, 64]) {
      const filter = buildBloom(
        PRESENT.map((key) => hash32(key)),
        bitsPerKey,
      );
      expect(PRESENT.every((key) => bloomMayContain(filter, key))).toBe(true);
    }
  });

  it('NoFalseNegatives for random binary keys (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 12 }), {
          maxLength: 200,
          selector: (k) => Buffer.from(k).toString('hex'),
        }),
        fc.integer({ min: 1, max: 30 }),
        (keys, bitsPerKey) => {
          const filter = buildBloom(
            keys.map((key) => hash32(key)),
            bitsPerKey,
          );
          for (const key of keys) expect(bloomMayContain(filter, key)).toBe(true);
        },
      ),
      { numRuns: 200, seed: 424242 },
    );
  });

  it('ProbesAreAbout0.69TimesBitsPerKey: 7 at 10', () => {
    expect(probesFor(10)).toBe(7);
    expect(probesFor(5)).toBe(3);
    expect(probesFor(15)).toBe(10);
    expect(probesFor(1)).toBe(1);
    expect(probesFor(0)).toBe(1);
    expect(probesFor(64)).toBe(30); // capped: more probes cost time and stop helping
  });

  it('FalsePositivesDropAsBitsPerKeyGrow: 5 > 10 > 15', () => {
    const [five, ten, fifteen] = [5, 10, 15].map(falsePositiveRate) as [number, number, number];
    console.log(`bloom FPR at 5 / 10 / 15 bits/key: ${percent(five)} / ${percent(ten)} / ${percent(fifteen)}`);
    expect(five).toBeGreaterThan(ten);
    expect(ten).toBeGreaterThan(fifteen);
    // Each step of 5 bits/key divides the rate by about 5 to 10 in theory; demand at least 2.
    expect(five).toBeGreaterThan(2 * ten);
    expect(ten).toBeGreaterThanOrEqual(2 * fifteen);
  });

  it('LayoutIsBitsThenK: the last byte is the probe count, the array is bitsPerKey x keys bits', () => {
    const hashes = PRESENT.slice(0, 1000).map((key) => hash32(key));
    for (const bitsPerKey of [5, 10, 15]) {
      const filter = buildBloom(hashes, bitsPerKey);
      expect(filter.at(-1)).toBe(probesFor(bitsPerKey));
      expect(filter.length).toBe(Math.ceil((1000 * bitsPerKey) / 8) + 1);
    }
    // A tiny filter still gets 64 bits, so that a table with two keys does not say "maybe" to everything.
    expect(buildBloom([hash32(utf8('a')), hash32(utf8('b'))], 10)).toHaveLength(9);
    expect(buildBloom([], 10)).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 7));
  });

  it('KIsReadFromTheFilter, and unknown encodings always say maybe', () => {
    const hashes = PRESENT.slice(0, 1000).map((key) => hash32(key));
    const filter = buildBloom(hashes, 10);
    const probe = ABSENT.slice(0, 1000);
    const noes = probe.filter((key) => !bloomMayContain(filter, key)).length;
    expect(noes).toBeGreaterThan(950);
    // With k changed to 1, the reader probes once per key: more keys get a maybe, none of the present ones a no.
    const oneProbe = filter.slice();
    oneProbe[oneProbe.length - 1] = 1;
    expect(probe.filter((key) => !bloomMayContain(oneProbe, key)).length).toBeLessThan(noes);
    expect(PRESENT.slice(0, 1000).every((key) => bloomMayContain(oneProbe, key))).toBe(true);
    // k > 30 is reserved: never say no to what cannot be read. Too short a filter says maybe too.
    const reserved = filter.slice();
    reserved[reserved.length - 1] = 31;
    expect(probe.every((key) => bloomMayContain(reserved, key))).toBe(true);
    expect(bloomMayContain(new Uint8Array(0), utf8('x'))).toBe(true);
    expect(bloomMayContain(Uint8Array.of(7), utf8('x'))).toBe(true);
  });

  it('Hash32IsStableAndSpreadsSimilarKeys', () => {
    // Stable: a filter written today must answer the same tomorrow.
    expect(hash32(utf8('user:1'))).toBe(hash32(utf8('user:1')));
    expect(hash32(new Uint8Array(0))).toBe(hash32(new Uint8Array(0)));
    const distinct = new Set(PRESENT.map((key) => hash32(key)));
    expect(distinct.size).toBeGreaterThan(9990);
    for (const length of [1, 2, 3, 4, 5, 7, 8, 9]) {
      // Every tail length (0..3 bytes after whole words) takes part in the hash.
      const a = new Uint8Array(length);
      const b = a.slice();
      b[length - 1] = 1;
      expect(hash32(a)).not.toBe(hash32(b));
    }
  });
});

describe('Bloom filters in the read path', () => {
  /** Six overlapping L0 tables (compaction off): key i lands in table i mod 6, so every range spans them all. */
  async function sixTables(bloomBitsPerKey: number) {
    const log = eventLog();
    const db = await LsmTree.open(new MemoryStorage(), {
      compaction: 'off',
      bloomBitsPerKey,
      blockSize: 256,
      onEvent: log.record,
    });
    for (let table = 0; table < 6; table++) {
      for (let i = table; i < 600; i += 6) await db.put(utf8(`key${pad(i)}`), utf8(`value${i}`));
      await db.flush();
    }
    const { tables } = await db.describe();
    expect(tables).toHaveLength(6);
    expect(tables.every((t) => t.level === 0 && t.smallest < Buffer.from('key0010').toString('hex'))).toBe(true);
    return { db, log };
  }

  /** Absent, but inside every table's key range: only a filter can rule a table out. */
  const absentKeys = Array.from({ length: 290 }, (_, i) => utf8(`key${pad(10 + 2 * i)}x`));

  it('ReadAmplificationWithBloomOnVsOff: absent keys read far fewer blocks', async () => {
    const results: Record<string, { blocks: number; tables: number; skips: number; perGet: number }> = {};
    for (const [name, bits] of [
      ['on', 10],
      ['off', 0],
    ] as const) {
      const { db } = await sixTables(bits);
      let blocks = 0;
      let tables = 0;
      let skips = 0;
      for (const key of absentKeys) {
        const found = await db.lookup(key);
        expect(found).toMatchObject({ value: undefined, source: null });
        blocks += found.blocksRead;
        tables += found.tablesChecked;
        skips += found.bloomSkips;
      }
      const stats = await db.stats();
      expect(stats.gets).toBe(absentKeys.length);
      results[name] = { blocks, tables, skips, perGet: stats.blocksPerGet };
    }
    const on = results.on!;
    const off = results.off!;
    console.log(
      `read amplification for 290 absent keys over 6 L0 tables: bloom on ${on.perGet.toFixed(3)} blocks/get (${on.blocks} blocks), bloom off ${off.perGet.toFixed(3)} blocks/get (${off.blocks} blocks)`,
    );
    // Both consider the same six tables per get; without filters each one costs a block read.
    expect(on.tables).toBe(6 * absentKeys.length);
    expect(off.tables).toBe(6 * absentKeys.length);
    expect(off.blocks).toBe(6 * absentKeys.length);
    expect(off.skips).toBe(0);
    expect(off.perGet).toBe(6);
    // With filters, a block is read only on a false positive: about 1 % of 1800 table checks.
    expect(on.skips + on.blocks).toBe(on.tables);
    expect(on.blocks).toBeLessThan(off.blocks / 20);
    expect(on.perGet).toBeLessThan(0.3);
  });

  it('PresentKeysStillReadTheirBlock, and the trace tells which filters said no', async () => {
    const { db, log } = await sixTables(10);
    const { tables } = await db.describe();
    for (let i = 0; i < 600; i += 37) {
      log.clear();
      const found = await db.lookup(utf8(`key${pad(i)}`));
      expect(text(found.value)).toBe(`value${i}`);
      // Table i mod 6 holds it; newer tables (tried first) hold other keys, and their filters rule them out.
      const holder = tables.findIndex((t) => t.file === found.source);
      expect(holder).toBe(5 - (i % 6));
      expect(found.blocksRead).toBeGreaterThanOrEqual(1);
      expect(found.blocksRead + found.bloomSkips).toBe(found.tablesChecked);
      const reads = log.of('read.sstable');
      expect(reads.at(-1)).toMatchObject({ file: found.source, found: 'value' });
      expect(reads.filter((e) => e.found === 'bloom-negative')).toHaveLength(found.bloomSkips);
    }
  });

  it('ExistingTablesKeepTheirFilter when bloomBitsPerKey changes at run time', async () => {
    const db = await LsmTree.open(new MemoryStorage(), { compaction: 'off', bloomBitsPerKey: 10 });
    const write = async (first: number) => {
      for (let i = first; i < 300; i += 4) await db.put(utf8(`key${pad(i)}`), utf8('v'));
      await db.flush();
    };
    await write(0);
    await write(1);
    await db.setOptions({ bloomBitsPerKey: 0 });
    expect(db.settings.bloomBitsPerKey).toBe(0);
    await write(2);
    await write(3);
    let skips = 0;
    let blocks = 0;
    for (let i = 4; i < 204; i++) {
      const found = await db.lookup(utf8(`key${pad(i)}z`));
      expect(found.tablesChecked).toBe(4);
      skips += found.bloomSkips;
      blocks += found.blocksRead;
    }
    // The two older tables have filters (nearly always "no"); the two newer ones have none (always a read).
    expect(skips).toBeGreaterThan(2 * 200 * 0.95);
    expect(skips).toBeLessThanOrEqual(2 * 200);
    expect(blocks).toBe(4 * 200 - skips);
  });
});
