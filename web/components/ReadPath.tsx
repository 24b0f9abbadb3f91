import { useTranslation } from 'react-i18next';
import { showBytes } from '../model/display';
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
            {t('readStep.get')} <strong>{showBytes(read.key)}</strong>
            {read.at !== null && <span data-testid="read-at">{t('readStep.atSnapshot', { seq: read.at })}</span>}
          </p>
          <ol className="steps" data-testid="read-steps">
            {read.steps.map((step) => (
              <li key={step.where === 'memtable' ? 'memtable' : step.file} className={`read-${step.found}`}>
                {step.where === 'memtable'
                  ? step.found === 'absent'
                    ? t('readStep.memtable.absent')
                    : step.found === 'value'
                      ? t('readStep.memtable.value')
                      : t('readStep.memtable.tombstone')
                  : t('readStep.inTable', { file: step.file, level: step.level, step: describeStep(step) })}
              </li>
            ))}
          </ol>
          {read.done && (
            <p className="read-result">
              {read.found
                ? t('readStep.result.found', { value: showBytes(read.value), source: read.source })
                : t('readStep.result.notFound')}{' '}
              · {t('readStep.result.inRange', { count: read.tablesChecked })} ·{' '}
              {t('readStep.result.bloomSkips', { count: read.bloomSkips })} ·{' '}
              {t('readStep.result.blocksRead', { count: read.blocksRead })}
            </p>
          )}
        </>
      )}
      {scan && (
        <div className="scan" data-testid="scan">
          <h3>
            {scan.start === null
              ? t('readStep.scan.fromStart')
              : t('readStep.scan.from', { key: showBytes(scan.start) })}
            {scan.end !== null && t('readStep.scan.to', { key: showBytes(scan.end) })}
            {scan.at !== null && t('readStep.scan.at', { seq: scan.at })}
          </h3>
          {scan.steps.length > 0 && (
            <ol className="scan-steps" aria-label={t('readPath.mergeSteps')} data-testid="scan-steps">
              {scan.steps.map((step) => (
                <li key={step.key} data-source={step.source} data-op={step.op}>
                  <span className="key">{showBytes(step.key, 16)}</span>:{' '}
                  {step.op === 'put' ? showBytes(step.value, 12) : t('readStep.scan.tombstone')}{' '}
                  {t('readStep.scan.fromSource', { seq: step.seq, source: step.source })}
                  {step.skipped.length > 0 &&
                    t('readStep.scan.passed', {
                      list: step.skipped
                        .map((v) =>
                          v.why === 'shadowed'
                            ? t('readStep.scan.skippedOlder', { seq: v.seq, source: v.source })
                            : t('readStep.scan.skippedNewer', { seq: v.seq, source: v.source }),
                        )
                        .join(', '),
                    })}
                </li>
              ))}
            </ol>
          )}
          <p className="explain">
            {t('readStep.scan.merged', { count: scan.sources.length, sources: scan.sources.join(', ') })}{' '}
            {scan.done &&
              t('readStep.scan.skipped', {
                older: t('readStep.scan.olderVersions', { count: scan.shadowed }),
                deleted: t('readStep.scan.deletedKeys', { count: scan.tombstones }),
              })}
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
