// Types for bench/lib/outcomes.mjs (its unit test imports it).
import type { Measures } from '../src/protocol';

export interface TaskOutcome {
  status: string;
  seconds: number;
  result: { measures: Measures; info: Record<string, unknown> & { coldPass?: Measures } };
}

export function mergeOutcomes<T extends TaskOutcome>(a: T, b: T): T;
