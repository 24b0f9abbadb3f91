// What a lesson is: an explanation, things to try on the live engine, and questions to answer BEFORE seeing what
// happens, each checked against the events of what the engine then did. The helpers below are the vocabulary the
// chapters write their reveals in: every sentence of a reveal is told from those events, never from a script.

import { t } from '../../i18n';
import { plural, showBytes } from '../display';
import type { Scenario, ScenarioOp } from '../scenario';
import type { TimelineEvent } from '../timeline';

/**
 * What a question about the picture is answered by pointing at: a file card (its file name), a level ("L0"), a
 * WAL record (`<file>@<offset>`), or a memtable row (its key, as hex).
 */
export type PickTarget = 'table' | 'level' | 'wal-record' | 'memtable-row';

export type LessonStep =
  | { kind: 'explain'; text: string }
  | { kind: 'try'; text: string; button: string; actions: ScenarioOp[] }
  | {
      kind: 'predict';
      question: string;
      choices: Array<{ id: string; label: string }>;
      button: string;
      actions: ScenarioOp[];
      /** Which choice the engine's events (those emitted by `actions`) prove right. */
      outcome: (events: readonly TimelineEvent[]) => string;
      /** What the engine did this time, told from the same events: file names, counts, levels. */
      explanation: (events: readonly TimelineEvent[]) => string;
    }
  | {
      /** A question answered on the picture: the student points at cards, levels, records or rows. */
      kind: 'pick';
      question: string;
      target: PickTarget;
      /** Exactly one thing to point at (a level, a record); otherwise any number, none included. */
      single?: boolean;
      button: string;
      actions: ScenarioOp[];
      /** The ids on the picture the engine's events prove right. */
      answer: (events: readonly TimelineEvent[]) => string[];
      explanation: (events: readonly TimelineEvent[]) => string;
    };

export interface Lesson {
  /** The stable slug of its link, `?lesson=<id>`. */
  id: string;
  title: string;
  /** The idea it teaches, in a line: the course map shows it under the title. */
  topic: string;
  /** For the teacher, folded by default: what to say, and the misconception to listen for. */
  note: string;
  /** Replayed on the lesson's own, freshly reset database before its first step. */
  setup: Scenario;
  steps: LessonStep[];
}

export interface Chapter {
  id: string;
  title: string;
  lessons: Lesson[];
}

/**
 * Every lesson's engine, whatever the class's settings are: the lab's classroom defaults (a 256-byte memtable,
 * leveled compaction, 10-bit bloom filters, a flush of the WAL on every write).
 */
export const LESSON_SETTINGS = {
  durability: 'durable',
  memtableBytes: 256,
  blockSize: 256,
  bloomBitsPerKey: 10,
  compression: 'none',
  compaction: 'leveled',
  dynamicLevelBytes: false,
} as const;

export const setup = (ops: ScenarioOp[], settings: Record<string, unknown> = {}): Scenario => ({
  version: 1,
  settings: { ...LESSON_SETTINGS, ...settings },
  ops,
});
export const puts = (keys: string[], value: string): ScenarioOp[] => keys.map((key) => ({ op: 'put', key, value }));

type Event<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
export const all = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T): Event<T>[] =>
  events.filter((e): e is Event<T> => e.type === type);
export const find = <T extends TimelineEvent['type']>(
  events: readonly TimelineEvent[],
  type: T,
): Event<T> | undefined => all(events, type)[0];
export const last = <T extends TimelineEvent['type']>(
  events: readonly TimelineEvent[],
  type: T,
): Event<T> | undefined => all(events, type).at(-1);
export const first = (events: readonly TimelineEvent[], types: TimelineEvent['type'][]) =>
  events.find((e) => types.includes(e.type))?.type;

/** Keys and values travel as hex in the events: shown as text where they are. */
export const text = (hex: string | null) => showBytes(hex, 40);
/** "a, b and c" ("a, b y c"): the last two joined by the language's own word. */
export const list = (items: string[]) =>
  items.length <= 1
    ? (items[0] ?? t('lessons:common.nothing'))
    : t('lessons:common.list', { items: items.slice(0, -1).join(', '), last: items.at(-1) });
export const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
export { plural };
