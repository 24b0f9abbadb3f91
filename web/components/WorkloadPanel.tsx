import { DEFAULT_WORKLOAD, type KeyDistribution } from '@lsm-lab/engine';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showCount } from '../model/display';
import { cancelWorkload, runWorkload } from '../store/actions';
import { useLab } from '../store/store';

/** Many operations at once, generated in the worker: enough to watch flushes and compactions pile up. */
export function WorkloadPanel() {
  const { t } = useTranslation('ui');
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
      <h2 id="workload-title">{t('workload.title')}</h2>
      <form onSubmit={onSubmit}>
        <div className="fields">
          <label>
            {t('workload.pattern')}
            <select value={distribution} onChange={(e) => setDistribution(e.target.value as KeyDistribution)}>
              <option value="sequential">{t('workload.sequential')}</option>
              <option value="random">{t('workload.random')}</option>
              <option value="zipf">{t('workload.zipf')}</option>
            </select>
          </label>
          <label>
            {t('workload.operations')}
            <input
              type="number"
              min={1}
              max={1_000_000}
              value={operations}
              onChange={(e) => setOperations(Number(e.target.value))}
            />
          </label>
          {percent(t('workload.reads'), readPercent, setReadPercent)}
          {percent(t('workload.updates'), updatePercent, setUpdatePercent)}
          {percent(t('workload.deletes'), deletePercent, setDeletePercent)}
        </div>
        {shares > 100 && <p className="status status-error">{t('workload.over')}</p>}
        <div className="buttons">
          <button type="submit" disabled={!open || !valid || workload.running}>
            {t('workload.run')}
          </button>
          <button type="button" disabled={!workload.running} onClick={() => void cancelWorkload()}>
            {t('workload.cancel')}
          </button>
        </div>
      </form>
      {shown && (
        <div className="progress">
          <progress max={shown.total} value={shown.done} aria-label={t('workload.progress')} />
          <span data-testid="workload-progress">
            {t('workload.done', { done: showCount(shown.done), total: showCount(shown.total) })}
            {shown.ended === null
              ? ''
              : ` · ${shown.ended === 'crashed' ? t('workload.stoppedByCrash') : shown.ended === 'cancelled' ? t('workload.cancelled') : t('workload.finished')}`}
          </span>
        </div>
      )}
      <p className="explain">{t('workload.explain')}</p>
    </section>
  );
}
