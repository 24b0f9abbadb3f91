// What the lab keeps for the next visit: each store names the part it keeps (zustand's persist middleware,
// `partialize`), stored as JSON in localStorage under one key per store. Where storage is denied (a frame on another
// site with third-party storage blocked) persist finds no storage and the lab simply forgets at the end of the visit.
//
// Earlier versions kept each setting under a key of its own (`lsm-lab:settings`, `lsm-lab:speed`, ...): a store
// that finds nothing saved under its key reads those once (`legacy`), so an update keeps what a teacher had chosen.

import { createJSONStorage } from 'zustand/middleware';

export const savedStorage = createJSONStorage(() => localStorage);

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
