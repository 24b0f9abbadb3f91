// A practice question runs as a lesson does: on the lesson database, freshly reset and set up with the question's
// random state, the class database put aside meanwhile. Its actions then run as a lesson step's do (lesson-run.ts).
import { t } from '../../i18n';
import type { Scenario } from '../../model/scenario';
import { inTurn, leaveLesson, openOwnDatabase } from './lessons';

/** The lesson id a practice round runs under (the store's `lesson`): it names no lesson. */
export const practiceId = (chapter: string) => `practice-${chapter}`;

export const isPractice = (id: string | undefined) => id?.startsWith('practice-') === true;

/** Opens a question's setup on the lesson database. Resolves when the question can be asked. */
export function openPractice(chapter: string, question: number, setup: Scenario): Promise<void> {
  const name = () => t('ui:practice.questionName', { question, chapter });
  return inTurn(() => openOwnDatabase(practiceId(chapter), setup, name, false));
}

/** Ends the round: back to the class database, as it was. */
export const leavePractice = leaveLesson;
