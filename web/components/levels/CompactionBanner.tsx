// The compaction under way or just done, in words: why it runs, what it reads and what it wrote.
import { plural, showBytes } from '../../model/display';
import { useLab } from '../../store/store';

export function CompactionBanner() {
  const compaction = useLab((s) => s.view.compaction)!;
  const compactions = useLab((s) => s.view.compactions);
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
