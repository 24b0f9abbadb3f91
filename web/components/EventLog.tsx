import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePending } from '../store/hooks';
import { type LogLine, useLab } from '../store/store';

/**
 * The narration: one plain sentence per engine step, newest at the bottom. The scroller is a reversed flex
 * column, so the browser keeps it pinned to the newest line by itself: reading scrollHeight after every
 * render to scroll by hand forced a layout of the whole page each time (measured: most of the main thread's
 * time during a workload).
 */
export function EventLog() {
  const { t, i18n } = useTranslation('ui');
  const log = useLab((s) => s.log);
  const pending = usePending();
  return (
    <section className="panel event-log" aria-labelledby="log-title">
      <h2 id="log-title">
        {t('log.title')} {pending > 0 && <span className="tag">{t('log.pending', { count: pending })}</span>}
      </h2>
      <div
        className="log-scroller"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-labelledby="log-title"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled (WCAG 2.1.1)
        tabIndex={0}
      >
        {/* role: a list styled without markers stays a list for every screen reader (the numbers are drawn in CSS) */}
        {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
        <ol role="list" data-testid="event-log">
          {log.map((line) => (
            <Line key={line.id} line={line} language={i18n.resolvedLanguage} />
          ))}
        </ol>
      </div>
    </section>
  );
}

/**
 * A line never changes once written, except in a new language (its text is narrated when read): a workload adds
 * dozens at a time, and only those are rendered.
 */
const Line = memo(function Line({ line }: { line: LogLine; language: string | undefined }) {
  return (
    <li value={line.id} className={`log-${line.kind.split('.')[0]}${line.kind.endsWith('.fail') ? ' log-failed' : ''}`}>
      {line.text}
    </li>
  );
});
