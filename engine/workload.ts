// Workloads for the lab and the benchmark: a seeded, reproducible stream of operations. Sequential keys
// arrive in order (the best case for an LSM tree: flushes never overlap); random keys are uniform over the
// key space; zipf keys are skewed, a few hot keys taking most of the writes (rank r with probability ~ 1/r).
import { utf8 } from './bytes';
import { mulberry32 } from './random';

export type KeyDistribution = 'sequential' | 'random' | 'zipf';

export interface WorkloadSpec {
  operations: number;
  distribution: KeyDistribution;
  /** Distinct keys random and zipf draw from. */
  keySpace: number;
  /** Of all operations, the shares (0 to 100) that read a key, overwrite one already written, delete one. */
  readPercent: number;
  updatePercent: number;
  deletePercent: number;
  valueBytes: number;
  seed: number;
}

export type WorkloadOp =
  | { op: 'put'; key: Uint8Array; value: Uint8Array }
  | { op: 'delete'; key: Uint8Array }
  | { op: 'get'; key: Uint8Array };

export const DEFAULT_WORKLOAD: WorkloadSpec = {
  operations: 2000,
  distribution: 'random',
  keySpace: 10_000,
  readPercent: 20,
  updatePercent: 20,
  deletePercent: 5,
  valueBytes: 16,
  seed: 42,
};

export function workloadKey(index: number): Uint8Array {
  return utf8(`key:${String(index).padStart(8, '0')}`);
}

export function* workloadOps(spec: WorkloadSpec): Generator<WorkloadOp> {
  const next = mulberry32(spec.seed);
  const written: number[] = [];
  const isWritten = new Set<number>();
  let sequential = 0;
  const pick = (count: number): number => {
    if (spec.distribution === 'zipf')
      return Math.min(count - 1, Math.floor(Math.exp(next() * Math.log(count + 1))) - 1);
    return Math.floor(next() * count);
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const value = () => {
    let text = '';
    for (let i = 0; i < spec.valueBytes; i++) text += letters[Math.floor(next() * 26)];
    return utf8(text);
  };
  for (let i = 0; i < spec.operations; i++) {
    const roll = next() * 100;
    if (roll < spec.readPercent) {
      // Reads draw from the whole key space, so some miss: that is what bloom filters are for.
      const index = spec.distribution === 'sequential' ? pick(Math.max(1, sequential)) : pick(spec.keySpace);
      yield { op: 'get', key: workloadKey(index) };
      continue;
    }
    const writeRoll = roll - spec.readPercent;
    if (written.length > 0 && writeRoll < spec.deletePercent) {
      yield { op: 'delete', key: workloadKey(written[pick(written.length)]!) };
      continue;
    }
    if (written.length > 0 && writeRoll < spec.deletePercent + spec.updatePercent) {
      yield { op: 'put', key: workloadKey(written[pick(written.length)]!), value: value() };
      continue;
    }
    const index = spec.distribution === 'sequential' ? sequential++ : pick(spec.keySpace);
    if (!isWritten.has(index)) {
      isWritten.add(index);
      written.push(index);
    }
    yield { op: 'put', key: workloadKey(index), value: value() };
  }
}
