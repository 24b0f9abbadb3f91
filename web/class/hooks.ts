// Where the lab's actions tell a class what the teacher did. The actions call announce(); a teacher's tab has an
// announcer (class/teacher.ts, loaded only when a class starts) that appends the entry to the class's log; every
// other tab has none, and announce does nothing. What runs quietly is not announced: a lesson's setup and a step's
// actions, which every student's tab runs itself from the lesson's own definition.
import type { Entry } from './protocol';

type Announcer = (entry: Entry) => void;

let announcer: Announcer | null = null;
let quiet = 0;

export function setAnnouncer(next: Announcer | null): void {
  announcer = next;
}

/** Tells the class, if this tab teaches one. */
export function announce(entry: Entry): void {
  if (announcer && quiet === 0) announcer(entry);
}

/** Runs `task` without announcing what it records. */
export async function quietly<T>(task: () => Promise<T>): Promise<T> {
  quiet++;
  try {
    return await task();
  } finally {
    quiet--;
  }
}
