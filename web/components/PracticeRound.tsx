// Practice after a chapter: five questions drawn from a seed, each on a database of its own set up with a random
// state. The student answers (pointing at the picture, or ticking keys), the engine then does what the question
// said it would, and the reveal marks right and wrong from the engine's events, on the picture and in words.
import { useEffect, useRef, useState } from 'react';
import { CHAPTERS, type PickTarget } from '../model/lessons';
import { type PracticeQuestion, practiceRound, QUESTIONS_PER_ROUND } from '../model/practice';
import { loadProgress, saveProgress, withPracticeScore } from '../model/progress';
import { leavePractice, openPractice } from '../store/actions/practice';
import { perform, sectionOf, useCodeHint } from '../store/lesson-run';
import { askPick, endPick, lockPick, revealPick, sameSet, usePick } from '../store/pick';
import { useLab } from '../store/store';
import { useInView } from './useInView';

const chapterTitle = (id: string) => CHAPTERS.find((c) => c.id === id)?.title ?? id;

/** How to point, in the words of the picture. */
const POINT_AT: Record<PickTarget, string> = {
  table: 'Press the file cards on the picture',
  level: 'Press one level (its row of files) on the picture',
  'wal-record': 'Press the WAL records on the picture',
  'memtable-row': 'Press the memtable rows on the picture',
};

/** Nothing pointed at: one array, so that the store's selector returns the same thing while no question is open. */
const NOTHING: string[] = [];

/** A fresh seed for a round nobody asked for by number. */
const newSeed = () => Math.floor(Math.random() * 0x7fffffff);

/** What the student points at or ticks, in words: "000005.sst and 000007.sst", "nothing". */
function named(ids: readonly string[]): string {
  if (ids.length === 0) return 'nothing';
  return ids.length === 1 ? ids[0]! : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

interface Revealed {
  answer: string[];
  chosen: string[];
  right: boolean;
  explanation: string;
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
  const [round] = useState(() => practiceRound(chapter, seed));
  const [at, setAt] = useState(0);
  const [score, setScore] = useState(0);
  const question = round[at];

  if (!question) {
    return (
      <div className="lesson-step practice" data-testid="practice-step">
        <p role="status" data-testid="practice-score">
          <strong>
            Round done: {score} of {QUESTIONS_PER_ROUND} right.
          </strong>{' '}
          Every answer was checked against what the engine did.
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

  const label = `Question ${number} of ${QUESTIONS_PER_ROUND}`;
  const mustPoint = answerBy.by === 'pick' && answerBy.single && pointed.length === 0;
  if (!ready || phase !== 'ready')
    return (
      <div className="lesson-step practice" data-testid="practice-step">
        <p className="explain">{label}</p>
        <p role="status">
          {phase === 'failed'
            ? 'The practice database would not open (see the status line).'
            : 'Setting up a random state on the practice database…'}
        </p>
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
    setRevealed({ answer, chosen, right, explanation: question.explanation(events) });
  };

  return (
    <div className="lesson-step practice" data-testid="practice-step">
      <p className="explain">{label} · answer, then see what the engine does</p>
      {answerBy.by === 'pick' ? (
        <>
          <p className="pick-question">
            <strong>{question.prompt}</strong>
          </p>
          <p className="pick-how">
            {POINT_AT[answerBy.target]}
            {answerBy.single ? '.' : ' (as many as you think, or none).'} Pointed at:{' '}
            <span data-testid="practice-pointed">{named(pointed)}</span>
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
                    ? ' ✓ right'
                    : ' ✗ wrong'
                  : revealed.answer.includes(c.id)
                    ? ' ○ missed'
                    : '';
              return (
                <label key={c.id}>
                  <input
                    type="checkbox"
                    checked={ticked.includes(c.id)}
                    onChange={() => setTicked((t) => (t.includes(c.id) ? t.filter((x) => x !== c.id) : [...t, c.id]))}
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
          {mustPoint ? 'Point at one first' : busy ? 'Watch the picture…' : question.button}
        </button>
      ) : (
        <div
          className={`reveal ${revealed.right ? 'right' : 'wrong'}`}
          role="status"
          data-testid="practice-reveal"
          ref={reveal}
        >
          <p>
            <strong>{revealed.right ? 'Right.' : 'Not quite.'}</strong> You chose {named(revealed.chosen)}; the engine
            says: <span data-testid="practice-answer">{named(revealed.answer)}</span>.
          </p>
          <p>{revealed.explanation}</p>
          <button type="button" onClick={() => onNext(revealed.right)}>
            {number < QUESTIONS_PER_ROUND ? 'Next question' : 'See the score'}
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
  const [round, setRound] = useState<{ seed: number; n: number } | null>(null);
  const [best, setBest] = useState(() => loadProgress().practice[chapter]);
  const [finished, setFinished] = useState(false);
  const inPractice = useLab((s) => s.lesson !== null);
  const title = chapterTitle(chapter);
  return (
    <div className="practice-launcher">
      <h3 className="lesson-title">Practice: {title}</h3>
      {!round ? (
        <>
          <p>
            Five questions about a random state of the engine, each checked by what the engine then does.
            {best ? ` Last round: ${best.last} of ${QUESTIONS_PER_ROUND}; best: ${best.best}.` : ''}
          </p>
          <button type="button" onClick={() => setRound({ seed: seed ?? newSeed(), n: 1 })}>
            Start a practice round
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
                A new round
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
                Back to the class database
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
