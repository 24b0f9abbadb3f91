// Crash safety 1: every single-bit flip in a WAL, an SSTable and the manifest. A small database (two flushed
// SSTables, a manifest of three records, a WAL of a few records) is built once; then, for every bit of every byte
// of one file, a fresh copy gets that one bit flipped and is opened and read in full (a point read of every key
// and a full scan). Each flip must be detected:
//  - corruption: opening fails with LsmError 'corruption' naming the flipped file, or a read or the scan does;
//  - torn tail (legal): only in the WAL's or the manifest's last record, which a crash in the middle of its append
//    would leave just the same: recovery cuts it off, and the database reads exactly as if that record had never
//    been written (the last WAL write missing; for the manifest, every write still there).
// A read that returns anything else than what the legal state holds is a wrong value: there must be none.
//
// Long run (bigger files, deflate-compressed blocks too):
//   LSM_CRASH_LONG=1 npx vitest run --project unit test/unit/crash
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { CRASH_LONG, figure } from '../support/crash';
import { eventLog } from '../support/events';
import { copyStorage } from '../support/storage';
import { pad, text } from '../support/tree';

type Write = { op: 'put'; key: string; value: string } | { op: 'delete'; key: string };

interface Layout {
  /** Flushed into the first SSTable, the one whose bits are flipped. */
  first: Write[];
  /** Flushed into the second SSTable (its manifest record is the manifest's last). */
  second: Write[];
  /** Left in the WAL. */
  logged: Write[];
  options: LsmOptions;
}

const put = (key: string, value: string): Write => ({ op: 'put', key, value });
const del = (key: string): Write => ({ op: 'delete', key });

function layout(size: number, compression: 'none' | 'deflate'): Layout {
  const first = Array.from({ length: size }, (_, i) => put(`key${pad(i)}`, `first value ${i}`.repeat(1 + (i % 3))));
  const second = [put('key0000', 'second value 0'), put(`key${pad(size + 1)}`, 'second only'), del(`key${pad(2)}`)];
  const logged: Write[] = [put(`key${pad(1)}`, 'logged 1'), del('key0000'), put(`key${pad(size + 2)}`, 'logged only')];
  for (let i = 3; i < size; i += 3) logged.push(put(`key${pad(i)}`, `logged ${i}`));
  logged.push(put(`key${pad(3)}`, 'logged last'));
  return { first, second, logged, options: { blockSize: 64, bloomBitsPerKey: 10, compression } };
}

function model(writes: Write[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const w of writes) {
    if (w.op === 'put') state.set(w.key, w.value);
    else state.delete(w.key);
  }
  return state;
}

async function apply(db: LsmTree, writes: Write[]) {
  for (const w of writes) {
    if (w.op === 'put') await db.put(utf8(w.key), utf8(w.value));
    else await db.delete(utf8(w.key));
  }
}

/** The database, closed: which file is which, and where the last WAL and manifest records start. */
async function build(l: Layout) {
  const storage = new MemoryStorage();
  const log = eventLog();
  const db = await LsmTree.open(storage, { ...l.options, onEvent: log.record });
  await apply(db, l.first);
  await db.flush();
  await apply(db, l.second);
  await db.flush();
  await apply(db, l.logged);
  const state = await db.describe();
  await db.close();
  const tables = state.tables.map((t) => t.file).sort();
  const lastAppend = log.of('wal.append').at(-1)!;
  const lastEdit = log.of('manifest.edit').at(-1)!;
  expect(log.of('manifest.edit')).toHaveLength(3);
  expect(lastEdit.offset + lastEdit.length).toBe(state.manifest.size);
  expect(lastAppend.offset + lastAppend.length).toBe(state.wal.size);
  return {
    storage,
    wal: { file: state.wal.file, lastRecord: lastAppend.offset },
    sstable: { file: tables[0]!, lastRecord: undefined },
    manifest: { file: state.manifest.file, lastRecord: lastEdit.offset },
  };
}

interface Tally {
  flips: number;
  corruption: number;
  tornTail: number;
  wrongValues: number;
  /** Opened, read back right, and nothing noticed: the flip went unseen. */
  undetected: number;
  /** Failed, but not as corruption naming the file. */
  otherFailures: number;
  readonly examples: string[];
}

/** Every key the layout ever wrote, with what each read must return in the full state. */
function keysOf(l: Layout): string[] {
  return [...new Set([...l.first, ...l.second, ...l.logged].map((w) => w.key))].sort();
}

async function flipEveryBit(l: Layout, which: 'wal' | 'sstable' | 'manifest'): Promise<Tally> {
  const built = await build(l);
  const target = built[which];
  const bytes = built.storage.snapshot(target.file);
  const keys = keysOf(l);
  const full = model([...l.first, ...l.second, ...l.logged]);
  // A torn WAL tail drops the last write; a torn manifest tail un-commits the last flush, whose writes are then
  // still wherever they were before it (the legal state is the full one).
  const withoutLastWrite = model([...l.first, ...l.second, ...l.logged.slice(0, -1)]);
  const tally: Tally = {
    flips: 0,
    corruption: 0,
    tornTail: 0,
    wrongValues: 0,
    undetected: 0,
    otherFailures: 0,
    examples: [],
  };
  let wrongExamples = 0;
  let otherExamples = 0;
  const example = (message: string, wrong = false) => {
    // A few of each kind, so that one kind of failure does not hide another.
    if (wrong ? wrongExamples++ < 3 : otherExamples++ < 3) tally.examples.push(message);
  };
  const isOurCorruption = (e: unknown) =>
    e instanceof LsmError && e.code === ErrorCode.Corruption && e.file === target.file;

  for (let at = 0; at < bytes.length; at++) {
    for (let bit = 0; bit < 8; bit++) {
      tally.flips++;
      const where = `${target.file} byte ${at} bit ${bit}`;
      const storage = await copyStorage(built.storage);
      storage.poke(target.file, at, Uint8Array.of(bytes[at]! ^ (1 << bit)));
      const log = eventLog();
      let db: LsmTree;
      try {
        db = await LsmTree.open(storage, { ...l.options, onEvent: log.record });
      } catch (error) {
        if (isOurCorruption(error)) tally.corruption++;
        else {
          tally.otherFailures++;
          example(`${where}: open failed with ${String(error)}`);
        }
        continue;
      }
      const torn = log.of('recovery.torn-tail').filter((e) => e.file === target.file);
      const legal =
        torn.length === 0 ? full : which === 'wal' && torn[0]!.offset === target.lastRecord ? withoutLastWrite : full;
      let detected = false;
      let wrong = false;
      let failed = false;
      const seen = (error: unknown) => {
        if (isOurCorruption(error)) detected = true;
        else {
          failed = true;
          example(`${where}: a read failed with ${String(error)}`);
        }
      };
      for (const key of keys) {
        try {
          const value = text(await db.get(utf8(key)));
          if (value !== legal.get(key)) {
            wrong = true;
            example(`${where}: get ${key} = ${value}, written ${legal.get(key)}`, true);
          }
        } catch (error) {
          seen(error);
        }
      }
      try {
        const scanned = new Map<string, string>();
        for await (const [k, v] of db.scan()) scanned.set(text(k)!, text(v)!);
        for (const key of new Set([...scanned.keys(), ...legal.keys()])) {
          if (scanned.get(key) !== legal.get(key)) {
            wrong = true;
            example(`${where}: scan ${key} = ${scanned.get(key)}, written ${legal.get(key)}`, true);
          }
        }
      } catch (error) {
        seen(error);
      }
      storage.crash();
      if (wrong) tally.wrongValues++;
      else if (failed) tally.otherFailures++;
      else if (detected) tally.corruption++;
      else if (torn.length > 0 && torn[0]!.offset === target.lastRecord && at >= target.lastRecord!) tally.tornTail++;
      else {
        tally.undetected++;
        example(`${where}: opened and read back as written, nothing noticed${torn.length ? ' (torn tail)' : ''}`);
      }
    }
  }
  return tally;
}

const SIZE = CRASH_LONG ? 24 : 5;
const VARIANTS: Array<'none' | 'deflate'> = CRASH_LONG ? ['none', 'deflate'] : ['none'];

describe('Every single-bit flip is detected', () => {
  const tallies = new Map<string, Tally>();
  const names = { wal: 'WAL', sstable: 'SSTable', manifest: 'manifest' } as const;

  for (const which of ['wal', 'sstable', 'manifest'] as const) {
    it(
      `BitFlipsIn${names[which] === 'SSTable' ? 'Sstable' : names[which] === 'WAL' ? 'Wal' : 'Manifest'}: corruption or a legal torn tail, never a wrong value`,
      async () => {
        const total: Tally = {
          flips: 0,
          corruption: 0,
          tornTail: 0,
          wrongValues: 0,
          undetected: 0,
          otherFailures: 0,
          examples: [],
        };
        for (const compression of which === 'sstable' ? VARIANTS : ['none' as const]) {
          const t = await flipEveryBit(layout(SIZE, compression), which);
          for (const k of ['flips', 'corruption', 'tornTail', 'wrongValues', 'undetected', 'otherFailures'] as const) {
            total[k] += t[k];
          }
          total.examples.push(...t.examples);
        }
        tallies.set(which, total);
        const detected = ((total.corruption + total.tornTail) / total.flips) * 100;
        console.log(
          `bit flips: ${names[which]} ${figure(total.flips)} (corruption ${figure(total.corruption)}, torn tail ${figure(total.tornTail)}` +
            `${which === 'sstable' ? '' : ' (legal: last record only)'}, wrong values ${figure(total.wrongValues)}, undetected ${figure(total.undetected)}, other failures ${figure(total.otherFailures)}; detected ${detected.toFixed(2)} %)`,
        );
        expect(total.examples).toEqual([]);
        expect(total.wrongValues).toBe(0);
        expect(total.undetected).toBe(0);
        expect(total.otherFailures).toBe(0);
        expect(total.corruption + total.tornTail).toBe(total.flips);
        // An SSTable is written whole and flushed before anything names it: no flip in it is ever a torn tail.
        if (which === 'sstable') expect(total.tornTail).toBe(0);
      },
      CRASH_LONG ? 600_000 : 30_000,
    );
  }
});
