// Types for the parts of bench/plan.mjs the unit tests use (test/unit/tools/bench-targets.test.ts).
export type Mode = 'smoke' | 'full';

export interface Entry {
  id: string;
  task: { kind: string; reps: number } & Record<string, unknown>;
  timeoutMs: number;
  memory: boolean;
  group?: string;
  later?: Record<string, unknown>;
}

export interface Step {
  of: string;
  pair: number;
  entry: Entry;
}

export function sizes(mode: Mode): {
  reps: number;
  pairs: number;
  batched: { small: number; large: number };
  ui: Array<{ name: string; operations: number; memtable?: string; target?: boolean }>;
} & Record<string, unknown>;
export function tasks(mode: Mode): Entry[];
export function schedule(entries: Entry[]): Step[];
