// "Performance": a small version of `npm run bench`, run in the visitor's own browser, plotted. The engine against
// raw OPFS (the physical limit), IndexedDB (the browser's database) and, on demand, SQLite's WebAssembly build (a
// B-tree): where an LSM tree wins (writes), and where a B-tree is strong (reads). Each task runs in a fresh
// benchmark worker, the very code the benchmark runs (bench/src/worker.ts), on its own scratch files.
import { useEffect, useRef, useState } from 'react';
import { benchmarkWorker, type PhaseMessage, type Task, type TaskResult, type WorkerReply } from '../../bench/src/lab';
import {
  logBars,
  opsPerSec,
  type PerfTask,
  perfTasks,
  perfWorkloads,
  SUBJECTS,
  type Subject,
  showRate,
} from '../perf/plan';
import './PerformancePanel.css';

/** A task that has not answered in this long is stopped and shown as failed (a hung peer must not hang the view). */
const TASK_TIMEOUT_MS = 60_000;

type Outcome = { result: TaskResult } | { error: string };

interface Run {
  status: 'idle' | 'running' | 'done' | 'cancelled';
  withSqlite: boolean;
  total: number;
  finished: number;
  current: PerfTask | undefined;
  outcomes: Record<string, Outcome>;
  seconds: number;
}

const IDLE: Run = {
  status: 'idle',
  withSqlite: true,
  total: 0,
  finished: 0,
  current: undefined,
  outcomes: {},
  seconds: 0,
};

/** One task in a fresh benchmark worker; the worker is handed to `track` so that Cancel can stop it. */
function runTask(task: Task, track: (worker: Worker | undefined) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const worker = benchmarkWorker();
    track(worker);
    const finish = (outcome: Outcome) => {
      clearTimeout(timer);
      worker.terminate();
      track(undefined);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ error: `no answer within ${TASK_TIMEOUT_MS / 1000} s` }), TASK_TIMEOUT_MS);
    worker.onmessage = (message: MessageEvent<WorkerReply | PhaseMessage>) => {
      const data = message.data;
      if ('phase' in data) return; // the benchmark driver's progress marks: not needed here
      if (!data.ok) finish({ error: data.error.split('\n')[0] ?? 'failed' });
      else if (data.result.unavailable) finish({ error: data.result.unavailable });
      else if (data.result.failed) finish({ error: data.result.failed });
      else finish({ result: data.result });
    };
    worker.onerror = (event) => finish({ error: event.message || 'the benchmark worker failed to start' });
    worker.postMessage(task);
  });
}

export function PerformancePanel() {
  const [run, setRun] = useState<Run>(IDLE);
  const [withSqlite, setWithSqlite] = useState(true);
  const worker = useRef<Worker | undefined>(undefined);
  const cancelled = useRef(false);

  useEffect(() => () => worker.current?.terminate(), []);

  const start = async () => {
    const tasks = perfTasks(withSqlite);
    cancelled.current = false;
    const started = performance.now();
    const outcomes: Record<string, Outcome> = {};
    setRun({ ...IDLE, status: 'running', withSqlite, total: tasks.length, current: tasks[0] });
    for (const [i, task] of tasks.entries()) {
      if (cancelled.current) return;
      setRun((r) => ({ ...r, current: task, finished: i }));
      outcomes[task.id] = await runTask(task.task, (w) => {
        worker.current = w;
      });
      if (cancelled.current) return;
      setRun((r) => ({ ...r, outcomes: { ...outcomes }, finished: i + 1 }));
    }
    setRun((r) => ({ ...r, status: 'done', current: undefined, seconds: (performance.now() - started) / 1000 }));
  };

  const cancel = () => {
    cancelled.current = true;
    worker.current?.terminate();
    worker.current = undefined;
    setRun((r) => ({ ...r, status: 'cancelled', current: undefined }));
  };

  const running = run.status === 'running';
  const status =
    run.status === 'running'
      ? `Running ${run.finished + 1} of ${run.total}: ${run.current ? SUBJECTS[run.current.subject] : ''}, ${run.current?.task.kind.split('.')[1] ?? ''}…`
      : run.status === 'done'
        ? `Comparison done in ${run.seconds.toFixed(1)} s.`
        : run.status === 'cancelled'
          ? 'Comparison cancelled.'
          : '';

  return (
    <section className="panel performance" aria-labelledby="performance-title">
      <h2 id="performance-title">Performance: this browser, right now</h2>
      <p className="explain">
        Why do LSM trees exist? Run the benchmark's own workloads (<code>npm run bench</code>, at a classroom size) on
        this machine: the LSM Lab engine against raw OPFS (the physical limit), IndexedDB (the browser's own database)
        and SQLite compiled to WebAssembly (a B-tree, the classic alternative). Each runs in a worker on scratch files;
        your lab's database is not touched.
      </p>
      <div className="perf-controls">
        <label>
          <input
            type="checkbox"
            checked={withSqlite}
            disabled={running}
            onChange={(e) => setWithSqlite(e.target.checked)}
          />
          Include SQLite (downloads about 1 MB when run)
        </label>
        {running ? (
          <button type="button" onClick={cancel}>
            Cancel comparison
          </button>
        ) : (
          <button type="button" onClick={() => void start()}>
            Run comparison
          </button>
        )}
        {running && <progress max={run.total} value={run.finished} aria-label="Comparison progress" />}
      </div>
      {/* aria-live, not role=status: the page's one status line is the lab's (operations report there). */}
      <p aria-live="polite" className="perf-status" data-testid="perf-status">
        {status}
      </p>
      {run.status !== 'idle' && <Results run={run} />}
    </section>
  );
}

function Results({ run }: { run: Run }) {
  return (
    <>
      <div className="perf-results">
        {perfWorkloads(run.withSqlite).map((workload) => {
          const rows = workload.rows.map((row) => {
            const outcome = run.outcomes[row.task];
            const rate = outcome && 'result' in outcome ? opsPerSec(outcome.result, row.measure) : null;
            const error = outcome && 'error' in outcome ? outcome.error : undefined;
            return { ...row, rate, error, pending: !outcome };
          });
          const bars = logBars(rows.map((r) => r.rate));
          const lsm = rows.find((r) => r.subject === 'lsm')?.rate ?? null;
          return (
            <figure key={workload.id} className="perf-workload" aria-labelledby={`perf-${workload.id}`}>
              <figcaption id={`perf-${workload.id}`}>{workload.title}</figcaption>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Subject</th>
                    <th scope="col" className="perf-bar-col">
                      Operations per second (log scale)
                    </th>
                    <th scope="col">ops/s</th>
                    <th scope="col">vs LSM</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, i) => (
                    <tr key={row.subject} data-subject={row.subject}>
                      <th scope="row">
                        {SUBJECTS[row.subject]}
                        <span className="how">{row.how}</span>
                      </th>
                      <td className="perf-bar-col">
                        <span
                          className={`perf-bar subject-${row.subject as Subject}`}
                          style={{ width: `${bars[i]! * 100}%` }}
                        />
                      </td>
                      <td className="perf-rate">
                        {row.rate !== null ? showRate(row.rate) : row.error ? 'n/a' : row.pending ? '…' : 'n/a'}
                        {row.error && <span className="perf-error">{row.error}</span>}
                      </td>
                      <td className="perf-ratio">
                        {row.rate !== null && lsm !== null && row.subject !== 'lsm'
                          ? `${(row.rate / lsm).toFixed(2)}×`
                          : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="measured" data-testid="perf-measured">
                {measured(rows)}
              </p>
              <p className="why">
                <strong>Why it usually looks like this:</strong> {workload.why}
              </p>
            </figure>
          );
        })}
      </div>
      {run.status === 'done' && (
        <p className="explain">
          Figures depend on this machine and what else it is doing; compare the bars within one run. The full benchmark
          (<code>npm run bench</code>) repeats every workload at a larger size and reports medians.
        </p>
      )}
    </>
  );
}

/**
 * What this run measured, in words, from the bars themselves: the order of the subjects and each one's ratio to the
 * LSM tree. The "why" under it explains the usual picture; this sentence never contradicts the bars.
 */
function measured(rows: ReadonlyArray<{ subject: string; rate: number | null }>): string {
  const done = rows.filter((r): r is { subject: string; rate: number } => r.rate !== null);
  const lsm = done.find((r) => r.subject === 'lsm');
  if (!lsm || done.length < 2) return '';
  const order = [...done].sort((a, b) => b.rate - a.rate);
  const names = order.map((r) => SUBJECTS[r.subject as Subject]);
  const others = order
    .filter((r) => r !== lsm)
    .map((r) => `${SUBJECTS[r.subject as Subject]} ${(r.rate / lsm.rate).toFixed(2)}×`);
  return `This run, fastest first: ${names.join(', ')}. Against the LSM tree: ${others.join(', ')}.`;
}
