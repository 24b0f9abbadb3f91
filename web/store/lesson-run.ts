// Running a lesson's (or a practice question's) actions on the live engine, and what the code panel shows before
// they run. Both lessons and practice rounds use these: one way to play a step and collect what the engine did.
import { create } from 'zustand';
import { announce, quietly } from '../class/hooks';
import type { ScenarioOp } from '../model/scenario';
import type { TimelineEvent } from '../model/timeline';
import { runOperation } from './actions/operations';
import { shown } from './player';
import { useLab } from './store';

/** Where the timeline ends now: the position just after the newest event received. */
const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/**
 * Runs a lesson's actions on the live engine (the lesson's own database), one after the other, each played
 * through the animation at the chosen speed before the next starts (a class watches crash, then recovery, then the
 * read), and returns the events they caused. It resolves only once the player has shown the last of them: a reveal
 * never runs ahead of the picture. Resolves with null, having stopped, if the lesson was left or opened again
 * meanwhile: its remaining actions must never run on the class database (or on the next lesson's setup).
 */
export function perform(actions: ScenarioOp[], step?: number): Promise<TimelineEvent[] | null> {
  // A class hears that the step ran, not its actions: each student's tab runs the lesson's own, and judges its own
  // answer by its own engine's trace.
  if (step !== undefined) announce({ k: 'run', step });
  return quietly(() => performNow(actions));
}

async function performNow(actions: ScenarioOp[]): Promise<TimelineEvent[] | null> {
  useCodeHint.setState({ section: null });
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

/**
 * The algorithm a step is about, shown in the code panel before its actions run (a question about a Put shows
 * put(), not the recovery that opened the lesson). Cleared when they run: from then on the events say which line.
 */
export const useCodeHint = create<{ section: string | null }>(() => ({ section: null }));

/** The code panel's section for the first of a step's actions. */
export function sectionOf(actions: readonly ScenarioOp[]): string | null {
  switch (actions[0]?.op) {
    case 'put':
    case 'delete':
    case 'batch':
      return 'write';
    case 'get':
      return 'read';
    case 'scan':
      return 'scan';
    case 'snapshot':
    case 'release':
      return 'snapshot';
    case 'flush':
      return 'flush';
    case 'compact':
      return 'compaction';
    case 'crash':
    case 'recover':
    case 'arm':
      return 'recovery';
    default:
      return null;
  }
}

/**
 * The step the open lesson is at: `opened` is the opening it belongs to (an opening again starts at the first
 * step). A teacher's tab tells its class each step it goes to; a following student's tab is moved by those.
 */
export const useLessonStep = create<{ opened: number; step: number }>(() => ({ opened: 0, step: 0 }));

export function goToStep(opened: number, step: number): void {
  useLessonStep.setState({ opened, step });
  announce({ k: 'step', step });
}
