// Types for bench/targets.mjs (the target table and its judging; imported by test/unit/tools/bench-targets.test.ts).
import type { Sample } from './src/protocol';

export interface Side {
  task: string;
  measure: string;
  name?: string;
}

export interface TargetRow {
  id: string;
  text: string;
  num: Side | Side[];
  den?: Side;
  basis: 'ops' | 'mb';
  threshold: number;
  direction: 'higher' | 'lower';
  unit?: 'per-second';
}

export type Status = 'PASS' | 'MISS' | 'N/A' | 'INFO';

export interface TargetResult {
  id?: string;
  text: string;
  status: Status;
  value: number | null;
  threshold?: number;
  direction?: 'higher' | 'lower';
  min?: number | null;
  max?: number | null;
  pairs?: number[];
  shown?: string;
  note?: string;
  runs?: Array<{ value: number | null; min: number | null; max: number | null; status: Status }> | Array<number | null>;
}

export interface Outcome {
  status: string;
  error?: string;
  result?: { measures: Record<string, Sample[]> };
}

export const TARGETS: TargetRow[];
export function targetTasks(targets?: TargetRow[]): Set<string>;
export function sampleValue(sample: Sample | undefined, basis: 'ops' | 'mb'): number;
export function pairRatios(numSamples: Sample[], denSamples: Sample[] | undefined, basis: 'ops' | 'mb'): number[];
export function spread(values: number[]): { median: number | null; min: number | null; max: number | null; n: number };
export function judge(value: number | null | undefined, threshold: number, direction: 'higher' | 'lower'): Status;
export function worstOf(values: Array<number | null | undefined>, direction: 'higher' | 'lower'): number | null;
export function formatValue(row: TargetRow, value: number | null | undefined): string;
export function evaluateTarget(
  row: TargetRow,
  results: Record<string, Outcome>,
  skipped?: Record<string, string>,
): TargetResult;
export function combineRuns(runs: TargetResult[][]): TargetResult[];

export interface RunTargetRow {
  id: string;
  text: string;
  from: { ui: string; field: string } | { size: string } | { memory: string };
  scale?: number;
  threshold: number;
  direction: 'higher' | 'lower';
  unit: 'long tasks' | 'fps' | 'KB' | 'MiB';
}

export const RUN_TARGETS: RunTargetRow[];
export function evaluateRunTarget(
  row: RunTargetRow,
  run?: {
    ui?: Array<{ name: string; error?: string; [figure: string]: unknown }>;
    size?: { error?: string; [figure: string]: unknown };
    results?: Record<string, Outcome & { memory?: { peakLiveBytes?: number | null; error?: string } }>;
  },
): TargetResult;
