import { DEFAULT_WORKLOAD, type KeyDistribution } from '@lsm-lab/engine';
import { type FormEvent, useState } from 'react';
import { showCount } from '../model/display';
import { cancelWorkload, runWorkload } from '../store/actions';
import { useLab } from '../store/store';

/** Many operations at once, generated in the worker: enough to watch flushes and compactions pile up. */
export function WorkloadPanel() {
  const [distribution, setDistribution] = useState<KeyDistribution>(DEFAULT_WORKLOAD.distribution);
  const [operations, setOperations] = useState(DEFAULT_WORKLOAD.operations);
  const [readPercent, setReadPercent] = useState(DEFAULT_WORKLOAD.readPercent);
  const [updatePercent, setUpdatePercent] = useState(DEFAULT_WORKLOAD.updatePercent);
  const [deletePercent, setDeletePercent] = useState(DEFAULT_WORKLOAD.deletePercent);
  const workload = useLab((s) => s.workload);
  // The progress line follows the picture, not the engine: "finished" once the player has drawn the workload's end.
  const shown = useLab((s) => s.view.workload);
  const open = useLab((s) => s.connection.status === 'open');
  const shares = readPercent + updatePercent + deletePercent;
  const valid = operations >= 1 && operations <= 1_000_000 && shares <= 100;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid || workload.running) return;
    void runWorkload({
      ...DEFAULT_WORKLOAD,
      distribution,
      operations,
      readPercent,
      updatePercent,
      deletePercent,
      seed: Math.floor(Math.random() * 2 ** 31),
    });
  };

  const percent = (label: string, value: number, set: (n: number) => void) => (
    <label>
      {label}
      <input type="number" min={0} max={100} value={value} onChange={(e) => set(Number(e.target.value))} />
    </label>
  );

  return (
    <section className="panel workload" aria-labelledby="workload-title">
      <h2 id="workload-title">Workload</h2>
      <form onSubmit={onSubmit}>
        <div className="fields">
          <label>
            Key pattern
            <select value={distribution} onChange={(e) => setDistribution(e.target.value as KeyDistribution)}>
              <option value="sequential">Sequential</option>
              <option value="random">Random</option>
              <option value="zipf">Skewed (Zipf)</option>
            </select>
          </label>
          <label>
            Operations
            <input
              type="number"
              min={1}
              max={1_000_000}
              value={operations}
              onChange={(e) => setOperations(Number(e.target.value))}
            />
          </label>
          {percent('Reads %', readPercent, setReadPercent)}
          {percent('Updates %', updatePercent, setUpdatePercent)}
          {percent('Deletes %', deletePercent, setDeletePercent)}
        </div>
        {shares > 100 && <p className="status status-error">Reads, updates and deletes add up to more than 100 %.</p>}
        <div className="buttons">
          <button type="submit" disabled={!open || !valid || workload.running}>
            Run workload
          </button>
          <button type="button" disabled={!workload.running} onClick={() => void cancelWorkload()}>
            Cancel
          </button>
        </div>
      </form>
      {shown && (
        <div className="progress">
          <progress max={shown.total} value={shown.done} aria-label="Workload progress" />
          <span data-testid="workload-progress">
            {showCount(shown.done)} of {showCount(shown.total)} operations
            {shown.ended === null ? '' : ` · ${shown.ended === 'crashed' ? 'stopped by the crash' : shown.ended}`}
          </span>
        </div>
      )}
      <p className="explain">
        The rest are new keys. Each write is still flushed to the WAL before the next; single writes are not drawn one
        by one, flushes and compactions are.
      </p>
    </section>
  );
}
