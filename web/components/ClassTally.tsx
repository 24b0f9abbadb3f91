import { useTranslation } from 'react-i18next';
import { type Tally, tally } from '../class/protocol';
import { useClass } from '../class/store';

/**
 * The class's answers to the open question, on the teacher's projector: how many of the students following have
 * answered, and one bar per answer with its count (no names: the relay never sees any, and the chart shows none).
 * Live until the teacher reveals; then the counts as they were at that moment, the engine's answer marked.
 */
export function ClassTally({
  q,
  order,
  labelOf,
  frozen,
  right,
}: {
  q: string;
  /** The choices, in the question's order (a bar each, even at 0); answers on the picture come as given. */
  order: string[];
  labelOf: (answer: string) => string;
  frozen: Tally | null;
  /** After the reveal: the engine's answer (its key). */
  right: string | undefined;
}) {
  const { t } = useTranslation('ui');
  const states = useClass((s) => s.states);
  const live = tally(states, q, order);
  const shown = frozen ?? live;
  const most = Math.max(1, ...shown.counts.map((c) => c.count));
  return (
    <figure className="class-tally" data-testid="class-tally" aria-label={t('class.tally.label')}>
      <figcaption data-testid="class-answered">
        {t('class.tally.answered', { answered: shown.answered, count: shown.following })}
        {right !== undefined &&
          t('class.tally.right', { count: shown.counts.find((c) => c.answer === right)?.count ?? 0 })}
      </figcaption>
      <ol className="tally-bars">
        {shown.counts.map(({ answer, count }) => (
          <li
            key={answer}
            className={`tally-bar ${right === undefined ? '' : answer === right ? 'right' : 'wrong'}`}
            data-answer={answer}
          >
            <span className="tally-label">{labelOf(answer)}</span>
            <span className="tally-track" aria-hidden="true">
              <span className="tally-fill" style={{ width: `${(count / most) * 100}%` }} />
            </span>
            <span className="tally-count" data-testid="tally-count">
              {count}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
