// Practice after a chapter: five questions drawn from a seed, each on a database of its own set up with a random
// state. The student answers (pointing at the picture, or ticking keys), the engine then does what the question
// said it would, and the reveal marks right and wrong from the engine's events, on the picture and in words.
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHAPTERS, type PickTarget } from '../model/lessons';
import { type PracticeQuestion, practiceRound, QUESTIONS_PER_ROUND } from '../model/practice';
import { loadProgress, saveProgress, withPracticeScore } from '../model/progress';
import type { TimelineEvent } from '../model/timeline';
import { leavePractice, openPractice } from '../store/actions/practice';
import { perform, sectionOf, useCodeHint } from '../store/lesson-run';
import { askPick, endPick, lockPick, revealPick, sameSet, usePick } from '../store/pick';
import { useLab } from '../store/store';
import { useInView } from './useInView';

const chapterTitle = (id: string) => CHAPTERS.find((c) => c.id === id)?.title ?? id;

/** How to point, in the words of the picture. */
function pointAt(target: PickTarget, t: TFunction<'ui'>): string {
  switch (target) {
    case 'table':
      return t('practice.point.table');
    case 'level':
      return t('practice.point.level');
    case 'wal-record':
      return t('practice.point.wal');
    case 'memtable-row':
      return t('practice.point.memtable');
  }
}

/** Nothing pointed at: one array, so that the store's selector returns the same thing while no question is open. */
const NOTHING: string[] = [];

/** A fresh seed for a round nobody asked for by number. */
const newSeed = () => Math.floor(Math.random() * 0x7fffffff);

/** What the student points at or ticks, in words: "000005.sst and 000007.sst", "nothing". */
function named(ids: readonly string[], t: TFunction<'ui'>): string {
  if (ids.length === 0) return t('practice.nothing');
  return ids.length === 1 ? ids[0]! : t('practice.and', { list: ids.slice(0, -1).join(', '), last: ids.at(-1) });
}

interface Revealed {
  answer: string[];
  chosen: string[];
  right: boolean;
  /** The engine's events: the explanation is worded from them at render, in the language chosen then. */
  events: readonly TimelineEvent[];
}

/**
 * A round of the chapter's practice, drawn from `seed`: one question after the other, then the score, which is kept
 * with the chapter's (localStorage) and handed to `onFinished`.
 */
export function PracticeRound({
  chapter,
  seed,
  onFinished,
}: {
  chapter: string;
  seed: number;
  onFinished: (score: number) => void;
}) {
  const { t } = useTranslation('ui');
  const [round] = useState(() => practiceRound(chapter, seed));
  const [at, setAt] = useState(0);
  const [score, setScore] = useState(0);
  const question = round[at];

  if (!question) {
    return (
      <div className="lesson-step practice" data-testid="practice-step">
        <p role="status" data-testid="practice-score">
          <strong>{t('practice.roundDone', { score, total: QUESTIONS_PER_ROUND })}</strong> {t('practice.checked')}
        </p>
      </div>
    );
  }
  return (
    <Question
      key={at}
      chapter={chapter}
      number={at + 1}
      question={question}
      onNext={(right) => {
        const total = score + (right ? 1 : 0);
        setScore(total);
        setAt(at + 1);
        if (at + 1 === round.length) {
          saveProgress(withPracticeScore(loadProgress(), chapter, total));
          onFinished(total);
        }
      }}
    />
  );
}

function Question({
  chapter,
  number,
  question,
  onNext,
}: {
  chapter: string;
  number: number;
  question: PracticeQuestion;
  onNext: (right: boolean) => void;
}) {
  const { t } = useTranslation('ui');
  const phase = useLab((s) => s.lesson?.phase);
  const [ready, setReady] = useState(false);
  const [ticked, setTicked] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const reveal = useRef<HTMLDivElement>(null);
  // The reveal comes into the dock's view under its question, as a lesson's does.
  useInView(reveal, revealed !== null);
  const pointed = usePick((s) => s.pick?.chosen ?? NOTHING);
  const { answerBy } = question;

  useEffect(() => {
    let current = true;
    void openPractice(chapter, number, question.setup).then(() => {
      if (!current) return;
      if (answerBy.by === 'pick') askPick(answerBy.target, answerBy.single);
      // The code panel shows the algorithm the question is about while it is asked.
      useCodeHint.setState({ section: sectionOf(question.actions) });
      setReady(true);
    });
    return () => {
      current = false;
      endPick();
      useCodeHint.setState({ section: null });
    };
  }, [chapter, number, question, answerBy]);

  const label = t('practice.questionOf', { number, total: QUESTIONS_PER_ROUND });
  const mustPoint = answerBy.by === 'pick' && answerBy.single && pointed.length === 0;
  if (!ready || phase !== 'ready')
    return (
      <div className="lesson-step practice" data-testid="practice-step">
        <p className="explain">{label}</p>
        <p role="status">{phase === 'failed' ? t('practice.failed') : t('practice.settingUp')}</p>
      </div>
    );

  const run = async () => {
    setBusy(true);
    // The answer is what was pointed at when it was sent: the picture is not pointed at while it changes.
    if (answerBy.by === 'pick') lockPick();
    const events = await perform(question.actions);
    setBusy(false);
    if (!events) return;
    const answer = question.answer(events);
    const chosen = answerBy.by === 'pick' ? pointed : ticked;
    const right = answerBy.by === 'pick' ? revealPick(answer) : sameSet(ticked, answer);
    setRevealed({ answer, chosen, right, events });
  };

  return (
    <div className="lesson-step practice" data-testid="practice-step">
      <p className="explain">
        {label} · {t('practice.kind')}
      </p>
      {answerBy.by === 'pick' ? (
        <>
          <p className="pick-question">
            <strong>{question.prompt}</strong>
          </p>
          <p className="pick-how">
            {pointAt(answerBy.target, t)}
            {answerBy.single ? '.' : t('lesson.pick.asMany')} {t('lesson.pick.pointed')}{' '}
            <span data-testid="practice-pointed">{named(pointed, t)}</span>
          </p>
        </>
      ) : (
        <fieldset className="choice" disabled={revealed !== null || busy}>
          <legend>{question.prompt}</legend>
          {/* After the reveal only the keys ticked or the engine's stay, marked: the question and answer in little room. */}
          {answerBy.choices
            .filter((c) => !revealed || ticked.includes(c.id) || revealed.answer.includes(c.id))
            .map((c) => {
              const mark = !revealed
                ? ''
                : ticked.includes(c.id)
                  ? revealed.answer.includes(c.id)
                    ? t('practice.mark.right')
                    : t('practice.mark.wrong')
                  : revealed.answer.includes(c.id)
                    ? t('practice.mark.missed')
                    : '';
              return (
                <label key={c.id}>
                  <input
                    type="checkbox"
                    checked={ticked.includes(c.id)}
                    onChange={() =>
                      setTicked((now) => (now.includes(c.id) ? now.filter((x) => x !== c.id) : [...now, c.id]))
                    }
                  />
                  {c.label}
                  {mark}
                </label>
              );
            })}
        </fieldset>
      )}
      {!revealed ? (
        <button type="button" disabled={busy || mustPoint} onClick={() => void run()}>
          {mustPoint ? t('practice.pointFirst') : busy ? t('lesson.watch') : question.button}
        </button>
      ) : (
        <div
          className={`reveal ${revealed.right ? 'right' : 'wrong'}`}
          role="status"
          data-testid="practice-reveal"
          ref={reveal}
        >
          <p>
            <strong>{revealed.right ? t('lesson.right') : t('lesson.wrong')}</strong>{' '}
            {t('practice.youChose', { chosen: named(revealed.chosen, t) })}{' '}
            <span data-testid="practice-answer">{named(revealed.answer, t)}</span>.
          </p>
          <p>{question.explanation(revealed.events)}</p>
          <button type="button" onClick={() => onNext(revealed.right)}>
            {number < QUESTIONS_PER_ROUND ? t('practice.nextQuestion') : t('practice.seeScore')}
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * The chapter's practice, ready to drop into the course map: a button that starts a round (from `seed`, or a new
 * one), the round, its score, and the way back to the class database.
 */
export function PracticeLauncher({ chapter, seed }: { chapter: string; seed?: number }) {
  const { t } = useTranslation('ui');
  const [round, setRound] = useState<{ seed: number; n: number } | null>(null);
  const [best, setBest] = useState(() => loadProgress().practice[chapter]);
  const [finished, setFinished] = useState(false);
  const inPractice = useLab((s) => s.lesson !== null);
  const title = chapterTitle(chapter);
  return (
    <div className="practice-launcher">
      <h3 className="lesson-title">{t('practice.title', { title })}</h3>
      {!round ? (
        <>
          <p>
            {t('practice.intro')}
            {best ? t('practice.best', { last: best.last, total: QUESTIONS_PER_ROUND, best: best.best }) : ''}
          </p>
          <button type="button" onClick={() => setRound({ seed: seed ?? newSeed(), n: 1 })}>
            {t('practice.start')}
          </button>
        </>
      ) : (
        <>
          <PracticeRound
            key={round.n}
            chapter={chapter}
            seed={round.seed}
            onFinished={() => {
              setBest(loadProgress().practice[chapter]);
              setFinished(true);
            }}
          />
          <div className="practice-actions">
            {finished && (
              <button
                type="button"
                onClick={() => {
                  setFinished(false);
                  setRound({ seed: newSeed(), n: round.n + 1 });
                }}
              >
                {t('practice.newRound')}
              </button>
            )}
            {inPractice && (
              <button
                type="button"
                className="quiet lesson-leave"
                onClick={() => {
                  setRound(null);
                  void leavePractice();
                }}
              >
                {t('lesson.backToClassDb')}
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
