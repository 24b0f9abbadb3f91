// The player: shows pending events one step at a time, at the chosen speed, so a teacher can narrate.
// When events pile up (a burst of inserts at a slow speed) it catches up in larger steps rather than
// falling minutes behind; at 'instant' it applies everything once per animation frame.
import { narrate } from '../model/narrate';
import type { TimelineEvent } from '../model/timeline';
import { applyEvent } from '../model/view';
import { type LabState, LOG_LINES, SPEED_INTERVAL, useLab } from './store';

/** More than this many waiting events and the player shows them in bigger steps. */
const CATCH_UP_AFTER = 40;

let timer: ReturnType<typeof setTimeout> | undefined;
let frame: number | undefined;
let nextLogId = 1;

export function enqueue(events: TimelineEvent[]): void {
  useLab.setState((s) => ({ pending: [...s.pending, ...events] }));
  schedule();
}

/** Shows every waiting event now (used before acting on the view, e.g. when the speed changes). */
export function drain(): void {
  const { pending } = useLab.getState();
  if (pending.length > 0) useLab.setState(applySteps(useLab.getState(), pending.length));
}

export function schedule(): void {
  if (timer !== undefined || frame !== undefined) return;
  const { speed, pending } = useLab.getState();
  if (pending.length === 0) return;
  if (speed === 'instant') {
    // During a workload events stream in for seconds: ten pictures a second are plenty and leave the
    // main thread free. Otherwise, once per frame.
    if (useLab.getState().workload.running) {
      timer = setTimeout(() => {
        timer = undefined;
        drain();
      }, 100);
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
  const state = useLab.getState();
  if (state.pending.length === 0) {
    timer = undefined;
    return;
  }
  const backlog = state.pending.length;
  const steps = state.speed === 'instant' ? backlog : backlog > CATCH_UP_AFTER ? Math.ceil(backlog / 8) : 1;
  useLab.setState(applySteps(state, steps));
  timer = useLab.getState().pending.length > 0 ? setTimeout(tick, SPEED_INTERVAL[state.speed]) : undefined;
}

export function restartPlayer(): void {
  if (timer !== undefined) clearTimeout(timer);
  if (frame !== undefined) cancelAnimationFrame(frame);
  timer = undefined;
  frame = undefined;
  schedule();
}

function applySteps(state: LabState, count: number): Partial<LabState> {
  let view = state.view;
  const lines = [];
  const shown = state.pending.slice(0, count);
  for (const event of shown) {
    view = applyEvent(view, event);
    lines.push({ id: nextLogId++, text: narrate(event), kind: event.type });
  }
  const log = [...state.log, ...lines.slice(-LOG_LINES)];
  return {
    view,
    pending: state.pending.slice(count),
    log: log.length > LOG_LINES ? log.slice(-LOG_LINES) : log,
  };
}
