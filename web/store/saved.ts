// What the lab keeps for the next visit: each store names the part it keeps (zustand's persist middleware,
// `partialize`), stored as JSON in localStorage under one key per store. Where storage is denied (a frame on another
// site with third-party storage blocked) persist finds no storage and the lab simply forgets at the end of the visit.
//
// Earlier versions kept each setting under a key of its own (`lsm-lab:settings`, `lsm-lab:speed`, ...): a store
// that finds nothing saved under its key reads those once (`legacy`), so an update keeps what a teacher had chosen.

import { createJSONStorage, type StateStorage } from 'zustand/middleware';

/**
 * localStorage, written only when what is kept changed. persist writes on every setState, and the lab's store is
 * set several times a picture while a workload runs (each batch of events, each picture): a write to
 * localStorage is a synchronous call into the browser every time, though the settings it keeps had not changed.
 * Compared with what the key holds now, not with our last write, so that another tab's write is never left over.
 */
function unchangedSkipped(storage: Storage): StateStorage {
  return {
    getItem: (name) => storage.getItem(name),
    setItem: (name, value) => {
      if (storage.getItem(name) !== value) storage.setItem(name, value);
    },
    removeItem: (name) => storage.removeItem(name),
  };
}

// Reading `localStorage` throws where storage is denied: createJSONStorage then gives persist no storage (see above).
export const savedStorage = createJSONStorage(() => unchangedSkipped(localStorage));

/** The value an earlier version kept under `lsm-lab:<name>`, removed as it is read; undefined when none. */
export function legacy(name: string): string | undefined {
  try {
    const key = `lsm-lab:${name}`;
    const value = localStorage.getItem(key);
    if (value === null) return undefined;
    localStorage.removeItem(key);
    return value;
  } catch {
    return undefined;
  }
}
