// The Performance view's comparison: the benchmark's own workloads (bench/src, the code `npm run bench` runs),
// at a classroom size, in this browser. Pure: what to run, and how its answers become bars. The view runs each
// task in a fresh benchmark worker (bench/src/worker.ts), as the benchmark does; both through bench/src/lab.ts.

import { median, type Sample, type Task, type TaskResult } from '../../bench/src/lab';
import { language, t } from '../i18n';

export type Subject = 'lsm' | 'raw' | 'idb' | 'sqlite';

/** The subjects' names, in the language chosen when read (getters calling `t`). */
export const SUBJECTS: Record<Subject, string> = {
  get lsm() {
    return t('ui:perf.subject.lsm');
  },
  get raw() {
    return t('ui:perf.subject.raw');
  },
  idb: 'IndexedDB',
  get sqlite() {
    return t('ui:perf.subject.sqlite');
  },
};

/** Sizes: big enough for steady figures, small enough to finish in seconds on a classroom laptop. */
export const PERF_SIZES = { durable: 200, batched: 5000, keys: 10_000, gets: 5000, idbGets: 300 } as const;

export interface PerfTask {
  id: string;
  subject: Subject;
  task: Task;
}

export interface PerfRow {
  subject: Subject;
  /** What the subject does in this workload, in a few words. */
  how: string;
  task: string;
  measure: string;
}

export interface PerfWorkload {
  id: 'durable' | 'batched' | 'get' | 'absent';
  title: string;
  /** Why the bars look the way they do: what an LSM tree does differently here. */
  why: string;
  rows: PerfRow[];
}

export function perfTasks(withSqlite: boolean): PerfTask[] {
  const s = PERF_SIZES;
  const reps = 1;
  const tasks: PerfTask[] = [
    { id: 'raw.put', subject: 'raw', task: { kind: 'raw.put', n: s.durable, valueBytes: 100, reps } },
    { id: 'lsm.put', subject: 'lsm', task: { kind: 'lsm.put', n: s.durable, valueBytes: 100, reps } },
    { id: 'idb.put', subject: 'idb', task: { kind: 'idb.put', n: s.durable, valueBytes: 100, reps } },
    {
      id: 'raw.batched',
      subject: 'raw',
      task: { kind: 'raw.batched', n: s.batched, valueBytes: 100, batch: s.batched, reps },
    },
    // Batched: everyone commits all the writes at once (one flush, one transaction, one WriteBatch).
    {
      id: 'lsm.batch',
      subject: 'lsm',
      task: { kind: 'lsm.batch', n: s.batched, valueBytes: 100, batch: s.batched, reps },
    },
    { id: 'idb.bulk', subject: 'idb', task: { kind: 'idb.bulk', n: s.batched, valueBytes: 100, reps } },
    { id: 'raw.read', subject: 'raw', task: { kind: 'raw.read', n: s.keys, gets: s.gets, reps } },
    {
      id: 'lsm.read',
      subject: 'lsm',
      task: {
        kind: 'lsm.read',
        n: s.keys,
        memtableBytes: 256 * 1024,
        bloomBitsPerKey: 10,
        gets: s.gets,
        negative: true,
        scan: false,
        breakdown: false,
        reps,
      },
    },
    { id: 'idb.read', subject: 'idb', task: { kind: 'idb.read', n: s.keys, gets: s.idbGets, reps } },
  ];
  if (withSqlite) {
    tasks.push(
      { id: 'sqlite.put', subject: 'sqlite', task: { kind: 'sqlite.put', n: s.durable, valueBytes: 100, reps } },
      { id: 'sqlite.bulk', subject: 'sqlite', task: { kind: 'sqlite.bulk', n: s.batched, valueBytes: 100, reps } },
      { id: 'sqlite.read', subject: 'sqlite', task: { kind: 'sqlite.read', n: s.keys, gets: s.gets, reps } },
    );
  }
  return tasks;
}

export function perfWorkloads(withSqlite: boolean): PerfWorkload[] {
  const s = PERF_SIZES;
  const n = (x: number) => x.toLocaleString(language());
  // Worded when called (at render), in the language chosen then.
  const workloads: PerfWorkload[] = [
    {
      id: 'durable',
      title: t('ui:perf.durable.title', { n: n(s.durable) }),
      why: t('ui:perf.durable.why'),
      rows: [
        { subject: 'raw', how: t('ui:perf.durable.raw'), task: 'raw.put', measure: 'put' },
        { subject: 'lsm', how: t('ui:perf.durable.lsm'), task: 'lsm.put', measure: 'put' },
        { subject: 'sqlite', how: t('ui:perf.durable.sqlite'), task: 'sqlite.put', measure: 'put' },
        { subject: 'idb', how: t('ui:perf.durable.idb'), task: 'idb.put', measure: 'put' },
      ],
    },
    {
      id: 'batched',
      title: t('ui:perf.batched.title', { n: n(s.batched) }),
      why: t('ui:perf.batched.why'),
      rows: [
        { subject: 'raw', how: t('ui:perf.batched.raw'), task: 'raw.batched', measure: 'batched' },
        { subject: 'lsm', how: t('ui:perf.batched.lsm'), task: 'lsm.batch', measure: 'put' },
        { subject: 'sqlite', how: t('ui:perf.batched.oneTxn'), task: 'sqlite.bulk', measure: 'bulk' },
        { subject: 'idb', how: t('ui:perf.batched.oneTxn'), task: 'idb.bulk', measure: 'bulk' },
      ],
    },
    {
      id: 'get',
      title: t('ui:perf.get.title', { gets: n(s.gets), keys: n(s.keys), idb: n(s.idbGets) }),
      why: t('ui:perf.get.why'),
      rows: [
        { subject: 'raw', how: t('ui:perf.get.raw'), task: 'raw.read', measure: 'random-read' },
        { subject: 'lsm', how: t('ui:perf.get.lsm'), task: 'lsm.read', measure: 'get' },
        { subject: 'sqlite', how: t('ui:perf.get.sqlite'), task: 'sqlite.read', measure: 'get' },
        { subject: 'idb', how: t('ui:perf.get.idb'), task: 'idb.read', measure: 'get' },
      ],
    },
    {
      id: 'absent',
      title: t('ui:perf.absent.title', { n: n(s.gets) }),
      why: t('ui:perf.absent.why'),
      rows: [
        { subject: 'lsm', how: t('ui:perf.absent.lsm'), task: 'lsm.read', measure: 'negative' },
        { subject: 'sqlite', how: t('ui:perf.get.sqlite'), task: 'sqlite.read', measure: 'negative' },
      ],
    },
  ];
  return workloads.map((w) => ({ ...w, rows: w.rows.filter((r) => withSqlite || r.subject !== 'sqlite') }));
}

/** ops/s of a task's measure (the median of its samples), or null when it has none. */
export function opsPerSec(result: TaskResult | undefined, measure: string): number | null {
  const samples: Sample[] = result?.measures[measure] ?? [];
  return median(samples.filter((s) => s.ops > 0 && s.ms > 0).map((s) => (s.ops / s.ms) * 1000));
}

/**
 * Bar lengths on a logarithmic scale, as fractions of the longest: the subjects differ by up to three orders
 * of magnitude, and a linear scale would leave the slow ones without a visible bar. The scale starts a factor
 * of 4 below the smallest figure, so the smallest bar is never empty. Missing figures get 0.
 */
export function logBars(values: ReadonlyArray<number | null>): number[] {
  const present = values.filter((v): v is number => v !== null && v > 0);
  if (present.length === 0) return values.map(() => 0);
  const top = Math.log10(Math.max(...present));
  const floor = Math.log10(Math.min(...present) / 4);
  const span = Math.max(top - floor, 1e-9);
  return values.map((v) => (v === null || v <= 0 ? 0 : (Math.log10(v) - floor) / span));
}

/** "12.3k/s", "1.2M/s", "850/s". */
export function showRate(opsPerSecond: number): string {
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(opsPerSecond >= 1e7 ? 0 : 1)}M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(opsPerSecond >= 1e4 ? 0 : 1)}k/s`;
  return `${Math.round(opsPerSecond)}/s`;
}
