import { useState } from 'react';
import { practiceFromAddress } from '../layout/practice-address';
import { LESSONS, type Lesson, type LessonStep, lessonNumber } from '../model/lessons';
import type { ScenarioOp } from '../model/scenario';
import type { TimelineEvent } from '../model/timeline';
import { leaveLesson, openLesson, runOperation } from '../store/actions';
import { shown } from '../store/player';
import { readSetting, useLab, writeSetting } from '../store/store';
import { PracticeLauncher } from './PracticeRound';

/** Where the timeline ends now: the position just after the newest event received. */
const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/**
 * Runs a lesson's actions on the live engine (the lesson's own database), one after the other, each played
 * through the animation at the chosen speed before the next starts (a class watches crash, then recovery, then the
 * read), and returns the events they caused. It resolves only once the player has shown the last of them: a reveal
 * never runs ahead of the picture. Resolves with null, having stopped, if the lesson was left or opened again
 * meanwhile: its remaining actions must never run on the class database (or on the next lesson's setup).
 */
async function perform(actions: ScenarioOp[]): Promise<TimelineEvent[] | null> {
  const from = timelineEnd();
  const opening = useLab.getState().lesson?.opened;
  const still = () => {
    const lesson = useLab.getState().lesson;
    return lesson !== null && lesson.phase === 'ready' && lesson.opened === opening;
  };
  for (const action of actions) {
    if (!still()) return null;
    await runOperation(action);
    await shown(timelineEnd());
  }
  if (!still()) return null;
  const { base, history } = useLab.getState();
  return history.slice(Math.max(0, from - base));
}

interface Progress {
  /** Lesson id -> number of steps done, the last time it was gone through (all of them: finished). */
  done: Record<string, number>;
  /** Lesson id + step -> was the prediction right. */
  answers: Record<string, boolean>;
}

function loadProgress(): Progress {
  try {
    return { done: {}, answers: {}, ...JSON.parse(readSetting('lessons', '{}')) };
  } catch {
    return { done: {}, answers: {} };
  }
}

/**
 * The lessons: explanation, things to try, and predictions checked against what the engine then does. Each
 * opens on a database of its own, set up for it, and starts from its first step every time it is opened.
 */
export function LessonPanel() {
  const open = useLab((s) => s.lesson);
  const [chosen, setChosen] = useState(LESSONS[0]!.id);
  const [progress, setProgress] = useState(loadProgress);
  // The step reached in this opening of the lesson: an opening again starts from the first.
  const [at, setAt] = useState({ opened: 0, step: 0 });
  // `?practice=<chapter>&seed=<n>`: that chapter's practice round, until the course map offers it.
  const practice = practiceFromAddress();
  if (practice)
    return (
      <section className="panel lessons" aria-labelledby="lessons-title">
        <h2 id="lessons-title">Lessons</h2>
        <PracticeLauncher chapter={practice.chapter} seed={practice.seed} />
      </section>
    );
  const lesson = LESSONS.find((l) => l.id === (open?.id ?? chosen))!;
  const step = open && at.opened === open.opened ? at.step : 0;

  const advance = (answer?: boolean) => {
    if (!open) return;
    setAt({ opened: open.opened, step: step + 1 });
    const finished = step + 1 >= lesson.steps.length;
    const next: Progress = {
      done: finished ? { ...progress.done, [lesson.id]: lesson.steps.length } : progress.done,
      answers: answer === undefined ? progress.answers : { ...progress.answers, [`${lesson.id}:${step}`]: answer },
    };
    setProgress(next);
    writeSetting('lessons', JSON.stringify(next));
  };
  const start = (id: string) => {
    setChosen(id);
    void openLesson(id);
  };

  return (
    <section className="panel lessons" aria-labelledby="lessons-title">
      <h2 id="lessons-title">Lessons</h2>
      {/* One chip per lesson, numbered: the card stays short enough to sit beside the picture. */}
      <ol className="lesson-list">
        {LESSONS.map((l, index) => {
          const finished = (progress.done[l.id] ?? 0) >= l.steps.length;
          return (
            <li key={l.id}>
              <button
                type="button"
                className={`quiet ${l.id === lesson.id ? 'chosen' : ''}`}
                aria-current={l.id === lesson.id ? 'true' : undefined}
                aria-label={`${lessonNumber(l)} ${l.title}${finished ? ' (finished)' : ''}`}
                title={`${lessonNumber(l)} ${l.title}`}
                onClick={() => start(l.id)}
              >
                {index + 1}
                {finished && <span aria-hidden="true"> ✓</span>}
              </button>
            </li>
          );
        })}
      </ol>
      <h3 className="lesson-title">
        {lessonNumber(lesson)} {lesson.title}
      </h3>
      {!open ? (
        <div className="lesson-intro">
          <p>
            A lesson runs on a database of its own, set up for it, so it starts the same every time. The class database
            is kept as it is until you come back to it.
          </p>
          <button type="button" onClick={() => start(lesson.id)}>
            Open this lesson
          </button>
        </div>
      ) : open.phase === 'setting-up' ? (
        <p className="lesson-setup" role="status">
          Setting up the lesson on its own database…
        </p>
      ) : open.phase === 'failed' ? (
        <p className="lesson-setup" role="status">
          The lesson’s database would not open (see the status line).
        </p>
      ) : (
        <LessonBody
          key={`${lesson.id}:${open.opened}:${step}`}
          lesson={lesson}
          step={step}
          advance={advance}
          restart={() => start(lesson.id)}
        />
      )}
      {open && (
        <button type="button" className="quiet lesson-leave" onClick={() => void leaveLesson()}>
          Back to the class database
        </button>
      )}
    </section>
  );
}

function LessonBody({
  lesson,
  step,
  advance,
  restart,
}: {
  lesson: Lesson;
  step: number;
  advance: (answer?: boolean) => void;
  restart: () => void;
}) {
  const open = useLab((s) => s.connection.status === 'open');
  const current: LessonStep | undefined = lesson.steps[step];
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ actual: string; explanation: string } | null>(null);

  if (!current) {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p>
          <strong>Lesson done.</strong> Pick the next one, go through this one again, or go back to the class database.
        </p>
        <button type="button" onClick={restart}>
          Start this lesson again
        </button>
      </div>
    );
  }
  const label = `Step ${step + 1} of ${lesson.steps.length}`;
  if (current.kind === 'explain') {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p className="explain">{label}</p>
        <p>{current.text}</p>
        <button type="button" onClick={() => advance()}>
          Next
        </button>
      </div>
    );
  }
  if (current.kind === 'try') {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p className="explain">{label} · try it</p>
        <p>{current.text}</p>
        <button
          type="button"
          disabled={busy || !open}
          onClick={async () => {
            setBusy(true);
            const events = await perform(current.actions);
            setBusy(false);
            if (events) advance();
          }}
        >
          {current.button}
        </button>
      </div>
    );
  }
  if (current.kind === 'pick') return null; // drawn by PickStep (below), once the picture can be pointed at
  const right = revealed && choice === revealed.actual;
  return (
    <div className="lesson-step" data-testid="lesson-step">
      <p className="explain">{label} · predict, then see</p>
      <fieldset className="choice" disabled={revealed !== null}>
        <legend>{current.question}</legend>
        {current.choices.map((c) => (
          <label key={c.id}>
            <input type="radio" name="prediction" checked={choice === c.id} onChange={() => setChoice(c.id)} />
            {c.label}
          </label>
        ))}
      </fieldset>
      {!revealed ? (
        <button
          type="button"
          disabled={choice === null || busy || !open}
          onClick={async () => {
            setBusy(true);
            const events = await perform(current.actions);
            setBusy(false);
            if (events) setRevealed({ actual: current.outcome(events), explanation: current.explanation(events) });
          }}
        >
          {choice === null ? 'Choose an answer first' : busy ? 'Watch the picture…' : current.button}
        </button>
      ) : (
        <div className={`reveal ${right ? 'right' : 'wrong'}`} role="status" data-testid="lesson-reveal">
          <p>
            <strong>{right ? 'Right.' : 'Not quite.'}</strong> The engine did:{' '}
            {current.choices.find((c) => c.id === revealed.actual)?.label}.
          </p>
          <p>{revealed.explanation}</p>
          <button type="button" onClick={() => advance(Boolean(right))}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
