import { useLab } from '../store/store';

/** After Recover: every write the engine acknowledged before the crash, checked against the recovered tree. */
export function RecoveryReport() {
  const report = useLab((s) => s.report);
  const recovery = useLab((s) => s.view.recovery);
  if (!report) return null;
  const ok = report.missing.length === 0;
  return (
    <section
      className={`report ${ok ? 'report-ok' : 'report-bad'}`}
      aria-label="Durability report"
      data-testid="report"
    >
      <p>
        <strong>
          Acknowledged writes before the crash: {report.acknowledged}. Found after recovery: {report.found}.
        </strong>{' '}
        {ok ? 'Nothing acknowledged was lost.' : `Lost: ${report.missing.length}.`}
        {report.inDoubt > 0 &&
          ` ${report.inDoubt} write(s) were in flight, never acknowledged: either outcome is correct.`}
      </p>
      {recovery && (
        <p className="explain">
          Recovery replayed {recovery.replayed} WAL {recovery.replayed === 1 ? 'record' : 'records'}
          {recovery.tornTails.map((t) => `; cut a torn tail at byte ${t.offset} of ${t.file}`).join('')}
          {recovery.deleted.map((d) => `; deleted ${d.file}`).join('')}.
        </p>
      )}
    </section>
  );
}
