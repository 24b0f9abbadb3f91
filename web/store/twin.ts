// Twin view: two databases, each in its own worker, fed the same seeded workload, their figures compared.
// They live in their own OPFS directories, so the class's database is never touched.
import { DEFAULT_WORKLOAD, type TreeSettings, type TreeStats, type WorkloadSpec } from '@lsm-lab/engine';
import { LsmClient } from '@lsm-lab/engine/worker';

export type TwinSettings = Pick<
  TreeSettings,
  'compaction' | 'bloomBitsPerKey' | 'durability' | 'memtableBytes' | 'compression'
>;

export interface TwinResult {
  settings: TwinSettings;
  ms: number;
  operations: number;
  stats: TreeStats;
}

export interface TwinProgress {
  side: 'A' | 'B';
  done: number;
  total: number;
}

/**
 * Runs the workload on A, then on B (one after the other, so that neither slows the other down on a small
 * machine), each on a freshly emptied database.
 */
export async function runTwins(
  a: TwinSettings,
  b: TwinSettings,
  spec: Partial<WorkloadSpec>,
  onProgress: (progress: TwinProgress) => void,
): Promise<[TwinResult, TwinResult]> {
  const workload: WorkloadSpec = { ...DEFAULT_WORKLOAD, ...spec };
  const results: TwinResult[] = [];
  for (const [side, settings] of [
    ['A', a],
    ['B', b],
  ] as const) {
    const { client, result } = await LsmClient.open(`lsm-lab-twin-${side.toLowerCase()}`, settings, (events) => {
      for (const e of events) if (e.type === 'workload.progress') onProgress({ side, done: e.done, total: e.total });
    });
    if (result.status !== 'open') throw new Error(`twin ${side} is open in another tab`);
    try {
      await client.reset();
      const run = await client.runWorkload(workload);
      results.push({ settings, ms: run.ms, operations: run.done, stats: await client.stats() });
    } finally {
      await client.close().catch(() => client.crash());
    }
  }
  return [results[0]!, results[1]!];
}
