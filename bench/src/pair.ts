// Durable put against its anchor, interleaved finely in one worker: rounds of raw appends + flush and of LSM
// puts take turns (raw, LSM, LSM, raw, raw, LSM, ...: each subject goes first in half the rounds), so that a
// slow stretch of the shared machine hits both subjects alike and leaves their ratio. Each subject's time is the
// sum of its rounds.
import { LsmTree } from '@lsm-lab/engine';
import { OpfsStorage } from '@lsm-lab/engine/storage';
import { freshDirectory, KEY_BYTES, now, presentKey, record, removeEntry, Timer, valuePool } from './common';
import type { Sample, Task, TaskResult } from './protocol';

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
    for (let round = 0, from = 0; from < task.n; round++, from += chunk) {
      const to = Math.min(task.n, from + chunk);
      if (((round + 1) >> 1) % 2 === 0) {
        raw(from, to);
        await lsm(from, to);
      } else {
        await lsm(from, to);
        raw(from, to);
      }
    }
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
