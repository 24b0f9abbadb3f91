// Crash safety 5: decoder fuzzing with fast-check. Random bytes, and valid files mutated (bits flipped, bytes
// overwritten, cut short, grown), are fed to every decoder that reads what storage holds:
//  - the framed-log reader (log/reader.ts readLog), for WALs and manifests, and the entry and edit decoders
//    behind it on every record it returns;
//  - decodeEdit (manifest/edit.ts) on manifest payloads;
//  - SstableReader.open, then point reads and a full scanFrom, over a MemoryStorage file (sstable/reader.ts);
//  - unframeBlock (sstable/block.ts) on raw and deflate blocks.
// Mutated SSTables and blocks are also fed re-sealed: every checksum recomputed after the mutation,
// so that the parsers behind the checksums see the damage too. The only failure allowed is an LsmError
// 'corruption'; anything else thrown, or an input taking longer than PER_INPUT_MS, fails the run. fast-check's
// interruptAfterTimeLimit (failing on interrupt) bounds each decoder's whole run as well.
//
// Default: 2,000 inputs per decoder, seed LSM_FUZZ_SEED or a fixed one. Long run (25,000 per decoder, 100,000 in
// all, a fresh seed unless LSM_FUZZ_SEED is set):
//   LSM_CRASH_LONG=1 npx vitest run --project unit test/unit/crash
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, MemoryStorage } from '../../../engine';
import { crc32c } from '../../../engine/codec/crc32c';
import { decodeEntry, type Entry, encodeEntry, entrySize } from '../../../engine/codec/entry';
import { frameRecord } from '../../../engine/log/format';
import { readLog } from '../../../engine/log/reader';
import { decodeEdit, encodeEdit, type VersionEdit } from '../../../engine/manifest/edit';
import { frameBlock, unframeBlock } from '../../../engine/sstable/block';
import { SstableBuilder } from '../../../engine/sstable/builder';
import { SstableReader } from '../../../engine/sstable/reader';
import { CRASH_LONG, figure } from '../support/crash';

const RUNS = CRASH_LONG ? 25_000 : 2_000;
const SEED = process.env.LSM_FUZZ_SEED
  ? Number(process.env.LSM_FUZZ_SEED)
  : CRASH_LONG
    ? (Date.now() ^ 0xf022) >>> 0
    : 20_240_604;
/** One input taking this long is a hang, whatever the machine's load. */
const PER_INPUT_MS = 5_000;
const TIME_LIMIT_MS = CRASH_LONG ? 1_200_000 : 60_000;

interface Outcomes {
  inputs: number;
  clean: number;
  corruption: number;
  slowestMs: number;
}
const results = new Map<string, Outcomes>();
/** How the logs readLog was given end, by its own account (it reports damage instead of throwing). */
const endings = { clean: 0, torn: 0, corrupt: 0 };

/**
 * Runs one decoder on one input: a clean result or LsmError('corruption') counts; anything else thrown fails the
 * property (fast-check then shrinks it and prints the seed and path to replay it).
 */
function decode(name: string, run: () => void): void {
  const outcomes = results.get(name) ?? { inputs: 0, clean: 0, corruption: 0, slowestMs: 0 };
  results.set(name, outcomes);
  outcomes.inputs++;
  const started = performance.now();
  try {
    run();
    outcomes.clean++;
  } catch (error) {
    if (!(error instanceof LsmError) || error.code !== ErrorCode.Corruption) {
      throw new Error(`${name} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    outcomes.corruption++;
  }
  const elapsed = performance.now() - started;
  outcomes.slowestMs = Math.max(outcomes.slowestMs, elapsed);
  if (elapsed > PER_INPUT_MS) throw new Error(`${name} took ${elapsed.toFixed(0)} ms on one input`);
}

function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  fc.assert(fc.property(arbitrary, predicate), {
    numRuns: RUNS,
    seed: SEED,
    plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true })],
  });
}

// --- mutations of valid bytes ----------------------------------------------------------------------------------

type Edit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; bytes: Uint8Array }
  | { kind: 'cut'; at: number }
  | { kind: 'grow'; bytes: Uint8Array };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('grow' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
);

/** `at` positions wrap around the current length, so every edit lands somewhere. */
function mutate(valid: Uint8Array, edits: Edit[]): Uint8Array {
  let bytes = valid.slice();
  for (const e of edits) {
    if (e.kind === 'grow') {
      const grown = new Uint8Array(bytes.length + e.bytes.length);
      grown.set(bytes);
      grown.set(e.bytes, bytes.length);
      bytes = grown;
    } else if (bytes.length > 0) {
      const at = e.at % bytes.length;
      if (e.kind === 'flip') bytes[at]! ^= 1 << e.bit;
      else if (e.kind === 'set') bytes.set(e.bytes.subarray(0, bytes.length - at), at);
      else bytes = bytes.slice(0, at);
    }
  }
  return bytes;
}

const edits = fc.array(edit, { minLength: 1, maxLength: 4 });
/** In place only (no cut, no growth), for inputs whose checksums are re-sealed: they keep their layout. */
const inPlaceEdits = fc.array(
  edit.filter((e) => e.kind === 'flip' || e.kind === 'set'),
  { minLength: 1, maxLength: 3 },
);

// --- valid samples ---------------------------------------------------------------------------------------------

const keyBytes = fc.uint8Array({ minLength: 1, maxLength: 12 });

const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  fc.record({
    op: fc.constant('put' as const),
    seq: fc.nat(),
    key: keyBytes,
    value: fc.uint8Array({ maxLength: 40 }),
  }),
  fc.record({
    op: fc.constant('delete' as const),
    seq: fc.nat(),
    key: keyBytes,
    value: fc.constant(new Uint8Array(0)),
  }),
);

const u32 = fc.nat({ max: 0xffff_ffff });
const editArb: fc.Arbitrary<VersionEdit> = fc.record({
  logNumber: u32,
  nextFileNumber: u32,
  lastSequence: fc.nat(),
  added: fc
    .array(
      fc.record({
        file: fc.constant(''),
        number: fc.nat({ max: 999_999 }),
        level: fc.nat(6),
        size: u32,
        entries: u32,
        blocks: u32,
        dataBytes: u32,
        smallest: keyBytes,
        largest: keyBytes,
        smallestSeq: fc.nat(),
        largestSeq: fc.nat(),
      }),
      { maxLength: 4 },
    )
    .map((tables) => tables.map((t) => ({ ...t, file: `${String(t.number).padStart(6, '0')}.sst` }))),
  removed: fc.array(u32, { maxLength: 6 }),
});

function walBytes(entries: Entry[]): Uint8Array {
  return concat(
    entries.map((e) => {
      const payload = new Uint8Array(entrySize(e.key.length, e.value.length));
      encodeEntry(e, payload, 0);
      return frameRecord(payload);
    }),
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const storage = new MemoryStorage();
const SST = '000009.sst';

/** Entries sorted by key, keys unique: what a builder accepts. */
function sortedUnique(entries: Entry[]): Entry[] {
  const byKey = new Map<string, Entry>();
  for (const e of entries) byKey.set(Buffer.from(e.key).toString('hex'), e);
  return [...byKey.values()].sort((a, b) => Buffer.compare(a.key, b.key));
}

async function sstBytes(entries: Entry[], options: { blockSize: number; bloom: boolean; deflate: boolean }) {
  const file = await storage.open('build.sst', { create: true });
  file.truncate(0);
  const builder = new SstableBuilder(file, 'build.sst', {
    blockSize: options.blockSize,
    bloomBitsPerKey: options.bloom ? 10 : 0,
    compression: options.deflate ? 'deflate' : 'none',
  });
  for (const e of entries) builder.add(e);
  builder.finish();
  const bytes = new Uint8Array(file.getSize());
  file.read(bytes, { at: 0 });
  file.close();
  return bytes;
}

/** Where a valid SSTable's checksummed parts lie: its framed blocks, and its footer. */
function sstLayout(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trailerAt = bytes.length - 16;
  const footerLength = view.getUint32(trailerAt + 4, true);
  const footerAt = trailerAt - footerLength;
  const indexAt = view.getUint32(footerAt, true);
  const indexLength = view.getUint32(footerAt + 4, true);
  const filterAt = view.getUint32(footerAt + 8, true);
  const filterLength = view.getUint32(footerAt + 12, true);
  const frames = [{ at: indexAt, length: indexLength }];
  if (filterLength > 0) frames.push({ at: filterAt, length: filterLength });
  const body = unframeBlock(bytes.subarray(indexAt, indexAt + indexLength), SST, indexAt, 'index');
  const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = bodyView.getUint32(body.length - 4, true);
  for (let i = 0, p = 0; i < count; i++) {
    const keyLength = bodyView.getUint32(p, true);
    p += 4 + keyLength;
    frames.push({ at: bodyView.getUint32(p, true), length: bodyView.getUint32(p + 4, true) });
    p += 8;
  }
  return { frames, footer: { at: footerAt, length: footerLength }, trailerAt };
}

/** Recomputes, in place, every checksum of the layout: block checksums, then the footer's. */
function reseal(bytes: Uint8Array, layout: ReturnType<typeof sstLayout>): void {
  const fits = (at: number, length: number) => at + length <= bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const { at, length } of layout.frames) {
    if (length >= 5 && fits(at, length))
      view.setUint32(at + length - 4, crc32c(bytes.subarray(at, at + length - 4)), true);
  }
  const { at, length } = layout.footer;
  if (fits(at, length) && fits(layout.trailerAt, 4)) {
    view.setUint32(layout.trailerAt, crc32c(bytes.subarray(at, at + length)), true);
  }
}

function resealBlock(bytes: Uint8Array): void {
  if (bytes.length < 5) return;
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(
    bytes.length - 4,
    crc32c(bytes.subarray(0, bytes.length - 4)),
    true,
  );
}

afterAll(() => {
  const total = [...results.values()].reduce((n, o) => n + o.inputs, 0);
  console.log(
    `fuzz: ${figure(total)} inputs in all (${[...results].map(([name, o]) => `${name} ${figure(o.inputs)}`).join(', ')}), seed ${SEED}; only LsmError 'corruption' or a clean result, no input over ${PER_INPUT_MS} ms`,
  );
});

function line(name: string): string {
  const o = results.get(name)!;
  return `fuzz ${name}: ${figure(o.inputs)} inputs (a result ${figure(o.clean)}, LsmError corruption ${figure(o.corruption)}, anything else 0, slowest ${o.slowestMs.toFixed(1)} ms), seed ${SEED}`;
}

describe('Decoders take any bytes: a result or LsmError corruption, nothing else, never a hang', () => {
  it(
    'ReadLogOnRandomAndMutatedLogs: WAL and manifest framing, entries and edits behind it',
    () => {
      const validLog = fc.oneof(
        fc.array(entryArb, { maxLength: 8 }).map(walBytes),
        fc
          .array(editArb, { minLength: 1, maxLength: 4 })
          .map((list) => concat(list.map((e) => frameRecord(encodeEdit(e))))),
      );
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.tuple(validLog, edits).map(([v, e]) => mutate(v, e)),
      );
      check(input, (bytes) => {
        decode('readLog', () => {
          const { records, ending } = readLog(bytes);
          endings[ending.kind]++;
          // What it says must hold together: records in order inside the file, and an ending that accounts for
          // the rest of it.
          let at = 0;
          for (const r of records) {
            expect(r.offset).toBe(at);
            expect(r.payload.length).toBe(r.length - 8);
            at += r.length;
            decodeEntry(r.payload, 0, r.payload.length); // the WAL's view of a record: undefined or an entry
            try {
              decodeEdit(r.payload, 'MANIFEST-000001', r.offset + 8); // the manifest's view
            } catch (error) {
              if (!(error instanceof LsmError) || error.code !== ErrorCode.Corruption) throw error;
            }
          }
          if (ending.kind === 'clean') expect(at).toBe(bytes.length);
          else if (ending.kind === 'torn')
            expect([ending.offset, ending.offset + ending.droppedBytes]).toEqual([at, bytes.length]);
          else expect(ending.offset).toBe(at);
        });
      });
      console.log(
        `${line('readLog')}; logs ending clean ${figure(endings.clean)}, in a torn tail ${figure(endings.torn)}, in corruption ${figure(endings.corrupt)}`,
      );
      expect(results.get('readLog')!.inputs).toBe(RUNS);
    },
    TIME_LIMIT_MS + 10_000,
  );

  it(
    'DecodeEditOnRandomAndMutatedPayloads: and a valid payload decodes to the edit it encodes',
    () => {
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes, original: undefined })),
        fc.tuple(editArb, edits).map(([e, m]) => ({ bytes: mutate(encodeEdit(e), m), original: undefined })),
        editArb.map((e) => ({ bytes: encodeEdit(e), original: e })),
      );
      check(input, ({ bytes, original }) => {
        decode('decodeEdit', () => {
          const decoded = decodeEdit(bytes, 'MANIFEST-000001', 8);
          if (original) {
            expect(decoded).toEqual(original);
          }
        });
      });
      console.log(line('decodeEdit'));
      expect(results.get('decodeEdit')!.inputs).toBe(RUNS);
    },
    TIME_LIMIT_MS + 10_000,
  );

  it(
    'SstableReaderOnRandomAndMutatedTables: open, point reads and a full scan',
    async () => {
      // A few valid tables, built once: raw and deflate blocks, bloom filter on and off, one block and many.
      const samples: Array<{ bytes: Uint8Array; layout: ReturnType<typeof sstLayout>; keys: Uint8Array[] }> = [];
      const entrySets = fc.sample(fc.array(entryArb, { minLength: 1, maxLength: 30 }), { numRuns: 6, seed: SEED });
      for (const [i, list] of entrySets.entries()) {
        const sorted = sortedUnique(list);
        const bytes = await sstBytes(sorted, {
          blockSize: [32, 128, 4096][i % 3]!,
          bloom: i % 2 === 0,
          deflate: i >= 3,
        });
        samples.push({ bytes, layout: sstLayout(bytes), keys: sorted.map((e) => e.key) });
      }
      const file = await storage.open(SST, { create: true });
      const input = fc.oneof(
        fc
          .tuple(fc.uint8Array({ maxLength: 400 }), fc.array(keyBytes, { maxLength: 3 }))
          .map(([bytes, keys]) => ({ bytes, keys })),
        fc
          .tuple(fc.nat(samples.length - 1), edits, fc.array(keyBytes, { maxLength: 2 }))
          .map(([i, m, extra]) => ({ bytes: mutate(samples[i]!.bytes, m), keys: [...samples[i]!.keys, ...extra] })),
        fc
          .tuple(fc.nat(samples.length - 1), inPlaceEdits, fc.array(keyBytes, { maxLength: 2 }))
          .map(([i, m, extra]) => {
            const sample = samples[i]!;
            const bytes = mutate(sample.bytes, m);
            reseal(bytes, sample.layout);
            return { bytes, keys: [...sample.keys, ...extra] };
          }),
      );
      check(input, ({ bytes, keys }) => {
        file.truncate(0);
        file.write(bytes, { at: 0 });
        decode('SstableReader', () => {
          const reader = SstableReader.open(file, SST);
          let failure: unknown;
          // Every key read, and the whole table scanned: each may fail as corruption on its own.
          for (const key of keys) {
            try {
              reader.get(key);
            } catch (error) {
              failure ??= error;
              if (!(error instanceof LsmError) || error.code !== ErrorCode.Corruption) throw error;
            }
          }
          for (const _ of reader.scanFrom()) {
            // drain
          }
          if (keys.length > 0) for (const _ of reader.scanFrom(keys[0])) break;
          if (failure) throw failure;
        });
      });
      file.close();
      console.log(line('SstableReader'));
      expect(results.get('SstableReader')!.inputs).toBe(RUNS);
    },
    TIME_LIMIT_MS + 10_000,
  );

  it(
    'UnframeBlockOnRandomAndMutatedBlocks: raw and deflate, checksums re-sealed or not',
    () => {
      const body = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 400 })).map(([b, n]) => new Uint8Array(n).fill(b)),
      );
      const framed = fc
        .tuple(body, fc.constantFrom('none' as const, 'deflate' as const))
        .map(([b, c]) => frameBlock(b, c));
      const input = fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc.tuple(framed, edits).map(([f, m]) => mutate(f, m)),
        fc.tuple(framed, edits).map(([f, m]) => {
          const bytes = mutate(f, m);
          resealBlock(bytes);
          return bytes;
        }),
        // A valid checksum over a type byte that claims deflate, in front of bytes that are not deflate.
        fc.uint8Array({ maxLength: 300 }).map((b) => {
          const bytes = new Uint8Array(b.length + 5);
          bytes.set(b);
          bytes[b.length] = 1;
          resealBlock(bytes);
          return bytes;
        }),
      );
      check(input, (bytes) => {
        decode('unframeBlock', () => {
          unframeBlock(bytes, '000009.sst', 0, 'data block');
        });
      });
      console.log(line('unframeBlock'));
      expect(results.get('unframeBlock')!.inputs).toBe(RUNS);
    },
    TIME_LIMIT_MS + 10_000,
  );
});
