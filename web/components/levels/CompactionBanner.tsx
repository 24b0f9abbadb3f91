// The compaction under way or just done, in words: why it runs, what it reads and what it wrote.
import { plural, showBytes } from '../../model/display';
import type { FilteredView } from '../../model/view';
import { useLab } from '../../store/store';

export function CompactionBanner() {
  const compaction = useLab((s) => s.view.compaction)!;
  const compactions = useLab((s) => s.view.compactions);
  const snapshots = useLab((s) => s.view.snapshots);
  // Versions its inputs held for snapshots that it dropped: the snapshots that needed them were released.
  const released = compaction.done
    ? compaction.inputsKept.filter((k) => compaction.dropped.some((d) => d.key === k.key && d.seq === k.seq))
    : [];
  return (
    <div className={`compaction ${compaction.done ? 'done' : 'running'}`} data-testid="compaction">
      <strong>{compaction.done ? `Compaction #${compactions} done` : 'Compacting'}</strong> ({compaction.strategy}):{' '}
      {compaction.reason}.{' '}
      {compaction.trivialMove
        ? `${compaction.inputs[0]} moves to L${compaction.outputLevel} as is.`
        : compaction.done
          ? `${plural(compaction.entriesRead, 'entry', 'entries')} in, ${compaction.entriesWritten} out → ${plural(compaction.outputs.length, 'file')} in L${compaction.outputLevel}.`
          : `Merging ${plural(compaction.inputs.length, 'file')} (${compaction.inputs.join(', ')}) into L${compaction.outputLevel}.`}
      {compaction.done && !compaction.trivialMove && compaction.droppedShadowed + compaction.droppedTombstones > 0 && (
        <span className="dropped" data-testid="compaction-dropped">
          {' '}
          Dropped: <s>{plural(compaction.droppedShadowed, 'older version')}</s>
          {compaction.droppedTombstones > 0 && (
            <>
              {' '}
              and <s>{plural(compaction.droppedTombstones, 'tombstone')}</s> (nothing older lies below them)
            </>
          )}
          .
        </span>
      )}
      {compaction.done && <FilteredNote filtered={compaction.filtered} />}
      {compaction.done && compaction.keptForSnapshots > 0 && (
        <span className="kept-note" data-testid="compaction-kept">
          {' '}
          Kept {plural(compaction.keptForSnapshots, 'older version')} that live snapshots (
          {snapshots.map((s) => `#${s}`).join(', ')}) still see.
        </span>
      )}
      {released.length > 0 && (
        <span className="released-note" data-testid="compaction-released">
          {' '}
          Dropped {released.map((k) => `${showBytes(k.key, 12)} #${k.seq}`).join(', ')}: kept for a snapshot until it
          was released.
        </span>
      )}
      {compaction.done && compaction.dropped.length > 0 && (
        <ul className="dropped-versions" aria-label="Versions the merge dropped" data-testid="dropped-versions">
          {compaction.dropped.map((d) => (
            <li key={`${d.key} ${d.seq}`} className={`dropped-${d.why}`}>
              <s>
                {showBytes(d.key, 14)} #{d.seq}
              </s>{' '}
              {d.why === 'tombstone' ? 'tombstone' : d.op === 'delete' ? 'old tombstone' : 'overwritten'}
            </li>
          ))}
          {compaction.droppedShadowed + compaction.droppedTombstones > compaction.dropped.length && (
            <li className="more">
              … {compaction.droppedShadowed + compaction.droppedTombstones - compaction.dropped.length} more
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/** What the compaction filters dropped, apart from overwritten versions and tombstones, and why. */
function FilteredNote({ filtered }: { filtered: FilteredView }) {
  const total = filtered.prefix + filtered.ttl;
  if (total === 0) return null;
  const reasons = [
    filtered.prefix > 0 ? `${plural(filtered.prefix, 'value')} under a filtered key prefix` : '',
    filtered.ttl > 0 ? `${plural(filtered.ttl, 'value')} older than the TTL` : '',
  ].filter(Boolean);
  return (
    <span className="filtered-note" data-testid="compaction-filtered">
      {' '}
      Filtered out: {reasons.join(' and ')}
      {filtered.tombstones > 0 &&
        `; ${plural(filtered.tombstones, 'tombstone')} written in their place, as older versions may lie below`}
      .
      {filtered.shown.length > 0 && (
        <ul className="dropped-versions" aria-label="Values the filters dropped" data-testid="filtered-versions">
          {filtered.shown.map((f) => (
            <li key={`${f.key} ${f.seq}`} className={`filtered-${f.reason}`}>
              <s>
                {showBytes(f.key, 14)} #{f.seq}
              </s>{' '}
              {f.reason === 'prefix' ? 'prefix' : 'expired'}
            </li>
          ))}
          {total > filtered.shown.length && <li className="more">… {total - filtered.shown.length} more</li>}
        </ul>
      )}
    </span>
  );
}
