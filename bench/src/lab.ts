// What the lab's Performance view (web/components/PerformancePanel.tsx, web/perf/plan.ts) takes from the
// benchmark, and the only module of it the lab imports: the tasks' protocol, the benchmark worker itself (the
// very code `npm run bench` runs, in a fresh worker per task), and the median its figures are taken with.
export { median } from '../median.mjs';
export type { PhaseMessage, Sample, Task, TaskResult, WorkerReply } from './protocol';

/** A fresh benchmark worker (bench/src/worker.ts): it runs one task on its own scratch files. */
export function benchmarkWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
}
