// A practice question runs as a lesson does: on the lesson database, freshly reset and set up with the question's
// random state, the class database put aside meanwhile. Its actions then run through runOperation, as the buttons
// would, and the player shows them before the answer is revealed.
import type { Scenario, ScenarioOp } from '../../model/scenario';
import type { TimelineEvent } from '../../model/timeline';
import { shown } from '../player';
import { useLab } from '../store';
import { inTurn, leaveLesson, openOwnDatabase } from './lessons';
import { runOperation } from './scenarios';

/** The lesson id a practice round runs under (the store's `lesson`): it names no lesson. */
export const practiceId = (chapter: string) => `practice-${chapter}`;

export const isPractice = (id: string | undefined) => id?.startsWith('practice-') === true;

/** Opens a question's setup on the lesson database. Resolves when the question can be asked. */
export function openPractice(chapter: string, question: number, setup: Scenario): Promise<void> {
  return inTurn(() => openOwnDatabase(practiceId(chapter), setup, `Practice question ${question} (${chapter})`, false));
}

/** Ends the round: back to the class database, as it was. */
export const leavePractice = leaveLesson;

/** Where the timeline ends now: the position just after the newest event received. */
const timelineEnd = () => useLab.getState().base + useLab.getState().history.length;

/**
 * Runs a question's actions on its database, one after the other, each shown by the player before the next starts,
 * and returns the events they caused, once the player has shown the last of them: the reveal never runs ahead of
 * the picture. Null, having stopped, if the round was left or another question opened meanwhile (as LessonPanel's
 * perform(): the rest must never run on the class database).
 */
export async function performPractice(actions: ScenarioOp[]): Promise<TimelineEvent[] | null> {
  const from = timelineEnd();
  const opening = useLab.getState().lesson?.opened;
  const still = () => {
    const lesson = useLab.getState().lesson;
    return lesson !== null && isPractice(lesson.id) && lesson.phase === 'ready' && lesson.opened === opening;
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
