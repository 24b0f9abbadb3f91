// What the driver (bench/run.mjs) asks a benchmark worker to do, and what the worker answers. Every task runs
// in a fresh dedicated Worker; repetitions of a task run inside that worker (fresh files for write tasks, the
// same loaded data for read tasks), and the driver takes medians over them.

/** One timed repetition of one measure. */
export interface Sample {
  /** Operations done (puts, gets, records replayed, ...). */
  ops: number;
  /** Bytes of user data moved (keys + values), or of file bytes where the measure says so. */
  bytes: number;
  ms: number;
  /** Per-operation latency percentiles in microseconds, where each operation was timed alone. */
  p50Us?: number;
  p99Us?: number;
}

export type Measures = Record<string, Sample[]>;

export interface TaskResult {
  measures: Measures;
  /** Anything the report should show beside the figures: layouts, counters, heap, reasons. */
  info: Record<string, unknown>;
  /** The subject cannot run this task (e.g. a setting the engine lacks): the report shows "n/a" and why. */
  unavailable?: string;
  /** The subject failed in a way the report shows but that is not the benchmark crashing (a mode that hangs). */
  failed?: string;
}

interface Common {
  reps: number;
  /**
   * Run the task once, untimed, in the same worker before the timed repetitions (on its own fresh files, deleted
   * after): the repetitions then time the warmed subject, as the durable put's one worker does, not V8 compiling
   * it. The cold pass's samples are kept in the result's info as `coldPass` (Measures).
   */
  warmUp?: boolean;
}

export type Task =
  | { kind: 'probe' }
  /** Durable puts, one at a time: each resolves after its WAL record is flushed (the engine's default put). */
  | ({ kind: 'lsm.put'; n: number; valueBytes: number } & Common)
  /** The slot for group commit: puts issued `batch` at a time under `{ durability: 'group' }` when available. */
  | ({ kind: 'lsm.groupPut'; n: number; valueBytes: number; batch: number } & Common)
  | ({ kind: 'lsm.batch'; n: number; valueBytes: number; batch: number } & Common)
  /** Load n keys, then point gets (present and absent), full scans; optionally sample the worker heap. */
  | ({
      kind: 'lsm.read';
      n: number;
      memtableBytes: number;
      bloomBitsPerKey: number;
      gets: number;
      negative: boolean;
      scan: boolean;
      breakdown: boolean;
      /** Measure with a block cache of this size (default: the engine's), warmed by reading every key once. */
      cacheAll?: number;
    } & Common)
  /**
   * Write n records into the WAL only (memtable never flushed), close, time LsmTree.open's replay; each repetition
   * sums `turns` replays and as many checked reads of the WAL, taking turns.
   */
  | ({ kind: 'lsm.recovery'; n: number; turns: number } & Common)
  /**
   * Load n keys with compaction off (many L0 files) once, then time db.compact() on copies of them; each repetition
   * sums `turns` compactions and as many raw copies of the same bytes, taking turns.
   */
  | ({ kind: 'lsm.compaction'; n: number; memtableBytes: number; turns: number } & Common)
  /** Raw append + flush and LSM durable puts in alternating rounds of n / rounds records, in one worker. */
  | ({ kind: 'pair.put'; n: number; valueBytes: number; rounds: number } & Common)
  /** Raw batched append + flush and LSM WriteBatches of `batch` records in alternating rounds, in one worker. */
  | ({ kind: 'pair.batch'; n: number; valueBytes: number; batch: number; rounds: number } & Common)
  /** Load n keys into the LSM tree and into SQLite, then gets from both in alternating rounds, in one worker. */
  | ({
      kind: 'pair.get';
      n: number;
      memtableBytes: number;
      bloomBitsPerKey: number;
      gets: number;
      rounds: number;
    } & Common)
  | ({ kind: 'raw.put'; n: number; valueBytes: number } & Common)
  | ({ kind: 'raw.batched'; n: number; valueBytes: number; batch: number } & Common)
  | ({ kind: 'raw.read'; n: number; gets: number } & Common)
  | ({ kind: 'sqlite.put'; n: number; valueBytes: number } & Common)
  | ({ kind: 'sqlite.bulk'; n: number; valueBytes: number } & Common)
  /** Load n rows, then gets; absent-key gets and the full scan unless switched off (the growth sizes). */
  | ({ kind: 'sqlite.read'; n: number; gets: number; negative?: boolean; scan?: boolean } & Common)
  | ({ kind: 'idb.put'; n: number; valueBytes: number } & Common)
  | ({ kind: 'idb.bulk'; n: number; valueBytes: number } & Common)
  | ({ kind: 'idb.read'; n: number; gets: number } & Common);

export type TaskKind = Task['kind'];

export type WorkerReply = { ok: true; result: TaskResult } | { ok: false; error: string };

/** Sent by a task while it runs: the driver samples memory during 'load', and CPU-profiles 'measure:*' phases. */
export interface PhaseMessage {
  /** 'measure:<what>' names what is being timed: --profile reports each separately. */
  phase: 'load' | 'warm-up' | `measure:${string}`;
}
