// A recorder for the engine's events (the trace the UI animates), with a typed filter.
import type { EngineEvent, EngineEventType } from '../../../engine';

/** Every event the tree emits, in order, with a typed filter. Pass `record` as `onEvent`. */
export function eventLog() {
  const events: EngineEvent[] = [];
  return {
    events,
    record: (event: EngineEvent) => {
      events.push(event);
    },
    of<T extends EngineEventType>(type: T): Array<Extract<EngineEvent, { type: T }>> {
      return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
    },
    clear: () => {
      events.length = 0;
    },
  };
}
