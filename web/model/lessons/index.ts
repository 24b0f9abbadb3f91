// The course: twenty-odd lessons in five chapters, in the order the ideas build on each other (mini-lsm's
// curriculum in spirit: writes, the files on disk, reads, compaction, failure). Each lesson stands alone: it opens
// a database of its own and replays its setup (a scenario, the format share links use) before its first step, so
// it says the same whenever and wherever it is opened.
import { loadLessonMessages } from '../../i18n';
import { COMPACTION } from './compaction';
import { DISK } from './disk';
import { FAILURE } from './failure';
import type { Chapter, Lesson } from './lesson';
import { READS } from './reads';
import { WRITES } from './writes';

export * from './explain';
export type { Chapter, Lesson, LessonStep, PickTarget } from './lesson';
export { LESSON_SETTINGS } from './lesson';

// The course's messages come with it: every lesson's text is read through them (see web/i18n).
await loadLessonMessages();

export const CHAPTERS: Chapter[] = [WRITES, DISK, READS, COMPACTION, FAILURE];

/** Every lesson, in course order. */
export const LESSONS: Lesson[] = CHAPTERS.flatMap((c) => c.lessons);

/** "2.3": its chapter's number and its own within it. */
export function lessonNumber(lesson: Lesson): string {
  const chapter = CHAPTERS.findIndex((c) => c.lessons.includes(lesson));
  return `${chapter + 1}.${CHAPTERS[chapter]!.lessons.indexOf(lesson) + 1}`;
}

export function chapterOf(lesson: Lesson): Chapter {
  return CHAPTERS.find((c) => c.lessons.includes(lesson))!;
}

/**
 * The lesson a link names: its slug (`?lesson=compaction`), or, for links made before there were slugs, its
 * number among the first six lessons, counted from 1 (`?lesson=5`). Undefined for anything else.
 */
export function lessonBySlug(value: string | null | undefined): Lesson | undefined {
  if (!value) return undefined;
  const byId = LESSONS.find((l) => l.id === value);
  if (byId) return byId;
  const n = Number(value);
  const numbered = ['write-path', 'flush', 'crash', 'read-path', 'compaction', 'tombstones'];
  return /^\d+$/.test(value) && n >= 1 && n <= numbered.length
    ? LESSONS.find((l) => l.id === numbered[n - 1])
    : undefined;
}
