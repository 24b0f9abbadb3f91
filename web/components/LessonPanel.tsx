import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answerKey, questionOf, type Tally, tally } from '../class/protocol';
import { answer, useClass, useFollowing, useTeaching } from '../class/store';
import { practiceFromAddress } from '../layout/practice-address';
import {
  CHAPTERS,
  type Chapter,
  LESSONS,
  type Lesson,
  type LessonStep,
  lessonNumber,
  type PickTarget,
} from '../model/lessons';
import { EMPTY_PROGRESS, loadProgress, type Progress, saveProgress } from '../model/progress';
import type { TimelineEvent } from '../model/timeline';
import { leaveLesson, openLesson } from '../store/actions';
import { goToStep, perform, sectionOf, useCodeHint, useLessonStep } from '../store/lesson-run';
import { askPick, endPick, lockPick, revealPick, usePick } from '../store/pick';
import { useLab } from '../store/store';
import { ClassTally } from './ClassTally';
import { PracticeLauncher } from './PracticeRound';
import { useInView } from './useInView';

/**
 * The course: a map of its chapters and lessons (done marks, practice scores, a note for the teacher), and the
 * lesson open now, step by step: explanations, things to try on the live engine, and predictions checked against
 * what the engine then does, some answered by pointing at the picture. Each lesson opens on a database of its own,
 * set up for it, and starts from its first step every time it is opened.
 */
export function LessonPanel() {
  // Subscribing re-renders the lesson on a change of language: its texts are getters that call `t`.
  const { t } = useTranslation('ui');
  const open = useLab((s) => s.lesson);
  const [progress, setProgress] = useState(loadProgress);
  // The map, shown over an open lesson without leaving it (its database and its step stay).
  const [mapShown, setMapShown] = useState(false);
  // A chapter's practice round: from the map, or from the address (`?practice=<chapter>&seed=<n>`).
  const [practice, setPractice] = useState(practiceFromAddress);
  const leavePracticeView = () => {
    setPractice(undefined);
    setProgress(loadProgress());
    const params = new URLSearchParams(location.search);
    params.delete('practice');
    params.delete('seed');
    const search = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  };
  // The step reached in this opening of the lesson: an opening again starts from the first. A following student's
  // tab is moved by the teacher's (class/student.ts), a teacher's tells its class (goToStep).
  const at = useLessonStep();
  const driven = useFollowing();
  const lesson = open ? LESSONS.find((l) => l.id === open.id) : undefined;
  const step = open && at.opened === open.opened ? at.step : 0;

  const keep = (next: Progress) => {
    setProgress(next);
    saveProgress(next);
  };
  const advance = (answer?: boolean) => {
    if (!open || !lesson) return;
    goToStep(open.opened, step + 1);
    const finished = step + 1 >= lesson.steps.length;
    keep({
      ...progress,
      done: finished ? { ...progress.done, [lesson.id]: lesson.steps.length } : progress.done,
      answers: answer === undefined ? progress.answers : { ...progress.answers, [`${lesson.id}:${step}`]: answer },
    });
  };
  const start = (id: string) => {
    setMapShown(false);
    void openLesson(id);
  };
  // A new view (the map, a lesson, its next step) starts at its top, not where the last one was scrolled to.
  const panel = useRef<HTMLElement>(null);
  const view = `${mapShown || !lesson ? 'map' : lesson.id}:${open?.opened}:${step}`;
  useEffect(() => {
    const box = panel.current?.closest('.dock-body');
    if (box && view) box.scrollTop = 0;
  }, [view]);

  if (practice)
    return (
      <section className="panel lessons" aria-labelledby="lessons-title" ref={panel}>
        <h2 id="lessons-title" className="visually-hidden">
          {t('lesson.heading')}
        </h2>
        <button type="button" className="quiet" onClick={leavePracticeView}>
          ← {t('lesson.courseMap')}
        </button>
        <PracticeLauncher chapter={practice.chapter} seed={practice.seed} />
      </section>
    );
  return (
    <section className="panel lessons" aria-labelledby="lessons-title" ref={panel}>
      {/* Over a lesson the heading is for screen readers only: the lesson's own title says where the class is. */}
      <h2 id="lessons-title" className={lesson && !mapShown ? 'visually-hidden' : undefined}>
        {t('lesson.heading')}
      </h2>
      {driven && !lesson && (
        <p className="explain" data-testid="class-waiting">
          {t('lesson.following')}
        </p>
      )}
      {(!lesson || mapShown) && !driven && (
        <CourseMap
          progress={progress}
          current={lesson}
          onOpen={start}
          onPractice={(chapter) => setPractice({ chapter, seed: undefined })}
          onReset={() => keep({ ...EMPTY_PROGRESS })}
          onBack={lesson ? () => setMapShown(false) : undefined}
        />
      )}
      {/* Hidden under the map, not unmounted: a step's reveal (or its actions, still playing) is there on the way
          back, and its question is not asked again of an engine that already ran its actions. */}
      {lesson && (
        <div className="lesson-open" hidden={mapShown && !driven}>
          {/* A following student's lesson is the teacher's: no way to another from here. */}
          {driven ? (
            <h3 className="lesson-title">
              {lessonNumber(lesson)} {lesson.title}
            </h3>
          ) : (
            <LessonNav lesson={lesson} onMap={() => setMapShown(true)} onOpen={start} />
          )}
          {open?.phase === 'setting-up' ? (
            <p className="lesson-setup" role="status">
              {t('lesson.settingUp')}
            </p>
          ) : open?.phase === 'failed' ? (
            <p className="lesson-setup" role="status">
              {t('lesson.failed')}
            </p>
          ) : (
            <LessonBody
              key={`${lesson.id}:${open?.opened}:${step}`}
              lesson={lesson}
              step={step}
              advance={advance}
              restart={() => start(lesson.id)}
              next={LESSONS[LESSONS.indexOf(lesson) + 1]}
              onOpen={start}
              driven={driven}
            />
          )}
          {!driven && (
            <>
              <TeacherNote lesson={lesson} />
              <button type="button" className="quiet lesson-leave" onClick={() => void leaveLesson()}>
                {t('lesson.backToClassDb')}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** The chapters and their lessons: what each teaches, which are done, and each chapter's practice score. */
function CourseMap({
  progress,
  current,
  onOpen,
  onPractice,
  onReset,
  onBack,
}: {
  progress: Progress;
  current: Lesson | undefined;
  onOpen: (id: string) => void;
  onPractice: (chapter: string) => void;
  onReset: () => void;
  onBack: (() => void) | undefined;
}) {
  const { t } = useTranslation('ui');
  // A lesson or a practice round may hold the lesson database open behind the map.
  const away = useLab((s) => s.lesson !== null);
  const finished = LESSONS.filter((l) => (progress.done[l.id] ?? 0) >= l.steps.length).length;
  return (
    <div className="course-map" data-testid="course-map">
      <p className="explain">
        {t('lesson.map.summary', { lessons: LESSONS.length, chapters: CHAPTERS.length, done: finished })}
      </p>
      {onBack && (
        <button type="button" className="quiet" onClick={onBack}>
          ← {t('lesson.map.backToLesson')}
        </button>
      )}
      {CHAPTERS.map((chapter, c) => (
        <ChapterMap
          key={chapter.id}
          chapter={chapter}
          number={c + 1}
          progress={progress}
          current={current}
          onOpen={onOpen}
          onPractice={() => onPractice(chapter.id)}
        />
      ))}
      {away && !onBack && (
        <button type="button" className="quiet lesson-leave" onClick={() => void leaveLesson()}>
          {t('lesson.backToClassDb')}
        </button>
      )}
      <button
        type="button"
        className="quiet"
        onClick={() => {
          if (confirm(t('lesson.map.resetConfirm'))) onReset();
        }}
      >
        {t('lesson.map.reset')}
      </button>
    </div>
  );
}

function ChapterMap({
  chapter,
  number,
  progress,
  current,
  onOpen,
  onPractice,
}: {
  chapter: Chapter;
  number: number;
  progress: Progress;
  current: Lesson | undefined;
  onOpen: (id: string) => void;
  onPractice: () => void;
}) {
  const { t } = useTranslation('ui');
  const score = progress.practice[chapter.id];
  return (
    <section className="chapter" aria-labelledby={`chapter-${chapter.id}`} data-testid={`chapter-${chapter.id}`}>
      <h3 id={`chapter-${chapter.id}`}>
        {number}. {chapter.title}
      </h3>
      <ol className="chapter-lessons">
        {chapter.lessons.map((l) => {
          const done = (progress.done[l.id] ?? 0) >= l.steps.length;
          return (
            <li key={l.id} className={`chapter-lesson ${done ? 'done' : ''}`}>
              <button
                type="button"
                className={`quiet lesson-link ${l === current ? 'chosen' : ''}`}
                aria-current={l === current ? 'true' : undefined}
                aria-label={`${lessonNumber(l)} ${l.title}${done ? t('lesson.map.doneSuffix') : ''}`}
                onClick={() => onOpen(l.id)}
              >
                <span className="lesson-number">{lessonNumber(l)}</span> {l.title}
                {done && (
                  <span className="done-mark" aria-hidden="true">
                    {' '}
                    ✓
                  </span>
                )}
              </button>
              <span className="topic">{l.topic}</span>
            </li>
          );
        })}
      </ol>
      <p className="practice-line" data-testid={`practice-${chapter.id}`}>
        <button
          type="button"
          onClick={onPractice}
          aria-label={t('lesson.map.practiceLabel', { chapter: chapter.title })}
        >
          {t('lesson.map.practice')}
        </button>
        <span>
          {score
            ? t('lesson.map.score', { best: score.best, last: score.last, count: score.rounds })
            : t('lesson.map.noRound')}
        </span>
      </p>
    </section>
  );
}

/** Where the open lesson is in the course, the way back to the map, and the lessons either side. */
function LessonNav({ lesson, onMap, onOpen }: { lesson: Lesson; onMap: () => void; onOpen: (id: string) => void }) {
  const { t } = useTranslation('ui');
  const index = LESSONS.indexOf(lesson);
  const previous = LESSONS[index - 1];
  const next = LESSONS[index + 1];
  return (
    <div className="lesson-nav">
      <div className="lesson-nav-row">
        <button type="button" className="quiet" onClick={onMap}>
          {t('lesson.courseMap')}
        </button>
        <button
          type="button"
          className="quiet"
          disabled={!previous}
          onClick={() => previous && onOpen(previous.id)}
          aria-label={
            previous
              ? t('lesson.nav.previous', { number: lessonNumber(previous), title: previous.title })
              : t('lesson.nav.noPrevious')
          }
        >
          ‹ {previous ? lessonNumber(previous) : ''}
        </button>
        <button
          type="button"
          className="quiet"
          disabled={!next}
          onClick={() => next && onOpen(next.id)}
          aria-label={
            next ? t('lesson.nav.next', { number: lessonNumber(next), title: next.title }) : t('lesson.nav.noNext')
          }
        >
          {next ? lessonNumber(next) : ''} ›
        </button>
      </div>
      <h3 className="lesson-title">
        {lessonNumber(lesson)} {lesson.title}
      </h3>
    </div>
  );
}

function TeacherNote({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation('ui');
  return (
    <details className="teacher-note">
      <summary>{t('lesson.forTeacher')}</summary>
      <p>{lesson.note}</p>
    </details>
  );
}

function LessonBody({
  lesson,
  step,
  advance,
  restart,
  next,
  onOpen,
  driven,
}: {
  lesson: Lesson;
  step: number;
  advance: (answer?: boolean) => void;
  restart: () => void;
  next: Lesson | undefined;
  onOpen: (id: string) => void;
  /** A following student's tab: the teacher's runs the steps and moves on. */
  driven: boolean;
}) {
  const { t } = useTranslation('ui');
  const current: LessonStep | undefined = lesson.steps[step];
  // The code panel shows the algorithm this step is about until its actions run.
  useEffect(() => {
    useCodeHint.setState({ section: current && 'actions' in current ? sectionOf(current.actions) : null });
    return () => useCodeHint.setState({ section: null });
  }, [current]);

  if (!current && driven) {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p>
          <strong>{t('lesson.done')}</strong> {t('lesson.doneDriven')}
        </p>
      </div>
    );
  }
  if (!current) {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p>
          <strong>{t('lesson.done')}</strong> {t('lesson.doneNext')}
        </p>
        <div className="lesson-actions">
          {next && (
            <button type="button" onClick={() => onOpen(next.id)}>
              {t('lesson.onTo', { number: lessonNumber(next), title: next.title })}
            </button>
          )}
          <button type="button" className="quiet" onClick={restart}>
            {t('lesson.again')}
          </button>
        </div>
      </div>
    );
  }
  const label = t('lesson.stepOf', { step: step + 1, count: lesson.steps.length });
  if (current.kind === 'explain') {
    return (
      <div className="lesson-step" data-testid="lesson-step">
        <p className="explain">{label}</p>
        <p>{current.text}</p>
        {driven ? (
          <TeacherMovesOn />
        ) : (
          <button type="button" onClick={() => advance()}>
            {t('lesson.next')}
          </button>
        )}
      </div>
    );
  }
  const props = { label, advance, index: step, driven };
  if (current.kind === 'try') return <TryStep step={current} {...props} />;
  if (current.kind === 'pick') return <PickStep step={current} {...props} />;
  return <PredictStep step={current} {...props} />;
}

/** Where a following student's Next button would be. */
function TeacherMovesOn({ text }: { text?: string }) {
  const { t } = useTranslation('ui');
  return (
    <p className="class-wait" role="status">
      {text ?? t('lesson.class.movesOn')}
    </p>
  );
}

/**
 * The class's view of a step with actions: its question's name, and (on a following student's tab) whether the
 * teacher's tab ran them, with the events this tab's own engine gave for them.
 */
function useClassStep(index: number) {
  const q = useClass((s) => questionOf(s.lessonAt, index));
  const ran = useClass((s) => (s.ran?.q === q ? s.ran : null));
  const teaching = useTeaching();
  return { q, ran, teaching };
}

interface StepProps<K extends LessonStep['kind']> {
  step: Extract<LessonStep, { kind: K }>;
  label: string;
  /** The step's position in its lesson: a class names its question by it. */
  index: number;
  driven: boolean;
}

function TryStep({ step, label, advance, index, driven }: StepProps<'try'> & { advance: () => void }) {
  const { t } = useTranslation('ui');
  const open = useLab((s) => s.connection.status === 'open');
  const [busy, setBusy] = useState(false);
  const { ran } = useClassStep(index);
  return (
    <div className="lesson-step" data-testid="lesson-step">
      <p className="explain">
        {label} · {t('lesson.kind.try')}
      </p>
      <p>{step.text}</p>
      {driven ? (
        <TeacherMovesOn text={ran ? t('lesson.class.teacherRan') : t('lesson.class.teacherRuns')} />
      ) : (
        <button
          type="button"
          disabled={busy || !open}
          onClick={async () => {
            setBusy(true);
            const events = await perform(step.actions, index);
            setBusy(false);
            if (events) advance();
          }}
        >
          {busy ? t('lesson.watch') : step.button}
        </button>
      )}
    </div>
  );
}

function PredictStep({
  step,
  label,
  advance,
  index,
  driven,
}: StepProps<'predict'> & { advance: (answer: boolean) => void }) {
  const { t } = useTranslation('ui');
  const open = useLab((s) => s.connection.status === 'open');
  const { q, ran, teaching } = useClassStep(index);
  const sent = useClass((s) => s.answers[q]?.[0] ?? null);
  const [own, setOwn] = useState<string | null>(null);
  const choice = driven ? sent : own;
  const [busy, setBusy] = useState(false);
  const [result, setRevealed] = useState<{ actual: string; events: readonly TimelineEvent[] } | null>(null);
  // On a following student's tab the reveal comes from the teacher's run, judged by this tab's own engine.
  const revealed = driven ? (ran?.events ? { actual: step.outcome(ran.events), events: ran.events } : null) : result;
  const locked = revealed !== null || busy || (driven && ran !== null);
  const right = revealed !== null && choice === revealed.actual;
  // The class's answers, counted the moment the teacher reveals: later ones do not change the chart.
  const [frozen, setFrozen] = useState<Tally | null>(null);
  const reveal = useRef<HTMLDivElement>(null);
  useInView(reveal, revealed !== null);
  const choose = (id: string) => (driven ? answer(q, [id]) : setOwn(id));
  const labelOf = (id: string) => step.choices.find((c) => c.id === id)?.label ?? id;
  return (
    <div className="lesson-step" data-testid="lesson-step">
      <p className="explain">
        {label} · {t('lesson.kind.predict')}
      </p>
      {/* Not while the actions run: the picture is showing the outcome, and the reveal judges the choice then. */}
      <fieldset className="choice" disabled={locked}>
        <legend>{step.question}</legend>
        {/* After the reveal only the choice made and the engine's stay: the question and the answer in little room. */}
        {step.choices
          .filter((c) => !revealed || c.id === choice || c.id === revealed.actual)
          .map((c) => (
            <label key={c.id}>
              <input type="radio" name="prediction" checked={choice === c.id} onChange={() => choose(c.id)} />
              {c.label}
            </label>
          ))}
      </fieldset>
      {teaching && (
        <ClassTally
          q={q}
          order={step.choices.map((c) => c.id)}
          labelOf={labelOf}
          frozen={frozen}
          right={revealed ? revealed.actual : undefined}
        />
      )}
      {!revealed ? (
        driven ? (
          <TeacherMovesOn
            text={
              ran
                ? t('lesson.class.answersIn')
                : choice === null
                  ? t('lesson.class.choose')
                  : t('lesson.class.answered')
            }
          />
        ) : (
          <button
            type="button"
            // The teacher of a class reveals for the class: no answer of their own is needed.
            disabled={(choice === null && !teaching) || busy || !open}
            onClick={async () => {
              if (teaching)
                setFrozen(
                  tally(
                    useClass.getState().states,
                    q,
                    step.choices.map((c) => c.id),
                  ),
                );
              setBusy(true);
              const events = await perform(step.actions, index);
              setBusy(false);
              if (events) setRevealed({ actual: step.outcome(events), events });
            }}
          >
            {choice === null && !teaching ? t('lesson.chooseFirst') : busy ? t('lesson.watch') : step.button}
          </button>
        )
      ) : (
        <div
          className={`reveal ${choice === null ? 'neutral' : right ? 'right' : 'wrong'}`}
          role="status"
          data-testid="lesson-reveal"
          ref={reveal}
        >
          <p>
            {choice !== null && <strong>{right ? t('lesson.right') : t('lesson.wrong')} </strong>}
            {t('lesson.engineDid', { answer: labelOf(revealed.actual) })}
          </p>
          <p>{step.explanation(revealed.events)}</p>
          {driven ? (
            <TeacherMovesOn />
          ) : (
            <button type="button" onClick={() => advance(right)}>
              {t('lesson.next')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** What to point at, in the words of the picture, in the language chosen now. */
function pointAt(target: PickTarget, t: TFunction<'ui'>): { many: string; one: string; first: string } {
  switch (target) {
    case 'table':
      return {
        many: t('lesson.pick.table.many'),
        one: t('lesson.pick.table.one'),
        first: t('lesson.pick.table.first'),
      };
    case 'level':
      return {
        many: t('lesson.pick.level.many'),
        one: t('lesson.pick.level.one'),
        first: t('lesson.pick.level.first'),
      };
    case 'wal-record':
      return { many: t('lesson.pick.wal.many'), one: t('lesson.pick.wal.one'), first: t('lesson.pick.wal.first') };
    case 'memtable-row':
      return {
        many: t('lesson.pick.memtable.many'),
        one: t('lesson.pick.memtable.one'),
        first: t('lesson.pick.memtable.first'),
      };
  }
}

/** Names for the things pointed at: "L1", "000004.sst", "000003.log @ 42", a key. */
function nameOf(target: PickTarget, id: string): string {
  if (target === 'wal-record') return id.replace('@', ' @ ');
  if (target === 'memtable-row') {
    const bytes = id.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }
  return id;
}

/**
 * A question answered on the picture: the things it is about become buttons there; the student points, presses
 * the step's button, watches, and the picture marks each thing right, wrong or missed by the engine's own trace.
 */
function PickStep({ step, label, advance, index, driven }: StepProps<'pick'> & { advance: (answer: boolean) => void }) {
  const { t } = useTranslation('ui');
  const open = useLab((s) => s.connection.status === 'open');
  const chosen = usePick((s) => s.pick?.chosen ?? []);
  const { q, ran, teaching } = useClassStep(index);
  const [busy, setBusy] = useState(false);
  const [result, setRevealed] = useState<{ answer: string[]; right: boolean; events: readonly TimelineEvent[] } | null>(
    null,
  );
  const [frozen, setFrozen] = useState<Tally | null>(null);
  const reveal = useRef<HTMLDivElement>(null);
  useInView(reveal, result !== null);
  useEffect(() => {
    askPick(step.target, step.single ?? false);
    return endPick;
  }, [step]);
  // A following student's pointing is their answer, sent as it changes, until the teacher reveals.
  useEffect(() => {
    if (!driven) return;
    return usePick.subscribe((s, before) => {
      if (s.pick && s.pick.chosen !== before.pick?.chosen && !s.pick.locked) answer(q, s.pick.chosen);
    });
  }, [driven, q]);
  // …and the teacher's run locks it, then this tab's own engine judges it, marked on its own picture.
  useEffect(() => {
    if (!driven || !ran) return;
    lockPick();
    if (!ran.events) return;
    const engine = step.answer(ran.events);
    setRevealed({ answer: engine, right: revealPick(engine), events: ran.events });
  }, [driven, ran, step]);
  const words = pointAt(step.target, t);
  const names = (ids: string[]) =>
    ids.length === 0 ? t('lesson.pick.none') : ids.map((id) => nameOf(step.target, id)).join(', ');
  const revealed = result;
  // The teacher of a class points at nothing: the class answers, the chart shows how. Nor is a student who came in
  // after the question (a reload, a late join) judged on an answer never given.
  const sent = useClass((s) => s.answers[q] !== undefined);
  const judged = !(chosen.length === 0 && (teaching || (driven && !sent)));
  return (
    <div className="lesson-step" data-testid="lesson-step">
      <p className="explain">
        {label} · {t('lesson.kind.pick')}
      </p>
      <p className="pick-question">
        <strong>{step.question}</strong>
      </p>
      {teaching && chosen.length === 0 ? (
        <p className="pick-how">{t('lesson.class.points')}</p>
      ) : (
        <p className="pick-how">
          {step.single ? words.one : words.many}
          {step.single ? '.' : t('lesson.pick.asMany')} {t('lesson.pick.pointed')}{' '}
          <span data-testid="pick-chosen">{names(chosen)}</span>
        </p>
      )}
      {teaching && (
        <ClassTally
          q={q}
          order={[]}
          labelOf={(key: string) => names(key === '' ? [] : key.split(' '))}
          frozen={frozen}
          right={revealed ? answerKey(revealed.answer) : undefined}
        />
      )}
      {!revealed ? (
        driven ? (
          <TeacherMovesOn text={ran ? t('lesson.class.answersIn') : t('lesson.class.point')} />
        ) : (
          <button
            type="button"
            disabled={(step.single && chosen.length === 0 && !teaching) || busy || !open}
            onClick={async () => {
              if (teaching) setFrozen(tally(useClass.getState().states, q));
              setBusy(true);
              lockPick();
              const events = await perform(step.actions, index);
              setBusy(false);
              if (!events) return;
              const engine = step.answer(events);
              setRevealed({ answer: engine, right: revealPick(engine), events });
            }}
          >
            {step.single && chosen.length === 0 && !teaching ? words.first : busy ? t('lesson.watch') : step.button}
          </button>
        )
      ) : (
        <div
          className={`reveal ${!judged ? 'neutral' : revealed.right ? 'right' : 'wrong'}`}
          role="status"
          data-testid="lesson-reveal"
          ref={reveal}
        >
          <p>
            {judged && <strong>{revealed.right ? t('lesson.right') : t('lesson.wrong')} </strong>}
            {t('lesson.pick.engineAnswer', { answer: names(revealed.answer) })}
            {!judged || revealed.right ? '' : t('lesson.pick.youPointed', { chosen: names(chosen) })}
            {t('lesson.pick.marks')}
          </p>
          <p>{step.explanation(revealed.events)}</p>
          {driven ? (
            <TeacherMovesOn />
          ) : (
            <button type="button" onClick={() => advance(revealed.right)}>
              {t('lesson.next')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
