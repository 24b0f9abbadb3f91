import { useTranslation } from 'react-i18next';
import { openDock } from '../layout/dock';
import { EMBED } from '../layout/embed';
import { useShown } from '../layout/shown';
import { useFitText } from '../layout/useFitText';
import { messageText } from '../store/actions/say';
import { type DurabilityReport, useLab } from '../store/store';
import { reportHeadline, reportShort, reportTone, reportVerdict } from './RecoveryReport';

/**
 * The caption row: the step being shown, in large type (what a teacher would say out loud), and the latest
 * status message once the picture has shown what it reports. After Recover the status is the durability check's
 * verdict, in one or two lines; its details sit in the Crash lab. Nothing here ever floats over the picture, and
 * both boxes keep their height: a long sentence is set smaller, never cut.
 */
export function Caption() {
  const { t } = useTranslation('ui');
  const last = useLab((s) => s.log[s.log.length - 1]);
  // An error (bad input, a refused write) is news of its own: it is said at once. Not Recover's verdict: a recovery
  // that lost writes is said, with its report, once the replay is drawn.
  const message = useShown(
    (s) => s.message,
    (m) => m.tone === 'error' && !m.about,
  );
  const report = useShown((s) => s.report);
  const status = useLab((s) => s.connection.status);
  const now = last?.text ?? t('caption.idle');
  // While a workload streams pictures its caption is fitted in the frame that paints it (see useFitText).
  const streaming = useLab((s) => s.workload.running);
  const nowBox = useFitText<HTMLParagraphElement>(now, streaming);
  // The report answers Recover; the first message after it (a put, a get) takes its place.
  const verdict = report !== null && message?.about === report ? report : null;
  const text = verdict
    ? EMBED
      ? reportShort(verdict)
      : `${reportHeadline(verdict)} ${reportVerdict(verdict)}`
    : message
      ? messageText(message)
      : status === 'starting'
        ? t('caption.opening')
        : t('caption.ready');
  const statusBox = useFitText<HTMLDivElement>(text, streaming);
  return (
    <div className="caption-row">
      <p
        ref={nowBox}
        className={`now now-${last?.kind.split('.')[0] ?? 'none'}${last?.kind.endsWith('.fail') ? ' now-failed' : ''}`}
        aria-hidden="true"
        data-testid="now"
      >
        {now}
      </p>
      {verdict ? (
        <div
          ref={statusBox}
          role="status"
          className={`status status-report report-${reportTone(verdict)}`}
          data-testid="report"
        >
          <ReportLine report={verdict} />
        </div>
      ) : (
        <div ref={statusBox} role="status" className={`status status-${message?.tone ?? 'info'}`} data-testid="status">
          {text}
        </div>
      )}
    </div>
  );
}

function ReportLine({ report }: { report: DurabilityReport }) {
  const { t } = useTranslation('ui');
  const presenter = useLab((s) => s.presenter);
  // The embed has two short lines and no Crash lab: the count alone.
  if (EMBED) return <strong>{reportShort(report)}</strong>;
  return (
    <>
      <strong>{reportHeadline(report)}</strong> {reportVerdict(report)}{' '}
      {/* Presenter mode shows the lesson card alone beside the picture: the Crash lab is a step out of it. */}
      {!presenter && (
        <button type="button" className="link-button" onClick={() => openDock('crash')}>
          {t('caption.details')}
        </button>
      )}
    </>
  );
}
