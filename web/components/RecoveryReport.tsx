import { useShown } from '../layout/shown';
import { useLab } from '../store/store';

/**
 * After Recover: every write the engine acknowledged before the crash, checked against the recovered tree,
 * and what recovery did to get there. It floats over the bottom of the picture until closed.
 */
export function RecoveryReport() {
  // It comes when Recover returns; it is shown once the picture has drawn the recovery.
  const report = useShown((s) => s.report);
  const recovery = useLab((s) => s.view.recovery);
  if (!report) return null;
  const damaged = report.unreadable.length > 0;
  const ok = report.missing.length === 0 && !damaged;
  // Relaxed durability acknowledges before writing: losing the last writes to a crash is its known price.
  const explained = report.durability === 'relaxed' && !damaged;
  return (
    <section
      className={`report ${ok ? 'report-ok' : explained ? 'report-warn' : 'report-bad'}`}
      aria-label="Durability report"
      data-testid="report"
    >
      <button type="button" className="quiet dismiss" onClick={() => useLab.setState({ report: null })}>
        Close
      </button>
      <p>
        <strong>
          Acknowledged writes before the {report.kind === 'power' ? 'power loss' : 'crash'}: {report.acknowledged}.
          Found after recovery: {report.found}. Lost: {report.missing.length}.
        </strong>{' '}
        In doubt (sent, never acknowledged, so either outcome is correct): {report.inDoubt}.{' '}
        {damaged
          ? `Unreadable: ${report.unreadable.length}: a checksum caught damaged bytes on their path (${report.unreadable[0]!.error}), so the engine refused to answer rather than return a wrong value.`
          : ok
            ? 'Nothing acknowledged was lost.'
            : explained
              ? 'Relaxed durability acknowledges writes before they are written and flushed: a crash within those few milliseconds takes the last of them.'
              : 'An acknowledged write was lost: that is a bug in the engine.'}
      </p>
      {recovery && (
        <p className="explain" data-testid="recovery-actions">
          Recovery replayed {recovery.replayed} WAL {recovery.replayed === 1 ? 'record' : 'records'}
          {recovery.tornTails.map((t) => `; cut a torn tail at byte ${t.offset} of ${t.file}`).join('')}
          {recovery.deleted.map((d) => `; deleted ${d.file} (${d.reason})`).join('')}.
        </p>
      )}
    </section>
  );
}
