// Two subjects timed interleaved finely in one worker: durable put against its anchor (rounds of raw appends +
// flush and of LSM puts), batched writes against theirs, and the 1M-key get against SQLite's select. Their rounds take turns (A, B, B, A, A, B,
// ...: each subject goes first in half the rounds), so that a slow stretch of the shared machine hits both
// subjects alike and leaves their ratio. Each subject's time is the sum of its rounds.
import { LsmTree, WriteBatch } from '@lsm-lab/engine';
import { OpfsStorage } from '@lsm-lab/engine/storage';
import {
  draws,
  freshDirectory,
  inRounds,
  KEY_BYTES,
  now,
  phase,
  presentKey,
  record,
  removeEntry,
  Timer,
  VALUE_BYTES,
  valuePool,
} from './common';
import { load } from './lsm';
import type { Sample, Task, TaskResult } from './protocol';
import { loadKv } from './sqlite';

type PairTask = Extract<Task, { kind: 'pair.put' }>;

/** Untimed puts (and raw appends) before each rep's rounds. */
const WARM_UP = 200;

export async function pairedPut(task: PairTask): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const records = keys.map((key, i) => record(key, values[i & 255]!));
  const warmKeys = Array.from({ length: WARM_UP }, (_, i) => presentKey(task.n + i));
  const warmRecords = warmKeys.map((key, i) => record(key, values[i & 255]!));
  const rawSamples: Sample[] = [];
  const lsmSamples: Sample[] = [];
  const chunk = Math.max(1, Math.ceil(task.n / task.rounds));
  for (let rep = 0; rep < task.reps; rep++) {
    const directory = await freshDirectory('bench-pair-raw');
    const file = await (await directory.getFileHandle('append.log', { create: true })).createSyncAccessHandle();
    await OpfsStorage.destroy('bench-pair-lsm');
    const db = await LsmTree.open(await OpfsStorage.open('bench-pair-lsm'));
    const rawTimer = new Timer(task.n);
    const lsmTimer = new Timer(task.n);
    let rawMs = 0;
    let lsmMs = 0;
    let at = 0;
    const raw = (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i++) {
        const t0 = now();
        at += file.write(records[i]!, { at });
        file.flush();
        rawTimer.record(now() - t0);
      }
      rawMs += now() - started;
    };
    const lsm = async (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i++) {
        const t0 = now();
        await db.put(keys[i]!, values[i & 255]!);
        lsmTimer.record(now() - t0);
      }
      lsmMs += now() - started;
    };
    // Warm-up, untimed, both sides alike: the first rep would otherwise time the engine's put path before the
    // JIT compiled it (its first pair was the lowest of five in every run), and the raw side has nothing to warm.
    for (let i = 0; i < WARM_UP; i++) {
      at += file.write(warmRecords[i]!, { at });
      file.flush();
      await db.put(warmKeys[i]!, values[i & 255]!);
    }
    await inRounds(task.n, chunk, raw, lsm);
    const bytes = task.n * (KEY_BYTES + task.valueBytes);
    rawSamples.push({ ...rawTimer.sample(task.n, bytes), ms: rawMs });
    lsmSamples.push({ ...lsmTimer.sample(task.n, bytes), ms: lsmMs });
    file.close();
    await db.close();
  }
  await removeEntry('bench-pair-raw');
  await OpfsStorage.destroy('bench-pair-lsm');
  return {
    measures: { 'raw-put': rawSamples, 'lsm-put': lsmSamples },
    info: { rounds: task.rounds, chunk, order: 'raw,lsm | lsm,raw | lsm,raw | raw,lsm | ...' },
  };
}

type PairBatchTask = Extract<Task, { kind: 'pair.batch' }>;

/**
 * Batched writes against their anchor, in turns in one worker as the durable put's rounds: raw OPFS appends of
 * `batch` records then one flush, against one WriteBatch of `batch` puts per db.write() (one WAL record, one
 * flush), in `rounds` rounds that take turns (raw first in half of them). Each side lays its records out in the
 * timed loop (the raw side into one buffer, the LSM side into its batch), as the tasks run alone do. Each
 * repetition starts a fresh file and a fresh tree, so every pair's LSM side fills its memtable as often (5,000
 * records of 1 KiB: one flush of the 4 MiB memtable, in whichever round fills it). Run as one task per side in
 * fresh workers, round-robin, a pair's two sides were seconds apart and its ratio ranged 0.29-0.61 within one run.
 * Before the pairs, both sides write every record once, untimed, into a file and a tree of their own: the memtable's
 * flush, the table builder and the bloom filter are compiled then (and the engine's flush worker started, which
 * writes the full memtable's table off the write path: engine/background-flush.ts), not inside a pair. After the
 * last write the LSM side waits for that table's commit, timed apart: measure 'lsm-batch-committed' adds it.
 */
export async function pairedBatch(task: PairBatchTask): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const records = keys.map((key, i) => record(key, values[i & 255]!));
  const recordBytes = KEY_BYTES + task.valueBytes;
  const buffer = new Uint8Array(recordBytes * task.batch);
  const batch = new WriteBatch();
  const batches = Math.ceil(task.n / task.batch);
  // Rounds of whole batches: a batch is the unit both sides make durable.
  const chunk = task.batch * Math.max(1, Math.ceil(batches / task.rounds));
  const pass = async (rep: number | 'warm-up') => {
    const directory = await freshDirectory('bench-pair-batch-raw');
    const file = await (await directory.getFileHandle('append.log', { create: true })).createSyncAccessHandle();
    await OpfsStorage.destroy('bench-pair-batch-lsm');
    const db = await LsmTree.open(await OpfsStorage.open('bench-pair-batch-lsm'));
    if (rep !== 'warm-up') phase('measure:batch');
    let rawMs = 0;
    let lsmMs = 0;
    let at = 0;
    const raw = (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i += task.batch) {
        const count = Math.min(task.batch, to - i);
        for (let j = 0; j < count; j++) buffer.set(records[i + j]!, j * recordBytes);
        at += file.write(buffer.subarray(0, count * recordBytes), { at });
        file.flush();
      }
      rawMs += now() - started;
    };
    const lsm = async (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i += task.batch) {
        batch.clear();
        for (let j = i; j < Math.min(to, i + task.batch); j++) batch.put(keys[j]!, values[j & 255]!);
        await db.write(batch);
      }
      lsmMs += now() - started;
    };
    await inRounds(task.n, chunk, raw, lsm);
    // The write is acknowledged once its WAL record is flushed; a full memtable's table is written off the write
    // path (engine/background-flush.ts). What is still left of that work after the last write, timed apart: the
    // report's "until committed" row adds it to the LSM side.
    const settling = now();
    await db.waitForBackgroundWork();
    const tailMs = now() - settling;
    phase('load');
    if (at !== task.n * recordBytes) throw new Error(`the raw side wrote ${at} of ${task.n * recordBytes} bytes`);
    if (!(await db.get(keys[task.n - 1]!))) throw new Error('the last batched key is missing');
    file.close();
    await db.close();
    const bytes = task.n * recordBytes;
    return {
      raw: { ops: task.n, bytes, ms: rawMs },
      lsm: { ops: task.n, bytes, ms: lsmMs },
      committed: { ops: task.n, bytes, ms: lsmMs + tailMs },
    };
  };
  await pass('warm-up');
  const rawSamples: Sample[] = [];
  const lsmSamples: Sample[] = [];
  const committedSamples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const { raw, lsm, committed } = await pass(rep);
    rawSamples.push(raw);
    lsmSamples.push(lsm);
    committedSamples.push(committed);
  }
  await removeEntry('bench-pair-batch-raw');
  await OpfsStorage.destroy('bench-pair-batch-lsm');
  return {
    measures: { 'raw-batched': rawSamples, 'lsm-batch': lsmSamples, 'lsm-batch-committed': committedSamples },
    info: { batch: task.batch, rounds: task.rounds, chunk, order: 'raw,lsm | lsm,raw | lsm,raw | raw,lsm | ...' },
  };
}

type PairGetTask = Extract<Task, { kind: 'pair.get' }>;

/**
 * Point gets on n keys, the LSM tree's get against SQLite's select, interleaved finely in one worker as the
 * durable put's pairs are: both are loaded with the same keys in the same order, warmed with the same gets, then
 * each repetition (one pair) gets the same `gets` random present keys from both, in `rounds` chunks that take
 * turns (LSM, SQLite, SQLite, LSM, LSM, SQLite, ...). Run as one task per side in separate workers, the two sides
 * of a pair were seconds apart, and this machine's speed moved the ratio of a pair from 0.81x to 2.75x within one
 * run. Each side's time is the sum of its chunks; each key is read once per side (no second pass).
 */
export async function pairedGet(task: PairGetTask): Promise<TaskResult> {
  const dir = 'bench-pair-get-lsm';
  const settings = { memtableBytes: task.memtableBytes, bloomBitsPerKey: task.bloomBitsPerKey };
  phase('load');
  const loaded = await load(dir, task.n, settings);
  const kv = await loadKv(task.n);
  const db = await LsmTree.open(await OpfsStorage.open(dir), settings);
  // Warm-up, untimed, both sides alike (as the tasks run alone do): the same random gets.
  for (const j of draws(task.gets, task.n, 99)) {
    if (!(await db.get(presentKey(j))) || !kv.get(presentKey(j))) throw new Error(`key ${j} missing`);
  }
  phase('measure:get');
  const lsmSamples: Sample[] = [];
  const sqliteSamples: Sample[] = [];
  const chunk = Math.max(1, Math.ceil(task.gets / task.rounds));
  const bytes = task.gets * (KEY_BYTES + VALUE_BYTES);
  for (let rep = 0; rep < task.reps; rep++) {
    // The seeds the tasks run alone use for their repetitions: the same keys.
    const keys = Array.from(draws(task.gets, task.n, 100 + rep), presentKey);
    let lsmMs = 0;
    let sqliteMs = 0;
    let found = 0;
    const lsm = async (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i++) if (await db.get(keys[i]!)) found++;
      lsmMs += now() - started;
    };
    const sqlite = (from: number, to: number) => {
      const started = now();
      for (let i = from; i < to; i++) if (kv.get(keys[i]!)) found++;
      sqliteMs += now() - started;
    };
    await inRounds(task.gets, chunk, lsm, sqlite);
    if (found !== 2 * task.gets) throw new Error(`only ${found} of ${2 * task.gets} gets found their key`);
    lsmSamples.push({ ops: task.gets, bytes, ms: lsmMs });
    sqliteSamples.push({ ops: task.gets, bytes, ms: sqliteMs });
  }
  await db.close();
  await OpfsStorage.destroy(dir);
  await kv.close();
  return {
    measures: { 'lsm-get': lsmSamples, 'sqlite-get': sqliteSamples },
    info: {
      load: loaded,
      sqlite: kv.info,
      rounds: task.rounds,
      chunk,
      order: 'lsm,sqlite | sqlite,lsm | sqlite,lsm | lsm,sqlite | ...',
    },
  };
}
