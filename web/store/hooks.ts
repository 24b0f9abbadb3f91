// Hooks the picture's components share: how much to animate, what is still to show, and a calm view of the state
// while a workload streams events. They read the store; they hold no state of their own.
import { useReducedMotion } from 'motion/react';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { type LabState, useLab } from './store';

/**
 * Layout animations (files gliding between places) measure the page on every render: lovely for single
 * steps, too costly while a workload streams thousands of events. They pause while one runs.
 */
export function useLayoutAnimations(): boolean {
  return useLab((s) => !s.workload.running);
}

/**
 * Whether things animate in (and out) at all. Motion's reducedMotion setting stops movement but still fades; a
 * user who asked the system for reduced motion gets elements that simply appear. So does a workload: it draws a
 * new picture every tenth of a second, files come and go in each, and their half-second fades overlapped by the
 * dozen (motion's animations were most of the main thread's long tasks during the classroom default workload).
 */
export function useEntrances(): boolean {
  const running = useLab((s) => s.workload.running);
  return !useReducedMotion() && !running;
}

/**
 * Whether CSS fades play (a deeper level's new files): the user's preference only. They stay on during a workload
 * (a compositor's opacity animation, cheap, and few: crowded levels skip it); a class that came and went with the
 * workload would replay every file's fade the moment it ends.
 */
export function useFades(): boolean {
  return !useReducedMotion();
}

/**
 * Events received but not yet shown. Playing at instant speed the player shows them within a frame (a tenth of
 * a second during a workload): nothing worth announcing, and a count that flickered on every batch.
 */
export function usePending(): number {
  return useLab((s) => (s.playing && s.speed === 'instant' ? 0 : s.base + s.history.length - s.cursor));
}

/** While a workload runs, panels that only list things (every file of the database) update this often at most. */
export const CALM_INTERVAL = 1000;

/**
 * A slice of the state for panels that need not follow a workload closely: the corruption lab's and the hex
 * inspector's lists of every file. A workload changes the files several times a picture, and rebuilding a select
 * of hundreds of options each time cost more than the picture itself. While a workload runs the value updates at
 * most every CALM_INTERVAL ms; otherwise at once. `selector` must be a stable function returning a stable value.
 */
export function useCalm<T>(selector: (s: LabState) => T): T {
  const current = useRef(selector(useLab.getState()));
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let last = Number.NEGATIVE_INFINITY;
      const update = () => {
        timer = undefined;
        last = performance.now();
        const next = selector(useLab.getState());
        if (Object.is(next, current.current)) return;
        current.current = next;
        notify();
      };
      const unsubscribe = useLab.subscribe((state) => {
        if (!state.workload.running) {
          if (timer !== undefined) clearTimeout(timer);
          update();
        } else {
          timer ??= setTimeout(update, Math.max(0, last + CALM_INTERVAL - performance.now()));
        }
      });
      update();
      return () => {
        unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [selector],
  );
  return useSyncExternalStore(subscribe, () => current.current);
}
