import { useState } from 'react';
import { lessonFromAddress } from '../layout/embed';
import { LESSONS, type Lesson, type LessonAction, type LessonStep } from '../model/lessons';
import type { TimelineEvent } from '../model/timeline';
import { changeSettings, reset, runOperation } from '../store/actions';
import { shown } from '../store/player';
import { readSetting, useLab, writeSetting } from '../store/store';

/** Where the timeline ends now: the position just after the newest event received. */
const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/**
 * Runs a lesson's actions on the live engine, one after the other, each played through the animation at the
 * chosen speed before the next starts (a class watches crash, then recovery, then the read), and returns the
 * events they caused. It resolves only once the player has shown the last of them: a reveal never runs ahead of
 * the picture.
 */
async function perform(actions: LessonAction[]): Promise<TimelineEvent[]> {
  const from = timelineEnd();
  for (const action of actions) {
    if (action.do === 'reset') {
      await changeSettings({ memtableBytes: action.memtableBytes, compaction: 'leveled', bloomBitsPerKey: 10 });
      await reset();
    } else if (action.do === 'puts') {
      for (const key of action.keys) await runOperation({ op: 'put', key, value: action.value });
    } else if (action.do === 'crash') {
      await runOperation({ op: 'crash', kind: useLab.getState().crashKind });
    } else {
      await runOperation(
        action.do === 'put'
          ? { op: 'put', key: action.key, value: action.value }
          : action.do === 'get' || action.do === 'delete'
            ? { op: action.do, key: action.key }
            : { op: action.do },
      );
    }
    await shown(timelineEnd());
  }
  const { base, history } = useLab.getState();
  return history.slice(Math.max(0, from - base));
}

interface Progress {
  /** Lesson id -> number of steps done. */
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

/** The lessons: explanation, things to try, and predictions checked against what the engine then does. */
export function LessonPanel() {
  const [lessonId, setLessonId] = useState((LESSONS[lessonFromAddress() ?? 0] ?? LESSONS[0]!).id);
  const [progress, setProgress] = useState(loadProgress);
  const lesson = LESSONS.find((l) => l.id === lessonId)!;
  const step = progress.done[lesson.id] ?? 0;

  const advance = (answer?: boolean) => {
    const next: Progress = {
      done: { ...progress.done, [lesson.id]: step + 1 },
      answers: answer === undefined ? progress.answers : { ...progress.answers, [`${lesson.id}:${step}`]: answer },
    };
    setProgress(next);
    writeSetting('lessons', JSON.stringify(next));
  };
  const restart = () => {
    const next = { ...progress, done: { ...progress.done, [lesson.id]: 0 } };
    setProgress(next);
    writeSetting('lessons', JSON.stringify(next));
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
                className={`quiet ${l.id === lessonId ? 'chosen' : ''}`}
                aria-current={l.id === lessonId ? 'true' : undefined}
                aria-label={`${l.title}${finished ? ' (finished)' : ''}`}
                title={l.title}
                onClick={() => setLessonId(l.id)}
              >
                {index + 1}
                {finished && <span aria-hidden="true"> ✓</span>}
              </button>
            </li>
          );
        })}
      </ol>
      <h3 className="lesson-title">{lesson.title}</h3>
      <LessonBody key={`${lesson.id}:${step}`} lesson={lesson} step={step} advance={advance} restart={restart} />
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
  const [revealed, setRevealed] = useState<{ actual: string } | null>(null);

  if (!current) {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p>
          <strong>Lesson done.</strong> Pick the next one, or go through this one again.
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
          disabled={busy || (!open && current.actions[0]?.do !== 'reset')}
          onClick={async () => {
            setBusy(true);
            await perform(current.actions);
            setBusy(false);
            advance();
          }}
        >
          {current.button}
        </button>
      </div>
    );
  }
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
            setRevealed({ actual: current.outcome(events) });
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
          <p>{current.explanation}</p>
          <button type="button" onClick={() => advance(Boolean(right))}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}
