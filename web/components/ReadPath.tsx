import { useTranslation } from 'react-i18next';
import { plural, showBytes } from '../model/display';
import { describeStep } from '../model/read-step';
import { useLab } from '../store/store';

/** The last Get, step by step (where the engine looked, what each place said), and the last Scan's merge. */
export function ReadPath() {
  const { t } = useTranslation('ui');
  const read = useLab((s) => s.view.read);
  const scan = useLab((s) => s.view.scan);
  return (
    <section className="panel read-path" aria-labelledby="read-title">
      <h2 id="read-title">{t('readPath.title')}</h2>
      {!read ? (
        <p className="empty">{t('readPath.empty')}</p>
      ) : (
        <>
          <p className="read-key">
            Get <strong>{showBytes(read.key)}</strong>
            {read.at !== null && <span data-testid="read-at"> at snapshot #{read.at}: no write after it is seen</span>}
          </p>
          <ol className="steps" data-testid="read-steps">
            {read.steps.map((step) => (
              <li key={step.where === 'memtable' ? 'memtable' : step.file} className={`read-${step.found}`}>
                {step.where === 'memtable'
                  ? `memtable: ${step.found === 'absent' ? 'not here' : step.found === 'value' ? 'found' : 'tombstone'}`
                  : `${step.file} (L${step.level}): ${describeStep(step)}`}
              </li>
            ))}
          </ol>
          {read.done && (
            <p className="read-result">
              {read.found ? `= ${showBytes(read.value)} from ${read.source}` : 'not found'} ·{' '}
              {plural(read.tablesChecked, 'SSTable')} in range · {plural(read.bloomSkips, 'bloom skip')} ·{' '}
              {plural(read.blocksRead, 'block')} read
            </p>
          )}
        </>
      )}
      {scan && (
        <div className="scan" data-testid="scan">
          <h3>
            Scan {scan.start === null ? 'from the start' : `from ${showBytes(scan.start)}`}
            {scan.end !== null && ` to ${showBytes(scan.end)}`}
            {scan.at !== null && ` at sequence #${scan.at}`}
          </h3>
          {scan.steps.length > 0 && (
            <ol className="scan-steps" aria-label={t('readPath.mergeSteps')} data-testid="scan-steps">
              {scan.steps.map((step) => (
                <li key={step.key} data-source={step.source} data-op={step.op}>
                  <span className="key">{showBytes(step.key, 16)}</span>:{' '}
                  {step.op === 'put' ? showBytes(step.value, 12) : 'tombstone (key skipped)'} #{step.seq} from{' '}
                  {step.source}
                  {step.skipped.length > 0 &&
                    `; passed over ${step.skipped.map((v) => `#${v.seq} in ${v.source} (${v.why === 'shadowed' ? 'older' : 'after the snapshot'})`).join(', ')}`}
                </li>
              ))}
            </ol>
          )}
          <p className="explain">
            Merged {scan.sources.length} sorted sources ({scan.sources.join(', ')}); the newest version of each key
            wins.{' '}
            {scan.done &&
              `${plural(scan.shadowed, 'older version')} and ${plural(scan.tombstones, 'deleted key')} skipped.`}
          </p>
          <ol className="scan-results">
            {scan.results.map((r) => (
              <li key={r.key}>
                <span className="key">{showBytes(r.key, 20)}</span>{' '}
                <span className="value">{showBytes(r.value, 16)}</span> <span className="source">{r.source}</span>
              </li>
            ))}
            {scan.count > scan.results.length && (
              <li className="more">… {t('memtable.more', { count: scan.count - scan.results.length })}</li>
            )}
          </ol>
        </div>
      )}
    </section>
  );
}
