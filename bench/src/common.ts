// Shared by every benchmark subject: the records (16-byte keys, 100-byte or larger values), seeded orders,
// timing with per-operation latency, OPFS directories.
import { mulberry32 } from '@lsm-lab/engine';
import { OpfsStorage } from '@lsm-lab/engine/storage';
import type { PhaseMessage, Sample } from './protocol';

export const KEY_BYTES = 16;
export const VALUE_BYTES = 100;
export const MiB = 1024 * 1024;

/**
 * Key i: "k" and i in 15 decimal digits, 16 ASCII bytes, so bytewise order is numeric order. Loaded data uses
 * even i only; odd i are absent keys that fall between present ones (no key range can rule them out).
 */
export function keyBytes(i: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(KEY_BYTES);
  out[0] = 0x6b; // 'k'
  let v = i;
  for (let p = KEY_BYTES - 1; p >= 1; p--) {
    out[p] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return out;
}

/** The j-th present key (even numbers) and an absent one between j and j+1. */
export const presentKey = (j: number): Uint8Array<ArrayBuffer> => keyBytes(2 * j);
export const absentKey = (j: number): Uint8Array<ArrayBuffer> => keyBytes(2 * j + 1);

/** 0 .. n-1 in a seeded random order (Fisher-Yates). */
export function shuffled(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const next = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** `count` indexes drawn uniformly from 0 .. n-1. */
export function draws(count: number, n: number, seed: number): Uint32Array {
  const next = mulberry32(seed);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor(next() * n);
  return out;
}

/** A pool of 256 distinct values of `size` bytes (lowercase letters, as the app's workload writes). */
export function valuePool(size: number, seed = 7): Uint8Array[] {
  const next = mulberry32(seed);
  return Array.from({ length: 256 }, () => {
    const v = new Uint8Array(size);
    for (let i = 0; i < size; i++) v[i] = 0x61 + Math.floor(next() * 26);
    return v;
  });
}

/** key + value laid out as one record, the bytes a raw append writes. */
export function record(key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + value.length);
  out.set(key);
  out.set(value, key.length);
  return out;
}

export const now = (): number => performance.now();

/** Collects per-operation latencies (ms) and turns them into a Sample. */
export class Timer {
  readonly #latencies: Float64Array;
  #count = 0;
  #started = now();

  constructor(capacity: number) {
    this.#latencies = new Float64Array(capacity);
  }

  start(): void {
    this.#count = 0;
    this.#started = now();
  }

  /** Times one awaited operation. */
  async time<T>(operation: () => Promise<T>): Promise<T> {
    const t0 = now();
    const result = await operation();
    this.#latencies[this.#count++] = now() - t0;
    return result;
  }

  /** Records a latency (ms) measured by the caller. */
  record(ms: number): void {
    this.#latencies[this.#count++] = ms;
  }

  timeSync<T>(operation: () => T): T {
    const t0 = now();
    const result = operation();
    this.#latencies[this.#count++] = now() - t0;
    return result;
  }

  sample(ops: number, bytes: number): Sample {
    const ms = now() - this.#started;
    const sorted = this.#latencies.slice(0, this.#count).sort();
    if (sorted.length === 0) return { ops, bytes, ms };
    return { ops, bytes, ms, p50Us: percentile(sorted, 0.5) * 1000, p99Us: percentile(sorted, 0.99) * 1000 };
  }
}

/**
 * A loop of fast operations, measured twice: ops/s from an untimed pass (reading the clock around each
 * operation costs about a microsecond, as much as a warm get: it would flatten every fast subject towards the
 * same figure), then p50/p99 from a second, timed pass over the same operations. `run` may return a promise
 * (awaited) or a value (not awaited: a synchronous peer pays no promise hop it would not pay in real use).
 */
export async function passes(n: number, bytes: number, run: (i: number) => unknown): Promise<Sample> {
  const started = now();
  for (let i = 0; i < n; i++) {
    const result = run(i);
    if (result instanceof Promise) await result;
  }
  const ms = now() - started;
  const timer = new Timer(n);
  for (let i = 0; i < n; i++) {
    const t0 = now();
    const result = run(i);
    if (result instanceof Promise) await result;
    timer.record(now() - t0);
  }
  return { ...timer.sample(n, bytes), ms };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A whole-run sample without per-operation latencies (bulk work). */
export function bulkSample(ops: number, bytes: number, started: number): Sample {
  return { ops, bytes, ms: now() - started };
}

/** A fresh, empty OPFS directory for a task. */
export async function freshDirectory(name: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  await removeEntry(name);
  return root.getDirectoryHandle(name, { create: true });
}

/**
 * Every file of the OPFS directory `from` copied into `to`, emptied first: a dataset loaded once and then used by
 * several timed operations that each consume it (a compaction rewrites its inputs).
 */
export async function copyDirectory(from: string, to: string): Promise<void> {
  const source = await OpfsStorage.open(from);
  await OpfsStorage.destroy(to);
  const target = await OpfsStorage.open(to);
  for (const name of await source.list()) {
    const input = await source.open(name);
    const output = await target.open(name, { create: true });
    const bytes = new Uint8Array(input.getSize());
    input.read(bytes, { at: 0 });
    if (output.write(bytes, { at: 0 }) !== bytes.length) throw new Error(`short write copying ${name}`);
    output.flush();
    input.close();
    output.close();
  }
}

/**
 * The two sides of a pair, `turns` turns of each, in the order A B, B A, B A, A B, A B, ...: each side goes first in
 * half the turns, so that a slow stretch of the machine lands on both and leaves their ratio. Each side times itself
 * (the await between them is outside its time); both are given the turn's number.
 */
export async function inTurns(
  turns: number,
  a: (turn: number) => unknown,
  b: (turn: number) => unknown,
): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (((turn + 1) >> 1) % 2 === 0) {
      await a(turn);
      await b(turn);
    } else {
      await b(turn);
      await a(turn);
    }
  }
}

/** inTurns over the items 0 .. n-1 in rounds of `chunk`: each side is given a round's [from, to). */
export function inRounds(
  n: number,
  chunk: number,
  a: (from: number, to: number) => unknown,
  b: (from: number, to: number) => unknown,
): Promise<void> {
  const span = (side: typeof a) => (round: number) => side(round * chunk, Math.min(n, (round + 1) * chunk));
  return inTurns(Math.ceil(n / chunk), span(a), span(b));
}

export async function removeEntry(name: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  try {
    await root.removeEntry(name, { recursive: true });
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
  }
}

/** Lets the event loop turn (a terminate(), a message) between slices of a long synchronous loop. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Set while a task's untimed warm-up pass runs (Task.warmUp): its phases are reported as 'warm-up'. */
let warming = false;

/** Runs `pass` as a warm-up: neither profiled nor memory-sampled as the task's own phases. */
export async function warmingUp<T>(pass: () => Promise<T>): Promise<T> {
  warming = true;
  phase('warm-up');
  try {
    return await pass();
  } finally {
    warming = false;
  }
}

/** Tells the page (and so the driver's memory sampler) which phase this task is in. */
export function phase(name: PhaseMessage['phase']): void {
  (self as unknown as { postMessage(message: PhaseMessage): void }).postMessage({ phase: warming ? 'warm-up' : name });
}
