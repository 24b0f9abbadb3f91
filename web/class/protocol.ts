// What a class says over the relay, and how a student's tab reads it. The teacher's tab appends entries to one
// shared log (a Y.Array): the scenario operations the app already records, and where the lesson is. Every student
// replays the log on an engine of its own, so the log is all a late joiner needs. Students answer through their
// awareness state (one each, routed by the relay to the teacher only); the teacher's tab counts them.
//
// Nothing from the network is trusted: an entry or a state that is not exactly one of these shapes is left out.
import type { ScenarioOp } from '../model/scenario';

export type Entry =
  /** The database open now (the class's, or the lesson's) was emptied, with these settings. The log starts so. */
  | { k: 'reset'; settings: Record<string, unknown> }
  /** An operation on the database open now, as the teacher's button did it. */
  | { k: 'op'; op: ScenarioOp }
  /** The teacher opened a lesson: its own database, set up as the lesson says. */
  | { k: 'lesson'; id: string }
  /** The teacher left the lesson: back to the class database, as it was. */
  | { k: 'leave' }
  /** The lesson is at this step (counted from 0). */
  | { k: 'step'; step: number }
  /** The step's actions ran: a question's answers are locked, and the engine's trace gives the answer. */
  | { k: 'run'; step: number }
  /** The class is over: students keep their copy and explore on their own. */
  | { k: 'end' };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length <= max;
const isCount = (x: unknown, max = 1_000_000): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= max;
const isFormat = (x: unknown) => x === undefined || x === 'text' || x === 'hex';
const isAt = (x: unknown) => x === undefined || x === 'snapshot' || isCount(x, 2 ** 52);
const isCrashKind = (x: unknown) => x === 'process' || x === 'power';
const isSeed = (x: unknown) => x === undefined || (Number.isInteger(x) && Math.abs(x as number) <= 2 ** 52);
const small = (x: unknown, max: number) => {
  try {
    return JSON.stringify(x).length <= max;
  } catch {
    return false;
  }
};

/** One scenario operation, checked field by field: the replay runs it on the student's engine. */
export function readOp(x: unknown): ScenarioOp | null {
  if (!isRecord(x)) return null;
  const ok = (() => {
    switch (x.op) {
      case 'put':
        return isText(x.key) && isText(x.value, 65536) && isFormat(x.format);
      case 'delete':
        return isText(x.key) && isFormat(x.format);
      case 'get':
        return isText(x.key) && isFormat(x.format) && isAt(x.at);
      case 'scan':
        return isText(x.start) && isText(x.end) && isFormat(x.format) && isAt(x.at);
      case 'batch':
        return (
          Array.isArray(x.writes) &&
          x.writes.length <= 1000 &&
          x.writes.every((w) => isRecord(w) && isText(w.key) && (w.value === null || isText(w.value, 65536))) &&
          isFormat(x.format)
        );
      case 'release':
        return x.seq === 'oldest' || isCount(x.seq, 2 ** 52);
      case 'corrupt':
        return isText(x.file, 64) && isCount(x.offset, 2 ** 40);
      case 'crash':
        return isCrashKind(x.kind) && isSeed(x.seed);
      case 'arm':
        return isText(x.point, 64) && isCrashKind(x.kind) && isSeed(x.seed);
      case 'settings':
        return isRecord(x.changes) && small(x.changes, 4096);
      case 'workload':
        return isRecord(x.spec) && small(x.spec, 4096);
      case 'clock':
        return isCount(x.advanceMs, 2 ** 40);
      case 'snapshot':
      case 'flush':
      case 'compact':
      case 'recover':
      case 'disarm':
        return true;
      default:
        return false;
    }
  })();
  return ok ? (x as unknown as ScenarioOp) : null;
}

/** One log entry as it came off the network, or null if it is not one. */
export function readEntry(x: unknown): Entry | null {
  if (!isRecord(x)) return null;
  switch (x.k) {
    case 'reset':
      return isRecord(x.settings) && small(x.settings, 4096) ? { k: 'reset', settings: x.settings } : null;
    case 'op': {
      const op = readOp(x.op);
      return op ? { k: 'op', op } : null;
    }
    case 'lesson':
      return isText(x.id, 64) ? { k: 'lesson', id: x.id } : null;
    case 'leave':
      return { k: 'leave' };
    case 'step':
    case 'run':
      return isCount(x.step, 100) ? { k: x.k, step: x.step } : null;
    case 'end':
      return { k: 'end' };
    default:
      return null;
  }
}

/**
 * What a student replays to be where the class is after `log`: the class database from its last reset, then, if a
 * lesson is open, that lesson from its opening. A lesson left, or one opened again later, changed nothing that
 * lasts (each opening starts its own database afresh), and the class database before its last reset is gone: both
 * are skipped. `at` is the log's length (the position live entries go on from); `ignored` the positions of entries
 * that were not entries at all.
 */
export interface CatchUp {
  /** The entries to apply, in order, each with its position in the log. */
  entries: Array<{ at: number; entry: Entry }>;
  /** Where the open lesson's entry is in the log (questions are named after it), or -1: no lesson open. */
  lessonAt: number;
  ended: boolean;
  ignored: number[];
}

export function planCatchUp(log: readonly unknown[]): CatchUp {
  let classPart: Array<{ at: number; entry: Entry }> = [];
  let lessonPart: Array<{ at: number; entry: Entry }> | null = null;
  let lessonAt = -1;
  let ended = false;
  const ignored: number[] = [];
  log.forEach((raw, at) => {
    const entry = readEntry(raw);
    if (!entry) {
      ignored.push(at);
      return;
    }
    if (entry.k === 'end') {
      ended = true;
      return;
    }
    if (entry.k === 'lesson') {
      lessonPart = [{ at, entry }];
      lessonAt = at;
      return;
    }
    if (entry.k === 'leave') {
      lessonPart = null;
      lessonAt = -1;
      return;
    }
    if (lessonPart) {
      // Within a lesson a reset empties the lesson's database: what came before it in the lesson is gone.
      if (entry.k === 'reset') lessonPart = [lessonPart[0]!, { at, entry }];
      else lessonPart.push({ at, entry });
      return;
    }
    if (entry.k === 'reset') classPart = [{ at, entry }];
    else if (entry.k === 'op') classPart.push({ at, entry });
    // A step or a run outside a lesson means nothing: left out.
  });
  return {
    entries: [...classPart, ...((lessonPart as Array<{ at: number; entry: Entry }> | null) ?? [])],
    lessonAt,
    ended,
    ignored,
  };
}

/** A student's answer to one question: `c` is the choice's id, or the things pointed at on the picture. */
export interface Answer {
  q: string;
  c: string[];
}

/** What each student's tab tells the teacher's (its awareness state): nothing that names anyone. */
export interface StudentState {
  role: 'student';
  following: boolean;
  answer?: Answer;
}

const ID = /^[\w.:@-]{1,64}$/;

/** A student's state as it came off the network, or null. */
export function readStudent(x: unknown): StudentState | null {
  if (!isRecord(x) || x.role !== 'student' || typeof x.following !== 'boolean') return null;
  const state: StudentState = { role: 'student', following: x.following };
  const answer = x.answer;
  if (
    isRecord(answer) &&
    isText(answer.q, 64) &&
    Array.isArray(answer.c) &&
    answer.c.length <= 32 &&
    answer.c.every((c) => typeof c === 'string' && ID.test(c))
  )
    state.answer = { q: answer.q, c: [...new Set(answer.c as string[])] };
  return state;
}

/** The name of a lesson's question: where its lesson opened in the log, and its step. */
export const questionOf = (lessonAt: number, step: number) => `${lessonAt}:${step}`;

/** One bar of the chart: an answer (a choice's id, or the things pointed at, sorted) and how many gave it. */
export interface Tally {
  /** Students connected, following or not. */
  students: number;
  following: number;
  answered: number;
  counts: Array<{ answer: string; count: number }>;
}

/** The key an answer is counted under: a choice, or a set of things pointed at ("" for none). */
export const answerKey = (c: readonly string[]) => [...c].sort().join(' ');

/**
 * Counts the answers to question `q`: one per student (an awareness state is one tab, and the relay lets a tab
 * speak for one state only), bars in the order of `order` (the choices) and then by count. States that are not a
 * student's are not counted.
 */
export function tally(states: Iterable<unknown>, q: string | null, order: readonly string[] = []): Tally {
  const counts = new Map<string, number>(order.map((o) => [o, 0]));
  let students = 0;
  let following = 0;
  let answered = 0;
  for (const raw of states) {
    const state = readStudent(raw);
    if (!state) continue;
    students++;
    if (state.following) following++;
    if (q === null || state.answer?.q !== q) continue;
    answered++;
    const key = answerKey(state.answer.c);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const bars = [...counts].map(([answer, count]) => ({ answer, count }));
  const fixed = bars.filter((b) => order.includes(b.answer));
  const others = bars
    .filter((b) => !order.includes(b.answer))
    .sort((a, b) => b.count - a.count || (a.answer < b.answer ? -1 : 1));
  return { students, following, answered, counts: [...fixed, ...others] };
}
