// Doing what a class's log says on this tab's engine, as the teacher's tab did it: a student's tab live and when
// it catches up, and a teacher's tab reloaded (it finds its class where it left it).

import { t } from '../i18n';
import { openDock } from '../layout/dock';
import { lessonBySlug } from '../model/lessons';
import { changeSettings, leaveLesson, openLesson, reset, runOperation, switchDatabase } from '../store/actions';
import { say } from '../store/actions/say';
import { goToStep, perform, useLessonStep } from '../store/lesson-run';
import { drain, restartPlayer, shown } from '../store/player';
import { DEFAULT_SETTINGS, type LabSettings, useLab } from '../store/store';
import { type CatchUp, type Entry, planCatchUp, questionOf } from './protocol';
import { useClass } from './store';

const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/** Opens `database` afresh and replays what of `log` still counts (planCatchUp), the picture jumping. */
export async function replay(log: readonly unknown[], database: string): Promise<CatchUp> {
  const plan = planCatchUp(log);
  await fast(async () => {
    await switchDatabase(database);
    for (const { at, entry } of plan.entries) await apply(entry, at);
  });
  return plan;
}

/** Runs `task` with the player at instant speed: a catch-up's picture jumps to where the class is. */
export async function fast(task: () => Promise<void>): Promise<void> {
  const speed = useLab.getState().speed;
  useLab.setState({ speed: 'instant' });
  restartPlayer();
  try {
    await task();
  } finally {
    drain();
    useLab.setState({ speed });
    restartPlayer();
  }
}

/** One entry of the class's log, done on this tab's engine as the teacher's tab did it. */
export async function apply(entry: Entry, at: number): Promise<void> {
  switch (entry.k) {
    case 'reset': {
      const settings = { ...DEFAULT_SETTINGS, ...(entry.settings as Partial<LabSettings>) };
      useLab.setState({ settings });
      await reset();
      await changeSettings(settings);
      break;
    }
    case 'op':
      await runOperation(entry.op);
      await shown(timelineEnd());
      break;
    case 'lesson':
      useClass.setState({ lessonAt: at, ran: null });
      openDock('lessons');
      await openLesson(entry.id);
      useLessonStep.setState({ opened: useLab.getState().lesson?.opened ?? 0, step: 0 });
      break;
    case 'leave':
      useClass.setState({ lessonAt: -1, ran: null });
      await leaveLesson();
      break;
    case 'step': {
      const open = useLab.getState().lesson;
      if (open) goToStep(open.opened, entry.step);
      break;
    }
    case 'run': {
      const open = useLab.getState().lesson;
      const step = open ? lessonBySlug(open.id)?.steps[entry.step] : undefined;
      if (!step || !('actions' in step)) break;
      const q = questionOf(useClass.getState().lessonAt, entry.step);
      // The answer is locked from here: the picture is about to show the outcome.
      useClass.setState({ ran: { q, events: null } });
      const events = await perform(step.actions);
      if (events) useClass.setState({ ran: { q, events } });
      break;
    }
    case 'end':
      useClass.setState({ mode: 'ended' });
      say(() => t('ui:class.msg.teacherEnded'), 'ok');
      break;
  }
}
