// What a class looks like from this tab, for the UI: whether it teaches one or follows one, the relay's link, who
// is following, the open question's answers. Small and free of yjs: the panels import it at once, and the code that
// talks to the relay (teacher.ts, student.ts) is loaded only when a class starts or a join link opens.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { TimelineEvent } from '../model/timeline';
import { legacy, savedStorage } from '../store/saved';
import { readRelay } from './room';

export type ClassRole = 'teacher' | 'student';

export interface ClassState {
  /** The relay this browser uses for classes (a setting, or the join link's `relay=`), if any. */
  relay: string | undefined;
  /** The relay set in the settings, kept for the next visit. */
  savedRelay: string | undefined;
  role: ClassRole | null;
  room: string | null;
  /** The short code students type (teacher only). */
  code: string | null;
  /** The link students open (teacher only). */
  link: string | null;
  /** The relay's connection: a class goes on while it is down (the teacher's tab never waits for it). */
  online: boolean;
  /** Everything the relay has sent arrived (a student's catch-up waits for it). */
  synced: boolean;
  /**
   * A student's tab: following the teacher (the log is replayed as it grows), catching up (replaying what it
   * missed, the picture jumping), exploring (detached: its own clicks act on its copy), or the class has ended.
   */
  mode: 'following' | 'catching-up' | 'exploring' | 'ended';
  /** The students' awareness states as the teacher's tab last saw them (the teacher counts them). */
  states: unknown[];
  /** Where the open lesson's opening is in the class's log, or -1: questions are named after it. */
  lessonAt: number;
  /** A student's tab: the open question's step ran here, with these events (the reveal judges by them). */
  ran: { q: string; events: TimelineEvent[] | null } | null;
  /** A student's answers, by question; the newest is sent to the teacher (student.ts watches it). */
  answers: Record<string, string[]>;
  lastAnswer: { q: string; c: string[] } | null;
  /** Where (1-based) the class's log held something that was not an entry (never run), for the student's event log. */
  notes: number[];
}

export const useClass = create<ClassState>()(
  persist(
    (): ClassState => ({
      relay: undefined,
      savedRelay: undefined,
      role: null,
      room: null,
      code: null,
      link: null,
      online: false,
      synced: false,
      mode: 'following',
      states: [],
      lessonAt: -1,
      ran: null,
      answers: {},
      lastAnswer: null,
      notes: [],
    }),
    {
      // Only the relay set in the settings is kept; a join link's relay is for this visit.
      name: 'lsm-lab:class',
      version: 1,
      storage: savedStorage,
      partialize: (s) => ({ savedRelay: s.savedRelay }),
      merge: (persisted, current) => {
        const kept = persisted as { savedRelay?: string } | undefined;
        const savedRelay = kept ? readRelay(kept.savedRelay) : readRelay(legacy('relay'));
        const relay = readRelay(new URLSearchParams(location.search).get('relay')) ?? savedRelay;
        return { ...current, savedRelay, relay };
      },
    },
  ),
);

/** Keeps a relay for the next visit ('' forgets it). Answers whether it was a relay's address. */
export function setRelay(text: string): boolean {
  const relay = readRelay(text);
  if (text.trim() !== '' && !relay) return false;
  useClass.setState({ relay, savedRelay: relay });
  return true;
}

/**
 * This tab follows the class's log now, not its own buttons: a student following the teacher, or any tab catching
 * up (a teacher's tab reloaded replays the log before it teaches again: a click meanwhile would act mid-replay).
 */
export function useFollowing(): boolean {
  return useClass(
    (s) => (s.role === 'student' && s.mode === 'following') || (s.role !== null && s.mode === 'catching-up'),
  );
}

/** This tab teaches a class now. */
export function useTeaching(): boolean {
  return useClass((s) => s.role === 'teacher');
}

/** A following student's answer to question `q`: a choice's id, or the things pointed at on the picture. */
export function answer(q: string, choice: string[]): void {
  useClass.setState((s) => ({ answers: { ...s.answers, [q]: choice }, lastAnswer: { q, c: choice } }));
}

/** Whether this tab was teaching a class before a reload (teacher.ts resumes it). */
export function teachingSaved(): boolean {
  try {
    return sessionStorage.getItem('lsm-lab:teaching') !== null;
  } catch {
    return false;
  }
}
