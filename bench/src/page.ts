// The benchmark page. It does nothing by itself: bench/run.mjs calls window.runTask(task) for each task, which
// runs it in a fresh dedicated module Worker and resolves with the worker's reply.
import type { PhaseMessage, Task, WorkerReply } from './protocol';

declare global {
  interface Window {
    runTask(task: Task, keep?: boolean): Promise<WorkerReply>;
    stopTasks(): void;
    benchReady: boolean;
    /** The phase the running task last reported ('load' or 'measure:<what>'), for the driver's samplers. */
    taskPhase: string | null;
  }
}

const running = new Set<Worker>();
const log = document.getElementById('log');

window.runTask = (task: Task, keep = false) =>
  new Promise<WorkerReply>((resolve) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `bench ${task.kind}` });
    running.add(worker);
    const finish = (reply: WorkerReply) => {
      // keep: the driver is still profiling this worker; stopTasks() ends it.
      if (!keep) {
        worker.terminate();
        running.delete(worker);
      }
      if (log) log.textContent += `${task.kind}: ${reply.ok ? 'ok' : reply.error.split('\n')[0]}\n`;
      resolve(reply);
    };
    window.taskPhase = null;
    worker.onmessage = (message: MessageEvent<WorkerReply | PhaseMessage>) => {
      if ('phase' in message.data) window.taskPhase = message.data.phase;
      else finish(message.data);
    };
    worker.onerror = (event) => finish({ ok: false, error: `worker error: ${event.message || 'failed to load'}` });
    worker.postMessage(task);
  });

/** Terminates every running task's worker (the driver's timeout). */
window.stopTasks = () => {
  for (const worker of running) worker.terminate();
  running.clear();
};

window.taskPhase = null;
window.benchReady = true;
