// One benchmark task per dedicated Worker: the page starts this worker, posts one Task, gets one reply, and
// terminates it. A fresh worker per task keeps heaps, file handles and JIT state from leaking between tasks.
import { freshDirectory, removeEntry, warmingUp } from './common';
import { idbBulk, idbPut, idbRead } from './idb';
import { lsmBatchPut, lsmCompaction, lsmGroupPut, lsmPut, lsmRead, lsmRecovery } from './lsm';
import { pairedBatch, pairedGet, pairedPut } from './pair';
import type { Task, TaskResult, WorkerReply } from './protocol';
import { rawBatched, rawPut, rawRead } from './raw';
import { sqliteBulk, sqlitePut, sqliteRead } from './sqlite';

const scope = self as unknown as {
  onmessage: ((message: MessageEvent<Task>) => void) | null;
  postMessage(message: WorkerReply): void;
  crossOriginIsolated: boolean;
};

/** What this browser offers the tasks; also warms OPFS up (the first flushes of a profile are slow). */
async function probe(): Promise<TaskResult> {
  const directory = await freshDirectory('bench-warmup');
  const file = await (await directory.getFileHandle('warmup.dat', { create: true })).createSyncAccessHandle();
  const bytes = new Uint8Array(116);
  for (let i = 0; i < 200; i++) {
    file.write(bytes, { at: i * bytes.length });
    file.flush();
  }
  file.close();
  await removeEntry('bench-warmup');
  return {
    measures: {},
    info: {
      crossOriginIsolated: scope.crossOriginIsolated,
      opfsSyncHandles:
        typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
    },
  };
}

function run(task: Task): Promise<TaskResult> {
  switch (task.kind) {
    case 'probe':
      return probe();
    case 'lsm.put':
      return lsmPut(task);
    case 'lsm.groupPut':
      return lsmGroupPut(task);
    case 'lsm.batch':
      return lsmBatchPut(task);
    case 'lsm.read':
      return lsmRead(task);
    case 'lsm.recovery':
      return lsmRecovery(task);
    case 'lsm.compaction':
      return lsmCompaction(task);
    case 'pair.put':
      return pairedPut(task);
    case 'pair.batch':
      return pairedBatch(task);
    case 'pair.get':
      return pairedGet(task);
    case 'raw.put':
      return rawPut(task);
    case 'raw.batched':
      return rawBatched(task);
    case 'raw.read':
      return rawRead(task);
    case 'sqlite.put':
      return sqlitePut(task);
    case 'sqlite.bulk':
      return sqliteBulk(task);
    case 'sqlite.read':
      return sqliteRead(task);
    case 'idb.put':
      return idbPut(task);
    case 'idb.bulk':
      return idbBulk(task);
    case 'idb.read':
      return idbRead(task);
  }
}

/**
 * The task, after its warm-up pass when it asks for one (Task.warmUp). Each pass uses fresh files and deletes
 * them; the cold pass's samples go into the info, so the report can still say what a first use costs.
 */
async function runTask(task: Task): Promise<TaskResult> {
  if (!('warmUp' in task) || !task.warmUp) return run(task);
  const cold = await warmingUp(() => run({ ...task, reps: 1, warmUp: false }));
  const result = await run(task);
  return { ...result, info: { ...result.info, coldPass: cold.measures } };
}

scope.onmessage = async (message) => {
  try {
    scope.postMessage({ ok: true, result: await runTask(message.data) });
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    scope.postMessage({ ok: false, error: text });
  }
};
