// The player: a cursor over the timeline of events. Playing, it shows the next event at the chosen speed, so
// that a teacher can narrate; paused, it waits for Step. It can step back and scrub: the view at any position
// is the fold of the events before it, started from the nearest checkpoint (a view kept every CHECKPOINT_EVERY
// events: views are immutable, so a checkpoint is just a reference). At Normal and Fast it never falls far behind
// a class: when the steps waiting would take more than MAX_LAG_MS to show (a burst of clicks, a workload), it skips
// the finished operations and shows the newest ones step by step; one long operation alone is shown in larger
// steps. At Slow, and when stepping, nothing is skipped: a teacher chose Slow to show every step.
import { narrate } from '../model/narrate';
import type { TimelineEvent } from '../model/timeline';
import { foldEvents, initialView, type ViewModel } from '../model/view';
import { type LabState, LOG_LINES, SPEED_INTERVAL, type Speed, useLab } from './store';

/** More than this many waiting events of one operation and the player shows them in bigger steps. */
const CATCH_UP_AFTER = 40;
/**
 * How far (in time at the chosen speed) the picture may lag behind the engine before finished operations are
 * skipped: ten Insert random clicks a quarter of a second apart would otherwise queue ten seconds of steps.
 */
export const MAX_LAG_MS = 2000;
const CHECKPOINT_EVERY = 100;
/** The timeline keeps at most this many events; the oldest are dropped in chunks. */
const HISTORY_LIMIT = 30_000;
const HISTORY_DROP = 10_000;

/** Views at absolute positions that are multiples of CHECKPOINT_EVERY, plus the one at `base`. */
const checkpoints = new Map<number, ViewModel>([[0, initialView]]);
let timer: ReturnType<typeof setTimeout> | undefined;
let frame: number | undefined;
/** During a workload at instant speed: at most one picture per WORKLOAD_INTERVAL ms. */
const WORKLOAD_INTERVAL = 100;
let lastWorkloadDrain = Number.NEGATIVE_INFINITY;

/** Events that start an operation: "step by operation" stops before each. */
const OPERATION_STARTS = new Set<TimelineEvent['type']>([
  'wal.append',
  'wal.batch',
  'read.begin',
  'scan.begin',
  'flush.begin',
  'compaction.begin',
  'recovery.begin',
  'crash',
  'workload.begin',
]);

export function enqueue(events: TimelineEvent[]): void {
  useLab.setState((s) => {
    let history = [...s.history, ...events];
    let base = s.base;
    if (history.length > HISTORY_LIMIT && s.cursor - base > HISTORY_DROP) {
      // Forget the oldest events, keeping a checkpoint where the timeline now starts.
      const newBase = base + HISTORY_DROP;
      checkpoints.set(newBase, viewAt(s, newBase));
      for (const position of checkpoints.keys()) if (position < newBase) checkpoints.delete(position);
      history = history.slice(HISTORY_DROP);
      base = newBase;
    }
    return { history, base };
  });
  schedule();
}

/** Shows every waiting event now. */
export function drain(): void {
  const s = useLab.getState();
  moveTo(s.base + s.history.length);
}

/** The player's Catch up button: jump to now, and keep playing. */
export function catchUp(): void {
  drain();
  if (!useLab.getState().playing) play();
}

/** Resolves once the player has shown every event before `position` (at once if it already has). */
export function shown(position: number): Promise<void> {
  if (useLab.getState().cursor >= position) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = useLab.subscribe((s) => {
      if (s.cursor >= position || s.base + s.history.length < position) {
        unsubscribe();
        resolve();
      }
    });
  });
}

/**
 * Where the player jumps when the waiting steps would take longer than MAX_LAG_MS to show: the start of the
 * oldest operation from which the rest fits in that time, or else the start of the newest one. Undefined when no
 * operation starts among the waiting steps (one long operation: it is shown in larger steps instead).
 */
export function coalesceTarget(
  history: readonly TimelineEvent[],
  base: number,
  cursor: number,
  interval: number,
): number | undefined {
  const end = base + history.length;
  if ((end - cursor) * interval <= MAX_LAG_MS) return undefined;
  let target: number | undefined;
  for (let position = end - 1; position > cursor; position--) {
    if (!OPERATION_STARTS.has(history[position - base]!.type)) continue;
    if (target !== undefined && (end - position) * interval > MAX_LAG_MS) break;
    target = position;
  }
  return target;
}

export function play(): void {
  useLab.setState({ playing: true });
  restartPlayer();
}

/** Step moves one I/O event, or to the start of the next operation. */
export function setStepBy(stepBy: 'event' | 'operation'): void {
  useLab.setState({ stepBy });
}

/** Kept for the next visit, and applied at once: paused, the next step waits for Step (or Space). */
export function setStartPaused(on: boolean): void {
  useLab.setState({ startPaused: on });
  if (on) pause();
  else play();
}

export function pause(): void {
  useLab.setState({ playing: false });
  stopTimers();
}

export function togglePlaying(): void {
  if (useLab.getState().playing) pause();
  else play();
}

/** One step forward: one event, or up to the next operation. Pauses the player. */
export function stepForward(): void {
  pause();
  const s = useLab.getState();
  const end = s.base + s.history.length;
  if (s.cursor >= end) return;
  let target = s.cursor + 1;
  if (s.stepBy === 'operation') {
    while (target < end && !OPERATION_STARTS.has(s.history[target - s.base]!.type)) target++;
  }
  moveTo(target);
}

/** One step back: one event, or to the start of the operation. Pauses the player. */
export function stepBack(): void {
  pause();
  const s = useLab.getState();
  if (s.cursor <= s.base) return;
  let target = s.cursor - 1;
  if (s.stepBy === 'operation') {
    while (target > s.base && !OPERATION_STARTS.has(s.history[target - s.base]!.type)) target--;
  }
  moveTo(target);
}

/** Scrubbing: show the timeline at an absolute position. */
export function seek(position: number): void {
  pause();
  moveTo(position);
}

export function schedule(): void {
  const { playing, speed, cursor, base, history } = useLab.getState();
  if (!playing || timer !== undefined || frame !== undefined || cursor >= base + history.length) return;
  if (speed === 'instant') {
    // During a workload events stream in for seconds: ten pictures a second are plenty and leave the main
    // thread free. Otherwise, once per frame.
    // A workload's picture is drawn from its timer, not in an animation frame: the render (React's commit, the
    // caption's fitting) is one task and the browser's paint of it the next frame's, two tasks of about half the
    // length. Drawn in a frame they made one task, and on a busy machine most pictures of the classroom default
    // workload were tasks of more than 50 ms.
    if (useLab.getState().workload.running) {
      timer = setTimeout(
        () => {
          timer = undefined;
          lastWorkloadDrain = performance.now();
          drain();
        },
        Math.max(0, lastWorkloadDrain + WORKLOAD_INTERVAL - performance.now()),
      );
      return;
    }
    frame = requestAnimationFrame(() => {
      frame = undefined;
      drain();
    });
    return;
  }
  // The first step of a burst shows at once; the next ones wait their turn.
  timer = setTimeout(tick, 0);
}

function tick(): void {
  timer = undefined;
  const s = useLab.getState();
  const backlog = s.base + s.history.length - s.cursor;
  if (!s.playing || backlog <= 0) return;
  moveTo(s.cursor + stride(s, backlog));
  if (useLab.getState().cursor < s.base + useLab.getState().history.length) {
    timer = setTimeout(tick, SPEED_INTERVAL[s.speed]);
  }
}

/**
 * How far one tick moves: everything at Instant; one step at Slow, however many wait (Catch up is there for a
 * teacher who wants to jump); at Normal and Fast, past the finished operations a burst left behind, or in larger
 * steps through one long operation.
 */
export function stride(s: Pick<LabState, 'speed' | 'history' | 'base' | 'cursor'>, backlog: number): number {
  if (s.speed === 'instant') return backlog;
  if (!SKIPS[s.speed]) return 1;
  const skipTo = coalesceTarget(s.history, s.base, s.cursor, SPEED_INTERVAL[s.speed]);
  if (skipTo !== undefined) return skipTo - s.cursor;
  return backlog > CATCH_UP_AFTER ? Math.ceil(backlog / 8) : 1;
}

/** The speeds at which the player may skip or coarsen steps to keep up with a class clicking fast. */
const SKIPS: Record<Speed, boolean> = { slow: false, normal: true, fast: true, instant: true };

export function restartPlayer(): void {
  stopTimers();
  schedule();
}

function stopTimers(): void {
  if (timer !== undefined) clearTimeout(timer);
  if (frame !== undefined) cancelAnimationFrame(frame);
  timer = undefined;
  frame = undefined;
}

/** Moves the cursor to `position` (clamped to the timeline) and shows the view there. */
function moveTo(position: number): void {
  const s = useLab.getState();
  const target = Math.max(s.base, Math.min(position, s.base + s.history.length));
  if (target === s.cursor) return;
  const forward = target > s.cursor;
  const view = forward ? foldForward(s, s.view, s.cursor, target) : viewAt(s, target);
  const log =
    forward && target - s.cursor < LOG_LINES
      ? [...s.log, ...narrations(s, s.cursor, target)].slice(-LOG_LINES)
      : narrations(s, Math.max(s.base, target - LOG_LINES), target);
  useLab.setState({ view, cursor: target, log });
}

/** The view after the events before `position`: from the nearest checkpoint at or before it. */
function viewAt(s: LabState, position: number): ViewModel {
  let from = s.base;
  for (const at of checkpoints.keys()) if (at <= position && at > from) from = at;
  return foldForward(s, checkpoints.get(from) ?? initialView, from, position);
}

/** The view after the events [from, to), from `start` (the view at `from`), keeping a checkpoint at each multiple. */
function foldForward(s: LabState, start: ViewModel, from: number, to: number): ViewModel {
  let view = start;
  for (let position = from; position < to; ) {
    const next = Math.min(to, (Math.floor(position / CHECKPOINT_EVERY) + 1) * CHECKPOINT_EVERY);
    view = foldEvents(s.history.slice(position - s.base, next - s.base), view);
    position = next;
    if (position % CHECKPOINT_EVERY === 0) checkpoints.set(position, view);
  }
  return view;
}

function narrations(s: LabState, from: number, to: number) {
  const lines = [];
  for (let position = from; position < to; position++) {
    const event = s.history[position - s.base]!;
    // A getter: the line is narrated when it is shown, in the language chosen then (EventLog and Caption re-render
    // on a change of language).
    lines.push({
      id: position + 1,
      get text() {
        return narrate(event);
      },
      kind: event.type,
    });
  }
  return lines;
}
