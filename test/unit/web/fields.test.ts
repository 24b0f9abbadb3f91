// The hex inspector's parser (web/model/fields/) on real files written by the engine: every byte of a WAL, an
// SSTable (bloom filter on, compression off and on) and a manifest belongs to exactly one field, in order; keys
// carry their hex; a WAL cut at any byte ends in a torn field where recovery would cut it; no damage makes it throw.
import { describe, expect, it } from 'vitest';
import { type LsmOptions, LsmTree, MemoryStorage, toHex, utf8, WriteBatch } from '../../../engine';
import { SstableBuilder } from '../../../engine/sstable/builder';
import { describeFile, type Field } from '../../../web/model/fields';

/** A database on MemoryStorage with `puts` written; `flush` turns them into an SSTable. */
async function build(options: LsmOptions, puts: Array<[string, string]>, flush: boolean) {
  const storage = new MemoryStorage();
  const db = await LsmTree.open(storage, { memtableBytes: 1 << 20, ...options });
  for (const [key, value] of puts) await db.put(utf8(key), utf8(value));
  if (flush) await db.flush();
  const files = await storage.list();
  const named = (pattern: RegExp) => files.filter((name) => pattern.test(name)).sort();
  return { storage, db, wal: named(/\.log$/).at(-1)!, tables: named(/\.sst$/), manifest: named(/^MANIFEST-/).at(-1)! };
}

/** Fields start at 0, each starts where the last ended, none is empty, the last ends at the end of the file. */
function expectTiling(fields: Field[], size: number, what = ''): void {
  let at = 0;
  const wrong: string[] = [];
  for (const field of fields) {
    if (field.start !== at || field.end <= field.start || field.label.length === 0) {
      wrong.push(`${field.kind} [${field.start}, ${field.end}) "${field.label}" after byte ${at}`);
    }
    at = field.end;
  }
  if (at !== size) wrong.push(`fields end at ${at}, the file at ${size}`);
  expect(wrong, what).toEqual([]);
}

/**
 * A selection returns exactly the fields of the whole description that it admits: a page, one key's places, the
 * ranges that look wrong.
 */
function expectSelections(name: string, bytes: Uint8Array, all: Field[], seed: number): void {
  const from = (seed * 37) % Math.max(1, bytes.length);
  const to = from + 1 + ((seed * 11) % 80);
  expect(describeFile(name, bytes, { from, to }), `${name} [${from}, ${to})`).toEqual(
    all.filter((f) => f.end > from && f.start < to),
  );
  const key = all.find((f) => f.keyHex !== undefined && f.kind === (seed % 2 ? 'key' : 'index-key'))?.keyHex ?? '00';
  expect(describeFile(name, bytes, { key }), `${name} key ${key}`).toEqual(all.filter((f) => f.keyHex === key));
  expect(describeFile(name, bytes, { problems: true }), `${name} problems`).toEqual(
    all.filter((f) => f.problem || f.kind === 'torn' || f.kind === 'unparsed'),
  );
}

function expectClean(fields: Field[]): void {
  expect(fields.filter((f) => f.kind === 'unparsed' || f.kind === 'torn' || f.problem)).toEqual([]);
}

const keyHex = (key: string) => toHex(utf8(key));
const users = (count: number, value: (i: number) => string): Array<[string, string]> =>
  Array.from({ length: count }, (_, i) => [`user:${String(i).padStart(3, '0')}`, value(i)]);

describe('WAL', () => {
  it('names every byte of the README record: checksum, length, op, sequence, key length, key, value length, value', async () => {
    const { storage, wal } = await build({}, [['user:1', 'Ada']], false);
    const bytes = storage.snapshot(wal);
    expect(bytes.length).toBe(34);
    const fields = describeFile(wal, bytes);
    expectTiling(fields, 34);
    expectClean(fields);
    expect(fields.map((f) => [f.kind, f.start, f.end])).toEqual([
      ['checksum', 0, 4],
      ['length', 4, 8],
      ['op', 8, 9],
      ['sequence', 9, 17],
      ['key-length', 17, 21],
      ['key', 21, 27],
      ['value-length', 27, 31],
      ['value', 31, 34],
    ]);
    expect(new Set(fields.map((f) => f.group))).toEqual(new Set(['record 0']));
    const key = fields.find((f) => f.kind === 'key')!;
    expect(key.keyHex).toBe(keyHex('user:1'));
    expect(key.label).toBe('key of record 0: user:1');
    expect(fields.find((f) => f.kind === 'op')!.label).toContain('put');
    expect(fields.find((f) => f.kind === 'sequence')!.label).toContain(': 1');
    expect(fields.find((f) => f.kind === 'length')!.label).toContain('26 bytes');
    expect(fields.find((f) => f.kind === 'value')!.label).toContain('Ada');
    expect(fields.find((f) => f.kind === 'checksum')!.label).toContain('matches');
  });

  it('covers a WAL of puts and deletes, one record after another, every key with its hex', async () => {
    const { storage, db, wal } = await build(
      {},
      users(20, (i) => `value ${i}`),
      false,
    );
    await db.delete(utf8('user:004'));
    await db.put(utf8('\u00e9t\u00e9'), new Uint8Array([0, 1, 2]));
    const bytes = storage.snapshot(wal);
    const fields = describeFile(wal, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    expect(fields.filter((f) => f.kind === 'checksum')).toHaveLength(22);
    const keys = fields.filter((f) => f.kind === 'key');
    expect(keys.map((f) => f.keyHex)).toEqual([
      ...users(20, String).map(([key]) => keyHex(key)),
      keyHex('user:004'),
      keyHex('\u00e9t\u00e9'),
    ]);
    for (const key of keys) expect(toHex(bytes.subarray(key.start, key.end))).toBe(key.keyHex);
    const tombstone = fields.filter((f) => f.group === 'record 20');
    expect(tombstone.find((f) => f.kind === 'op')!.label).toContain('delete');
    expect(tombstone.find((f) => f.kind === 'value')).toBeUndefined();
    expect(tombstone.find((f) => f.kind === 'value-length')!.label).toContain(': 0 bytes');
  });

  it('names every field of a write batch record: one op, first sequence, count, then op, key and value per write', async () => {
    const { storage, db, wal } = await build({}, [['before', 'x']], false);
    await db.write(new WriteBatch().put(utf8('a'), utf8('1')).delete(utf8('b')).put(utf8('c'), utf8('22')));
    const bytes = storage.snapshot(wal);
    const fields = describeFile(wal, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    const batch = fields.filter((f) => f.group === 'record 1');
    expect(batch.map((f) => f.kind)).toEqual([
      ...['checksum', 'length', 'op', 'sequence', 'entry-count'],
      ...['op', 'key-length', 'key', 'value-length', 'value'],
      ...['op', 'key-length', 'key', 'value-length'],
      ...['op', 'key-length', 'key', 'value-length', 'value'],
    ]);
    expect(batch[2]!.label).toContain('batch');
    expect(batch[3]!.label).toContain(': 2');
    expect(batch[4]!.label).toContain('writes in the batch: 3');
    expect(batch.filter((f) => f.kind === 'key').map((f) => f.keyHex)).toEqual(['a', 'b', 'c'].map(keyHex));
  });

  it('ends a WAL cut at any byte with a torn field from the start of the record the cut went through', async () => {
    const { storage, wal } = await build(
      {},
      users(4, (i) => 'v'.repeat(i * 5)),
      false,
    );
    const bytes = storage.snapshot(wal);
    const starts = describeFile(wal, bytes)
      .filter((f) => f.kind === 'checksum')
      .map((f) => f.start);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const fields = describeFile(wal, bytes.subarray(0, cut));
      expectTiling(fields, cut, `cut at ${cut}`);
      const recordStart = starts.filter((start) => start <= cut).at(-1)!;
      const last = fields.at(-1);
      if (cut === recordStart || cut === bytes.length) {
        expect(fields.some((f) => f.kind === 'torn')).toBe(false);
      } else {
        expect(last?.kind, `cut at ${cut}`).toBe('torn');
        expect(last?.start).toBe(recordStart);
        expect(last?.label).toContain(`torn tail at byte ${recordStart}`);
        expect(fields.slice(0, -1).filter((f) => f.kind === 'unparsed' || f.kind === 'torn')).toEqual([]);
      }
    }
  });

  it('flags the checksum of a record whose payload byte was flipped, and carries on with the next record', async () => {
    const { storage, wal } = await build(
      {},
      users(3, () => 'Grace'),
      false,
    );
    const bytes = storage.snapshot(wal);
    const record = describeFile(wal, bytes).filter((f) => f.group === 'record 1');
    const value = record.find((f) => f.kind === 'value')!;
    bytes[value.start] = bytes[value.start]! ^ 0x20;
    const fields = describeFile(wal, bytes);
    expectTiling(fields, bytes.length);
    const checksum = fields.find((f) => f.group === 'record 1' && f.kind === 'checksum')!;
    expect(checksum.problem).toContain('corrupt');
    expect(fields.filter((f) => f.group === 'record 2' && f.kind === 'key')).toHaveLength(1);
  });

  it('calls damaged bytes with a valid record after them unparsed, not torn', async () => {
    const { storage, wal } = await build(
      {},
      users(3, () => 'Grace'),
      false,
    );
    const bytes = storage.snapshot(wal);
    const length = describeFile(wal, bytes).find((f) => f.group === 'record 1' && f.kind === 'length')!;
    bytes[length.start + 3] = 0x7f; // a length of ~2 GiB: record 1 no longer fits, record 2 is still whole
    const fields = describeFile(wal, bytes);
    expectTiling(fields, bytes.length);
    const damaged = fields.find((f) => f.kind === 'unparsed')!;
    expect(damaged.start).toBe(length.start - 4);
    expect(damaged.label).toContain('corruption');
    expect(fields.some((f) => f.kind === 'torn')).toBe(false);
    expect(fields.filter((f) => f.kind === 'key')).toHaveLength(2);
  });
});

describe('SSTable', () => {
  it('names data blocks, index, bloom filter, footer and trailer (filter on, compression off)', async () => {
    const puts = users(40, (i) => `value number ${i}`);
    const { storage, db, tables } = await build({ blockSize: 256, bloomBitsPerKey: 10 }, puts, true);
    expect(tables).toHaveLength(1);
    const name = tables[0]!;
    const bytes = storage.snapshot(name);
    const fields = describeFile(name, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    const meta = (await db.describe()).tables.find((t) => t.file === name)!;
    const groups = [...new Set(fields.map((f) => f.group))];
    const dataGroups = Array.from({ length: meta.blocks }, (_, i) => `data block ${i}`);
    expect(meta.blocks).toBeGreaterThan(3);
    expect(groups).toEqual([...dataGroups, 'index block', 'filter block', 'footer', 'trailer']);
    const inData = fields.filter((f) => f.group.startsWith('data block'));
    // Prefix-compressed blocks: a key is stored whole at a restart point (a key field), else only its unshared bytes,
    // labelled with the whole key rebuilt from the one before.
    const keyFields = inData.filter((f) => f.kind === 'key' || f.kind === 'key-suffix');
    expect(keyFields).toHaveLength(puts.length);
    for (const [i, f] of keyFields.entries()) expect(f.label).toContain(puts[i]![0]);
    expect(inData.filter((f) => f.kind === 'key').map((f) => f.keyHex)).toEqual(
      fields.filter((f) => f.kind === 'index-key').map((f) => f.keyHex),
    );
    expect(inData.filter((f) => f.kind === 'restart-count')).toHaveLength(meta.blocks);
    const firstKeys = fields.filter((f) => f.kind === 'index-key');
    expect(firstKeys).toHaveLength(meta.blocks);
    expect(firstKeys[0]!.keyHex).toBe(keyHex('user:000'));
    expect(firstKeys[0]!.label).toBe('first key of data block 0: user:000');
    expect(fields.filter((f) => f.kind === 'block-type' || f.kind === 'checksum')).toHaveLength(
      2 * (meta.blocks + 2) + 1,
    );
    expect(fields.find((f) => f.kind === 'bloom-bits')!.label).toContain('400 bits');
    expect(fields.find((f) => f.kind === 'bloom-k')!.label).toContain(': 7');
    const footerKeys = fields.filter((f) => f.group === 'footer' && f.kind === 'key');
    expect(footerKeys.map((f) => f.keyHex)).toEqual([keyHex('user:000'), keyHex('user:039')]);
    expect(fields.at(-1)).toMatchObject({ kind: 'trailer-magic', start: bytes.length - 4, group: 'trailer' });
    for (const field of fields.filter((f) => f.keyHex)) {
      // A prefix-compressed key's stored bytes are its end; the field names the whole key.
      if (field.kind === 'key-suffix')
        expect(field.keyHex!.endsWith(toHex(bytes.subarray(field.start, field.end)))).toBe(true);
      else expect(toHex(bytes.subarray(field.start, field.end))).toBe(field.keyHex);
    }
  });

  it('labels shared and unshared key bytes and the restart array of a prefix-compressed block', async () => {
    const puts = users(10, (i) => `v${i}`);
    const { storage, tables } = await build({ restartInterval: 4 }, puts, true);
    const bytes = storage.snapshot(tables[0]!);
    const fields = describeFile(tables[0]!, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    expect(fields.find((f) => f.kind === 'version')!.label).toContain('2 (prefix-compressed');
    const block = fields.filter((f) => f.group === 'data block 0');
    // Restart points at entries 0, 4, 8: their keys whole, the others' after the bytes they share.
    expect(block.filter((f) => f.kind === 'key').map((f) => f.label)).toEqual([
      'key of entry 0 (restart point 0), stored whole: user:000',
      'key of entry 4 (restart point 1), stored whole: user:004',
      'key of entry 8 (restart point 2), stored whole: user:008',
    ]);
    const suffixes = block.filter((f) => f.kind === 'key-suffix');
    expect(suffixes).toHaveLength(7);
    expect(suffixes[0]!.label).toBe('key of entry 1: user:001, its first 7 bytes (user:00) from the key before');
    expect(suffixes[0]!.end - suffixes[0]!.start).toBe(1);
    // Asked for user:001's places, the inspector finds its stored byte (and nothing else holds it).
    expect(describeFile(tables[0]!, bytes, { key: keyHex('user:001') })).toEqual([suffixes[0]]);
    expect(suffixes[0]!.keyHex).toBe(keyHex('user:001'));
    const shared = block.filter((f) => f.kind === 'shared-length').map((f) => f.label);
    expect(shared[1]).toBe('key bytes of entry 1 shared with the key before: 7');
    expect(block.filter((f) => f.kind === 'restart-offset').map((f) => f.label)).toEqual([
      expect.stringMatching(/^restart point 0: the entry at byte 0 of/),
      expect.stringMatching(/^restart point 1: the entry at byte \d+ of/),
      expect.stringMatching(/^restart point 2: the entry at byte \d+ of/),
    ]);
    expect(block.at(-3)!.label).toMatch(/^restart points in data block 0: 3/);
  });

  it('still names a version 1 table: whole keys and an entry count', async () => {
    const storage = new MemoryStorage();
    const file = await storage.open('000005.sst', { create: true });
    const builder = new SstableBuilder(file, '000005.sst', {
      blockSize: 4096,
      bloomBitsPerKey: 0,
      compression: 'none',
      formatVersion: 1,
    });
    for (const [i, [key, value]] of users(5, (n) => `v${n}`).entries()) {
      builder.add({ op: 'put', seq: i + 1, key: utf8(key), value: utf8(value) });
    }
    builder.finish();
    const bytes = storage.snapshot('000005.sst');
    const fields = describeFile('000005.sst', bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    expect(fields.find((f) => f.kind === 'version')!.label).toContain('1 (data blocks of whole entries)');
    const block = fields.filter((f) => f.group === 'data block 0');
    expect(block.filter((f) => f.kind === 'key')).toHaveLength(5);
    expect(block.filter((f) => f.kind === 'key-suffix' || f.kind === 'restart-count')).toHaveLength(0);
    expect(block.at(-3)!.label).toBe('entries in data block 0: 5');
  });

  it('labels deflate-compressed data blocks as compressed bodies and still covers every byte', async () => {
    const puts = users(60, (i) => `value ${i % 3}: ${'the quick brown fox jumps over the lazy dog '.repeat(3)}`);
    const { storage, tables } = await build({ blockSize: 512, compression: 'deflate' }, puts, true);
    const name = tables[0]!;
    const bytes = storage.snapshot(name);
    const fields = describeFile(name, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    const compressed = fields.filter((f) => f.kind === 'compressed');
    expect(compressed.length).toBeGreaterThan(1);
    expect(compressed[0]!.label).toMatch(
      /compressed block body: \d+ bytes of deflate; inflates to \d+ bytes holding \d+ entries/,
    );
    expect(fields.filter((f) => f.kind === 'block-type' && f.label.includes('deflate-compressed')).length).toBe(
      compressed.length,
    );
    expect(fields.filter((f) => f.kind === 'index-key')[0]!.keyHex).toBe(keyHex('user:000'));
  });

  it('has no filter block when the bloom filter is off', async () => {
    const { storage, tables } = await build(
      { bloomBitsPerKey: 0 },
      users(5, () => 'x'),
      true,
    );
    const fields = describeFile(tables[0]!, storage.snapshot(tables[0]!));
    expectClean(fields);
    expect(fields.some((f) => f.group === 'filter block')).toBe(false);
    expect(fields.find((f) => f.label.startsWith('filter block length'))!.label).toContain('no bloom filter');
  });

  it('flags the checksum of a damaged data block, and calls an SSTable cut before its trailer unparsed', async () => {
    const { storage, tables } = await build(
      { blockSize: 128 },
      users(10, () => 'Barbara'),
      true,
    );
    const bytes = storage.snapshot(tables[0]!);
    const value = describeFile(tables[0]!, bytes).find((f) => f.kind === 'value')!;
    bytes[value.start] = bytes[value.start]! ^ 1;
    const fields = describeFile(tables[0]!, bytes);
    expectTiling(fields, bytes.length);
    expect(fields.find((f) => f.group === 'data block 0' && f.kind === 'checksum')!.problem).toContain(
      'does not match',
    );
    const cut = describeFile(tables[0]!, bytes.subarray(0, bytes.length - 30));
    expectTiling(cut, bytes.length - 30);
    expect(cut.some((f) => f.kind === 'unparsed')).toBe(true);
    expect(cut.find((f) => f.kind === 'trailer-magic')!.problem).toContain('LSMT');
  });
});

describe('manifest', () => {
  it('names every field of every version edit: counters, added tables with their keys, removed tables', async () => {
    const { storage, db } = await build(
      { compaction: 'off' },
      users(6, () => 'a'),
      true,
    );
    await db.put(utf8('zebra'), utf8('z'));
    await db.flush();
    await db.setOptions({ compaction: 'leveled', l0Trigger: 2, dynamicLevelBytes: false });
    await db.compact();
    const manifest = (await storage.list()).find((name) => name.startsWith('MANIFEST-'))!;
    const bytes = storage.snapshot(manifest);
    const fields = describeFile(manifest, bytes);
    expectTiling(fields, bytes.length);
    expectClean(fields);
    const records = new Set(fields.map((f) => f.group));
    expect(records.size).toBeGreaterThanOrEqual(4);
    expect(fields.filter((f) => f.kind === 'checksum')).toHaveLength(records.size);
    expect(fields.some((f) => f.label.startsWith('log number: '))).toBe(true);
    expect(fields.some((f) => f.label.startsWith('removed table 0: file number'))).toBe(true);
    expect(fields.some((f) => f.kind === 'level' && f.label.endsWith(': L1'))).toBe(true);
    const keys = fields.filter((f) => f.kind === 'key');
    expect(keys.map((f) => f.keyHex)).toContain(keyHex('zebra'));
    expect(keys.find((f) => f.keyHex === keyHex('user:000'))!.label).toMatch(
      /^smallest key of added table \d: user:000$/,
    );
  });
});

describe('selections', () => {
  it('returns one page, the places of one key, or what looks wrong, exactly as the whole description has them', async () => {
    const puts = users(30, (i) => `value ${i}`);
    const { storage, db, wal, tables } = await build({ blockSize: 128 }, puts, true);
    await db.put(utf8('user:007'), utf8('again'));
    const manifest = (await storage.list()).find((name) => name.startsWith('MANIFEST-'))!;
    for (const name of [wal, tables[0]!, manifest]) {
      const bytes = storage.snapshot(name);
      const all = describeFile(name, bytes);
      for (let seed = 0; seed < 40; seed++) expectSelections(name, bytes, all, seed);
    }
    const walBytes = storage.snapshot(wal);
    const places = describeFile(wal, walBytes, { key: keyHex('user:007') });
    expect(places).toEqual([
      expect.objectContaining({ kind: 'key', start: 21, end: 29, label: 'key of record 0: user:007' }),
    ]);
    const table = describeFile(tables[0]!, storage.snapshot(tables[0]!), { key: keyHex('user:000') });
    expect(table.map((f) => [f.group, f.kind])).toEqual([
      ['data block 0', 'key'],
      ['index block', 'index-key'],
      ['footer', 'key'],
    ]);
    expect(describeFile(wal, walBytes.subarray(0, 30), { problems: true })).toEqual([
      expect.objectContaining({ kind: 'torn', start: 0, end: 30 }),
    ]);
  });
});

describe('damage', () => {
  it('never throws and always tiles the file, whichever byte of a WAL, an SSTable or a manifest is flipped', async () => {
    const { storage, wal, tables, manifest } = await build(
      { blockSize: 200, compression: 'deflate' },
      users(12, (i) => `${'abc'.repeat(i)}`),
      true,
    );
    const { storage: walStorage, wal: walName } = await build(
      {},
      users(6, (i) => `v${i}`),
      false,
    );
    const files: Array<[string, Uint8Array]> = [
      [walName, walStorage.snapshot(walName)],
      [tables[0]!, storage.snapshot(tables[0]!)],
      [manifest, storage.snapshot(manifest)],
      [wal, storage.snapshot(wal)],
    ];
    for (const [name, original] of files) {
      for (let at = 0; at < original.length; at++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const damaged = original.slice();
          damaged[at] = damaged[at]! ^ mask;
          const fields = describeFile(name, damaged);
          expectTiling(fields, damaged.length, `${name}, byte ${at} ^ ${mask}`);
          if (at % 7 === 0) expectSelections(name, damaged, fields, at);
        }
      }
    }
    // Thousands of damaged copies: seconds of work, more on a shared machine.
  }, 60_000);

  it('handles empty files, stray names and random bytes', () => {
    expect(describeFile('000001.log', new Uint8Array(0))).toEqual([]);
    const stray = describeFile('notes.txt', utf8('hello'));
    expect(stray).toEqual([expect.objectContaining({ kind: 'unparsed', start: 0, end: 5 })]);
    let seed = 7;
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: round * 3 }, () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed >>> 24;
      });
      for (const name of ['000002.log', '000003.sst', 'MANIFEST-000001']) {
        expectTiling(describeFile(name, bytes), bytes.length);
      }
    }
  });
});
