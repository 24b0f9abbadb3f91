// The player: a cursor over the timeline of events. Playing, it shows the next event at the chosen speed, so
// that a teacher can narrate; paused, it waits for Step. It can step back and scrub: the view at any position
// is the fold of the events before it, started from the nearest checkpoint (a view kept every CHECKPOINT_EVERY
// events: views are immutable, so a checkpoint is just a reference). When events pile up (a burst of inserts at
// a slow speed) it catches up in larger steps rather than falling minutes behind.
import { narrate } from '../model/narrate';
import type { TimelineEvent } from '../model/timeline';
import { foldEvents, initialView, type ViewModel } from '../model/view';
import { type LabState, LOG_LINES, SPEED_INTERVAL, useLab } from './store';

/** More than this many waiting events and the player shows them in bigger steps. */
const CATCH_UP_AFTER = 40;
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

export function play(): void {
  useLab.setState({ playing: true });
  restartPlayer();
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
    // Each picture is drawn in an animation frame, so that the render and the browser's own work for it make
    // one task rather than two.
    if (useLab.getState().workload.running) {
      timer = setTimeout(
        () => {
          timer = undefined;
          frame = requestAnimationFrame(() => {
            frame = undefined;
            lastWorkloadDrain = performance.now();
            drain();
          });
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
  const steps = s.speed === 'instant' ? backlog : backlog > CATCH_UP_AFTER ? Math.ceil(backlog / 8) : 1;
  moveTo(s.cursor + steps);
  if (useLab.getState().cursor < s.base + useLab.getState().history.length) {
    timer = setTimeout(tick, SPEED_INTERVAL[s.speed]);
  }
}

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
    lines.push({ id: position + 1, text: narrate(event), kind: event.type });
  }
  return lines;
}
