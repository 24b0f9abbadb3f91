// Practice after each chapter: a round of five questions drawn from a seeded random state, each answered before the
// engine runs and checked against the engine's events. Every chapter mixes at least two kinds of question; a kind
// can come back in another chapter, about other keys, sizes and settings.
import { compactionDrops } from './compaction-drops';
import { crashSurvivors } from './crash-survivors';
import { type Random, seeded } from './draw';
import { flushLevel } from './flush-level';
import { getReads } from './get-reads';
import type { PracticeKind, PracticeQuestion } from './question';

export type { AnswerBy, PracticeKind, PracticeQuestion } from './question';

export const QUESTIONS_PER_ROUND = 5;

const KINDS: Record<PracticeKind, (random: Random) => PracticeQuestion> = {
  'get-reads': getReads,
  'flush-level': flushLevel,
  'compaction-drops': compactionDrops,
  'crash-survivors': crashSurvivors,
};

/** The kinds of question each chapter's practice asks, by chapter id (model/lessons CHAPTERS). */
export const PRACTICE_KINDS: Record<string, PracticeKind[]> = {
  // The WAL and durability modes; a full memtable becomes an L0 file.
  writes: ['crash-survivors', 'flush-level'],
  // Flush into L0; the files a read goes through, their filters and blocks.
  disk: ['flush-level', 'get-reads'],
  // The read path; tombstones and the versions they hide, until a compaction drops them.
  reads: ['get-reads', 'compaction-drops'],
  // Where flushed data moves; what merging drops.
  compaction: ['compaction-drops', 'flush-level'],
  // What a crash or a power loss leaves; what a read finds in the files recovery kept.
  failure: ['crash-survivors', 'get-reads'],
};

/** A chapter's name folded into the seed: the same seed draws different rounds in different chapters. */
function chapterSeed(chapter: string, seed: number): number {
  let hash = seed >>> 0;
  for (const c of chapter) hash = Math.imul(hash ^ c.charCodeAt(0), 0x9e3779b1) >>> 0;
  return hash;
}

/**
 * A round of five questions for a chapter: the same seed gives the same round. The chapter's kinds take turns from
 * a random first one, so that every kind is asked in every round.
 */
export function practiceRound(chapter: string, seed: number): PracticeQuestion[] {
  const kinds = PRACTICE_KINDS[chapter];
  if (!kinds) throw new Error(`No practice for chapter "${chapter}"`);
  const random = seeded(chapterSeed(chapter, seed));
  const first = Math.floor(random() * kinds.length);
  return Array.from({ length: QUESTIONS_PER_ROUND }, (_, i) => KINDS[kinds[(first + i) % kinds.length]!](random));
}

/** A question of one kind, for tests and for a teacher who wants to ask that one again. */
export const practiceQuestion = (kind: PracticeKind, seed: number): PracticeQuestion => KINDS[kind](seeded(seed));
