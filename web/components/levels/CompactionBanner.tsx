// The compaction under way or just done, in words: why it runs, what it reads and what it wrote.
// The reason is the engine's own sentence and stays as it says it (English).
import { useTranslation } from 'react-i18next';
import { showBytes, showCount } from '../../model/display';
import type { FilteredView } from '../../model/view';
import { useLab } from '../../store/store';

export function CompactionBanner() {
  const { t } = useTranslation('ui');
  const compaction = useLab((s) => s.view.compaction)!;
  const compactions = useLab((s) => s.view.compactions);
  const snapshots = useLab((s) => s.view.snapshots);
  // Versions its inputs held for snapshots that it dropped: the snapshots that needed them were released.
  const released = compaction.done
    ? compaction.inputsKept.filter((k) => compaction.dropped.some((d) => d.key === k.key && d.seq === k.seq))
    : [];
  const olderVersions = (n: number) => t('picture.compaction.olderVersions', { count: n, n: showCount(n) });
  const { failed } = compaction;
  if (failed) {
    // It stopped before its commit: say so, and where, instead of a merge that seems to run on. Short, as the
    // picture below it is what the class looks at now (why it began was told while it ran).
    return (
      <div className="compaction failed" data-testid="compaction">
        <strong>{t('picture.compaction.failed')}:</strong>{' '}
        <span data-testid="compaction-failed">
          {failed.file === undefined
            ? t('picture.compaction.failedOther', { message: failed.message })
            : t('picture.compaction.failedCorrupt', { file: failed.file, offset: failed.offset })}
        </span>
      </div>
    );
  }
  return (
    <div className={`compaction ${compaction.done ? 'done' : 'running'}`} data-testid="compaction">
      <strong>
        {compaction.done ? t('picture.compaction.done', { n: compactions }) : t('picture.compaction.running')}
      </strong>{' '}
      ({compaction.strategy}): {compaction.reason}.{' '}
      {compaction.trivialMove
        ? t('picture.compaction.moves', { file: compaction.inputs[0], level: compaction.outputLevel })
        : compaction.done
          ? t('picture.compaction.wrote', {
              entries: t('picture.compaction.entries', {
                count: compaction.entriesRead,
                n: showCount(compaction.entriesRead),
              }),
              out: compaction.entriesWritten,
              files: t('picture.compaction.files', { count: compaction.outputs.length }),
              level: compaction.outputLevel,
            })
          : t('picture.compaction.merging', {
              files: t('picture.compaction.files', { count: compaction.inputs.length }),
              names: compaction.inputs.join(', '),
              level: compaction.outputLevel,
            })}
      {compaction.done && !compaction.trivialMove && compaction.droppedShadowed + compaction.droppedTombstones > 0 && (
        <span className="dropped" data-testid="compaction-dropped">
          {' '}
          {t('picture.compaction.dropped')} <s>{olderVersions(compaction.droppedShadowed)}</s>
          {compaction.droppedTombstones > 0 && (
            <>
              {' '}
              {t('picture.compaction.and')}{' '}
              <s>
                {t('picture.compaction.tombstones', {
                  count: compaction.droppedTombstones,
                  n: showCount(compaction.droppedTombstones),
                })}
              </s>{' '}
              {t('picture.compaction.nothingBelow')}
            </>
          )}
          .
        </span>
      )}
      {compaction.done && <FilteredNote filtered={compaction.filtered} />}
      {compaction.done && compaction.keptForSnapshots > 0 && (
        <span className="kept-note" data-testid="compaction-kept">
          {' '}
          {t('picture.compaction.kept', {
            versions: olderVersions(compaction.keptForSnapshots),
            snapshots: snapshots.map((s) => `#${s}`).join(', '),
          })}
        </span>
      )}
      {released.length > 0 && (
        <span className="released-note" data-testid="compaction-released">
          {' '}
          {t('picture.compaction.released', {
            versions: released.map((k) => `${showBytes(k.key, 12)} #${k.seq}`).join(', '),
          })}
        </span>
      )}
      {compaction.done && compaction.dropped.length > 0 && (
        <ul
          className="dropped-versions"
          aria-label={t('picture.compaction.droppedList')}
          data-testid="dropped-versions"
        >
          {compaction.dropped.map((d) => (
            <li key={`${d.key} ${d.seq}`} className={`dropped-${d.why}`}>
              <s>
                {showBytes(d.key, 14)} #{d.seq}
              </s>{' '}
              {d.why === 'tombstone'
                ? t('picture.compaction.why.tombstone')
                : d.op === 'delete'
                  ? t('picture.compaction.why.oldTombstone')
                  : t('picture.compaction.why.overwritten')}
            </li>
          ))}
          {compaction.droppedShadowed + compaction.droppedTombstones > compaction.dropped.length && (
            <li className="more">
              {t('picture.compaction.more', {
                count: compaction.droppedShadowed + compaction.droppedTombstones - compaction.dropped.length,
              })}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/** What the compaction filters dropped, apart from overwritten versions and tombstones, and why. */
function FilteredNote({ filtered }: { filtered: FilteredView }) {
  const { t } = useTranslation('ui');
  const total = filtered.prefix + filtered.ttl;
  if (total === 0) return null;
  const reasons = [
    filtered.prefix > 0 ? t('picture.filtered.prefix', { count: filtered.prefix, n: showCount(filtered.prefix) }) : '',
    filtered.ttl > 0 ? t('picture.filtered.ttl', { count: filtered.ttl, n: showCount(filtered.ttl) }) : '',
  ].filter(Boolean);
  return (
    <span className="filtered-note" data-testid="compaction-filtered">
      {' '}
      {t('picture.filtered.out', { reasons: reasons.join(t('picture.compaction.andJoin')) })}
      {filtered.tombstones > 0 &&
        t('picture.filtered.tombstones', { count: filtered.tombstones, n: showCount(filtered.tombstones) })}
      .
      {filtered.shown.length > 0 && (
        <ul className="dropped-versions" aria-label={t('picture.filtered.list')} data-testid="filtered-versions">
          {filtered.shown.map((f) => (
            <li key={`${f.key} ${f.seq}`} className={`filtered-${f.reason}`}>
              <s>
                {showBytes(f.key, 14)} #{f.seq}
              </s>{' '}
              {f.reason === 'prefix' ? t('picture.filtered.why.prefix') : t('picture.filtered.why.expired')}
            </li>
          ))}
          {total > filtered.shown.length && (
            <li className="more">{t('picture.compaction.more', { count: total - filtered.shown.length })}</li>
          )}
        </ul>
      )}
    </span>
  );
}
