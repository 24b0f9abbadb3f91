import { useTranslation } from 'react-i18next';
import { t } from '../i18n';
import { useShown } from '../layout/shown';
import { type DurabilityReport, useLab } from '../store/store';

/** "Acknowledged writes before the crash: 4. Found after recovery: 4. Lost: 0." */
export function reportHeadline(report: DurabilityReport): string {
  return t(report.kind === 'power' ? 'ui:report.headlinePower' : 'ui:report.headlineCrash', {
    acknowledged: report.acknowledged,
    found: report.found,
    lost: report.missing.length,
  });
}

/** The same in fewer words, for the embed's narrow status line: "After the crash: 4 of 4 acknowledged writes found." */
export function reportShort(report: DurabilityReport): string {
  const lost = report.missing.length + report.unreadable.length;
  const params = {
    found: report.found,
    acknowledged: report.acknowledged,
    lost: report.missing.length,
    unreadable: report.unreadable.length,
  };
  const power = report.kind === 'power';
  if (lost === 0) return t(power ? 'ui:report.shortPower' : 'ui:report.shortCrash', params);
  return report.unreadable.length > 0
    ? t(power ? 'ui:report.shortPowerUnreadable' : 'ui:report.shortCrashUnreadable', params)
    : t(power ? 'ui:report.shortPowerLost' : 'ui:report.shortCrashLost', params);
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
  if (report.unreadable.length > 0) return t('ui:report.unreadable', { count: report.unreadable.length });
  switch (reportTone(report)) {
    case 'ok':
      return t('ui:report.nothingLost');
    case 'warn':
      return t('ui:report.relaxed');
    default:
      return t('ui:report.bug');
  }
}

/**
 * After Recover: every write the engine acknowledged before the crash, checked against the recovered tree, and
 * what recovery did to get there. The status line above the picture gives the verdict; this, in the Crash lab, the
 * whole account. Nothing of it floats over the picture.
 */
export function RecoveryReport() {
  // It comes when Recover returns; it is shown once the picture has drawn the recovery.
  const { t } = useTranslation('ui');
  const report = useShown((s) => s.report);
  const recovery = useLab((s) => s.view.recovery);
  if (!report) return null;
  const damaged = report.unreadable.length > 0;
  const tone = reportTone(report);
  return (
    <section className={`report report-${tone}`} aria-label={t('report.label')} data-testid="report-details">
      <h3>{t('report.title')}</h3>
      <p>
        <strong>{reportHeadline(report)}</strong> {t('report.inDoubt', { count: report.inDoubt })}{' '}
        {damaged
          ? t('report.unreadableWhy', { count: report.unreadable.length, error: report.unreadable[0]!.error })
          : tone === 'ok'
            ? t('report.nothingLost')
            : tone === 'warn'
              ? t('report.relaxedLong')
              : t('report.bug')}
      </p>
      {report.missing.length > 0 && (
        <p className="explain">
          {t('report.lost', { keys: report.missing.slice(0, 8).join(', ') })}
          {report.missing.length > 8 ? t('report.andMore', { count: report.missing.length - 8 }) : ''}.
        </p>
      )}
      {recovery && (
        <p className="explain" data-testid="recovery-actions">
          {t('report.replayed', { count: recovery.replayed })}
          {recovery.tornTails.map((tail) => t('report.cutTail', { offset: tail.offset, file: tail.file })).join('')}
          {recovery.deleted.map((d) => t('report.deleted', { file: d.file, reason: d.reason })).join('')}.
        </p>
      )}
    </section>
  );
}
