import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { codeContext, lineOf, PSEUDOCODE } from '../model/pseudocode';
import { useCodeHint } from '../store/lesson-run';
import { useLab } from '../store/store';

/** The algorithm the engine is running, with the line of the step being shown highlighted. */
export function Pseudocode() {
  // Subscribing re-renders the lines on a change of language: their words are getters calling `t`.
  const { t } = useTranslation('ui');
  const current = useLab((s) => (s.cursor > s.base ? s.history[s.cursor - 1 - s.base] : undefined));
  const inFlush = useLab((s) => codeContext.inFlush(s.view));
  const inCompaction = useLab((s) => codeContext.inCompaction(s.view));
  const inScan = useLab((s) => codeContext.inScan(s.view));
  // Before a lesson step's actions run, the algorithm it is about; from then on, the line of the event shown.
  const hint = useCodeHint((s) => s.section);
  const at = hint ? undefined : current ? lineOf(current, inFlush, inCompaction, inScan) : undefined;
  const section = PSEUDOCODE[hint ?? at?.section ?? 'write']!;
  const list = useRef<HTMLOListElement>(null);
  // The highlighted line in view: the list scrolls within its own box, never the page or the dock around it.
  useEffect(() => {
    const box = list.current;
    const line = box?.querySelector<HTMLElement>('li.current');
    if (!box || !line) return;
    const top = line.offsetTop - box.offsetTop;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + line.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = top + line.offsetHeight - box.clientHeight;
  });
  return (
    <section className="panel pseudocode" aria-labelledby="code-title">
      <h2 id="code-title">
        {t('code.heading')} <code>{section.title}</code>
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a list that can scroll must be reachable by keyboard (WCAG 2.1.1) */}
      <ol className="code" data-testid="pseudocode" ref={list} tabIndex={0}>
        {section.lines.map((line) => (
          <li
            key={line.id}
            className={line.id === at?.line ? 'current' : ''}
            style={{ paddingLeft: `${0.5 + line.indent * 1.5}em` }}
            aria-current={line.id === at?.line ? 'step' : undefined}
          >
            <code>{line.text}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
