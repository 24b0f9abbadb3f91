// A student's progress through the course, kept in this browser (localStorage): which lessons are done, what each
// prediction was, and the practice rounds' scores per chapter. Reset progress clears it all.

export interface Progress {
  /** Lesson id -> number of steps done, the last time it was gone through (all of them: finished). */
  done: Record<string, number>;
  /** Lesson id + ":" + step -> was the prediction right. */
  answers: Record<string, boolean>;
  /** Chapter id -> its practice rounds: the last score, the best, and how many rounds (out of 5 questions each). */
  practice: Record<string, { last: number; best: number; rounds: number }>;
}

const KEY = 'lsm-lab:lessons';

export const EMPTY_PROGRESS: Progress = { done: {}, answers: {}, practice: {} };

export function loadProgress(): Progress {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Progress>;
    return { ...EMPTY_PROGRESS, ...stored };
  } catch {
    return { ...EMPTY_PROGRESS };
  }
}

export function saveProgress(progress: Progress): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(progress));
  } catch {
    // Storage may be unavailable (private mode): progress then lasts for this visit only.
  }
}

/** A practice round's score, kept with the chapter's earlier ones. */
export function withPracticeScore(progress: Progress, chapter: string, score: number): Progress {
  const before = progress.practice[chapter];
  return {
    ...progress,
    practice: {
      ...progress.practice,
      [chapter]: { last: score, best: Math.max(score, before?.best ?? 0), rounds: (before?.rounds ?? 0) + 1 },
    },
  };
}
