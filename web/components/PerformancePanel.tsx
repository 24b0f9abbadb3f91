// "Performance": a small version of `npm run bench`, run in the visitor's own browser, plotted. The engine against
// raw OPFS (the physical limit), IndexedDB (the browser's database) and, on demand, SQLite's WebAssembly build (a
// B-tree): where an LSM tree wins (writes), and where a B-tree is strong (reads). Each task runs in a fresh
// benchmark worker, the very code the benchmark runs (bench/src/worker.ts), on its own scratch files.
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { benchmarkWorker, type PhaseMessage, type Task, type TaskResult, type WorkerReply } from '../../bench/src/lab';
import { i18n } from '../i18n';
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
      if (!data.ok) finish({ error: data.error.split('\n')[0] ?? i18n.t('ui:perf.failed') });
      else if (data.result.unavailable) finish({ error: data.result.unavailable });
      else if (data.result.failed) finish({ error: data.result.failed });
      else finish({ result: data.result });
    };
    worker.onerror = (event) => finish({ error: event.message || i18n.t('ui:perf.workerFailed') });
    worker.postMessage(task);
  });
}

export function PerformancePanel() {
  const { t } = useTranslation('ui');
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
      ? t('perf.running', {
          n: run.finished + 1,
          total: run.total,
          subject: run.current ? SUBJECTS[run.current.subject] : '',
          task: run.current?.task.kind.split('.')[1] ?? '',
        })
      : run.status === 'done'
        ? t('perf.done', { s: run.seconds.toFixed(1) })
        : run.status === 'cancelled'
          ? t('perf.cancelled')
          : '';

  return (
    <section className="panel performance" aria-labelledby="performance-title">
      <h2 id="performance-title">{t('perf.title')}</h2>
      <p className="explain">
        {t('perf.introBefore')}
        <code>npm run bench</code>
        {t('perf.introAfter')}
      </p>
      <div className="perf-controls">
        <label>
          <input
            type="checkbox"
            checked={withSqlite}
            disabled={running}
            onChange={(e) => setWithSqlite(e.target.checked)}
          />
          {t('perf.sqlite')}
        </label>
        {running ? (
          <button type="button" onClick={cancel}>
            {t('perf.cancel')}
          </button>
        ) : (
          <button type="button" onClick={() => void start()}>
            {t('perf.run')}
          </button>
        )}
        {running && <progress max={run.total} value={run.finished} aria-label={t('perf.progress')} />}
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
  const { t } = useTranslation('ui');
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
                    <th scope="col">{t('perf.subjectCol')}</th>
                    <th scope="col" className="perf-bar-col">
                      {t('perf.barCol')}
                    </th>
                    <th scope="col">{t('perf.rateCol')}</th>
                    <th scope="col">{t('perf.ratioCol')}</th>
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
                        {row.rate !== null
                          ? showRate(row.rate)
                          : row.error
                            ? t('perf.na')
                            : row.pending
                              ? '…'
                              : t('perf.na')}
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
                {measured(rows, t)}
              </p>
              <p className="why">
                <strong>{t('perf.why')}</strong> {workload.why}
              </p>
            </figure>
          );
        })}
      </div>
      {run.status === 'done' && (
        <p className="explain">
          {t('perf.footBefore')}
          <code>npm run bench</code>
          {t('perf.footAfter')}
        </p>
      )}
    </>
  );
}

/**
 * What this run measured, in words, from the bars themselves: the order of the subjects and each one's ratio to the
 * LSM tree. The "why" under it explains the usual picture; this sentence never contradicts the bars.
 */
function measured(rows: ReadonlyArray<{ subject: string; rate: number | null }>, t: TFunction<'ui'>): string {
  const done = rows.filter((r): r is { subject: string; rate: number } => r.rate !== null);
  const lsm = done.find((r) => r.subject === 'lsm');
  if (!lsm || done.length < 2) return '';
  const order = [...done].sort((a, b) => b.rate - a.rate);
  const names = order.map((r) => SUBJECTS[r.subject as Subject]);
  const others = order
    .filter((r) => r !== lsm)
    .map((r) => `${SUBJECTS[r.subject as Subject]} ${(r.rate / lsm.rate).toFixed(2)}×`);
  return t('perf.measured', { names: names.join(', '), others: others.join(', ') });
}
