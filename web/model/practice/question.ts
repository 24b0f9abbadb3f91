// A practice question: a random state of the engine (its setup), what happens next (its actions) and a question
// about it, asked before the actions run. The answer and the explanation are functions of the events the actions
// made the engine emit, so the engine, never the question, decides what is right.
import type { PickTarget } from '../lessons';
import type { Scenario, ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';

export type PracticeKind = 'get-reads' | 'flush-level' | 'compaction-drops' | 'crash-survivors';

/** How the student answers: by pointing at the picture, or by ticking some of the listed choices. */
export type AnswerBy =
  | { by: 'pick'; target: PickTarget; single: boolean }
  | { by: 'choices'; choices: Array<{ id: string; label: string }> };

export interface PracticeQuestion {
  kind: PracticeKind;
  /** The question, about the state the setup left: it says what will happen, never what will come of it. */
  prompt: string;
  /** The random state: random settings, then random keys and sizes, replayed on a fresh database. */
  setup: Scenario;
  answerBy: AnswerBy;
  /** The button that runs the actions once the student has answered. */
  button: string;
  actions: ScenarioOp[];
  /** The ids (file names, levels, keys) the engine's events prove right. */
  answer: (events: readonly TimelineEvent[]) => string[];
  /** What the engine did this time, told from the same events. */
  explanation: (events: readonly TimelineEvent[]) => string;
}
