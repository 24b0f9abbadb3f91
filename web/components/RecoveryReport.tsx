import { useShown } from '../layout/shown';
import { type DurabilityReport, useLab } from '../store/store';

/** "Acknowledged writes before the crash: 4. Found after recovery: 4. Lost: 0." */
export function reportHeadline(report: DurabilityReport): string {
  return `Acknowledged writes before the ${report.kind === 'power' ? 'power loss' : 'crash'}: ${report.acknowledged}. Found after recovery: ${report.found}. Lost: ${report.missing.length}.`;
}

/** The same in fewer words, for the embed's narrow status line: "After the crash: 4 of 4 acknowledged writes found." */
export function reportShort(report: DurabilityReport): string {
  const lost = report.missing.length + report.unreadable.length;
  return `After the ${report.kind === 'power' ? 'power loss' : 'crash'}: ${report.found} of ${report.acknowledged} acknowledged writes found${lost > 0 ? `, ${report.missing.length} lost${report.unreadable.length > 0 ? `, ${report.unreadable.length} unreadable` : ''}` : '. Lost: 0.'}`;
}

/** Whether the check passed, failed, or lost what relaxed durability is known to lose. */
export function reportTone(report: DurabilityReport): 'ok' | 'warn' | 'bad' {
  const damaged = report.unreadable.length > 0;
  if (report.missing.length === 0 && !damaged) return 'ok';
  // Relaxed durability acknowledges before writing: losing the last writes to a crash is its known price.
  return report.durability === 'relaxed' && !damaged ? 'warn' : 'bad';
}

/** The verdict in a few words, for the status line above the picture. */
export function reportVerdict(report: DurabilityReport): string {
  if (report.unreadable.length > 0)
    return `Unreadable: ${report.unreadable.length}: a checksum caught damaged bytes, and the engine refused to answer rather than return a wrong value.`;
  switch (reportTone(report)) {
    case 'ok':
      return 'Nothing acknowledged was lost.';
    case 'warn':
      return 'Relaxed durability: a crash takes the last acknowledged writes.';
    default:
      return 'An acknowledged write was lost: that is a bug in the engine.';
  }
}

/**
 * After Recover: every write the engine acknowledged before the crash, checked against the recovered tree, and
 * what recovery did to get there. The status line above the picture gives the verdict; this, in the Crash lab, the
 * whole account. Nothing of it floats over the picture.
 */
export function RecoveryReport() {
  // It comes when Recover returns; it is shown once the picture has drawn the recovery.
  const report = useShown((s) => s.report);
  const recovery = useLab((s) => s.view.recovery);
  if (!report) return null;
  const damaged = report.unreadable.length > 0;
  const tone = reportTone(report);
  return (
    <section className={`report report-${tone}`} aria-label="Durability report" data-testid="report-details">
      <h3>After the last recovery</h3>
      <p>
        <strong>{reportHeadline(report)}</strong> In doubt (sent, never acknowledged, so either outcome is correct):{' '}
        {report.inDoubt}.{' '}
        {damaged
          ? `Unreadable: ${report.unreadable.length}: a checksum caught damaged bytes on their path (${report.unreadable[0]!.error}), so the engine refused to answer rather than return a wrong value.`
          : tone === 'ok'
            ? 'Nothing acknowledged was lost.'
            : tone === 'warn'
              ? 'Relaxed durability acknowledges writes before they are written and flushed: a crash within those few milliseconds takes the last of them.'
              : 'An acknowledged write was lost: that is a bug in the engine.'}
      </p>
      {report.missing.length > 0 && (
        <p className="explain">
          Lost: {report.missing.slice(0, 8).join(', ')}
          {report.missing.length > 8 ? ` and ${report.missing.length - 8} more` : ''}.
        </p>
      )}
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
