// Practice rounds drawn from seeds and run on the real engine (in Node, on MemoryStorage): for every kind of
// question and many seeds, the setup, then the actions; the answer the question computes from the events is checked
// against what the engine's state and an independent reading of the events say, and across seeds the questions are
// well posed (the answer is not always the same). Same seed, same round.
import { describe, expect, it } from 'vitest';
import { CHAPTERS } from '../../../web/model/lessons';
import { text } from '../../../web/model/lessons/lesson';
import {
  PRACTICE_KINDS,
  type PracticeKind,
  type PracticeQuestion,
  practiceQuestion,
  practiceRound,
  QUESTIONS_PER_ROUND,
} from '../../../web/model/practice';
import type { ScenarioOp } from '../../../web/model/scenario';
import { scenarioEngine } from './scenario-engine';

const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i * 7919);

async function run(question: PracticeQuestion) {
  const db = await scenarioEngine(question.setup.settings);
  await db.run(question.setup.ops);
  const before = await db.state();
  const events = await db.run(question.actions);
  return { db, before, events, answer: question.answer(events), explanation: question.explanation(events) };
}

const all = async (kind: PracticeKind) => {
  const runs = [];
  for (const seed of SEEDS) {
    const question = practiceQuestion(kind, seed);
    runs.push({ seed, question, ...(await run(question)) });
  }
  return runs;
};

/** The last write of each key among scenario operations: its value, or null for a delete. */
function lastWrites(ops: readonly ScenarioOp[]): Map<string, string | null> {
  const last = new Map<string, string | null>();
  for (const op of ops) {
    if (op.op === 'put') last.set(op.key, op.value);
    if (op.op === 'delete') last.set(op.key, null);
  }
  return last;
}

describe('practice questions, checked by the engine', () => {
  it('which files a Get reads: the tables whose verdict came after a block read, and the Get is right', async () => {
    const sizes: number[] = [];
    for (const { question, before, events, answer, explanation } of await all('get-reads')) {
      const get = question.actions[0]!;
      if (get.op !== 'get') throw new Error('a Get');
      const verdicts = events.filter((e) => e.type === 'read.sstable');
      const readBlock = verdicts.filter((e) => e.type === 'read.sstable' && e.block !== undefined);
      expect(new Set(answer)).toEqual(new Set(readBlock.map((e) => (e.type === 'read.sstable' ? e.file : ''))));
      // Every file named is one the student can point at: a live table before the Get.
      for (const file of answer) expect(before.tables.map((t) => t.file)).toContain(file);
      const end = events.find((e) => e.type === 'read.end');
      if (end?.type !== 'read.end') throw new Error('no read.end');
      expect(end.blocksRead).toBe(events.filter((e) => e.type === 'read.block').length);
      // What the Get found is the key's last write in the setup.
      const expected = lastWrites(question.setup.ops).get(get.key) ?? null;
      expect(end.found ? text(end.value) : null).toBe(expected);
      for (const file of answer) expect(explanation).toContain(file);
      sizes.push(answer.length);
    }
    // Well posed: sometimes no file, often one, sometimes several.
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((n) => n >= 1).length).toBeGreaterThan(SEEDS.length / 2);
    expect(sizes.filter((n) => n >= 2).length).toBeGreaterThan(0);
  });

  it('where a flush lands: the level of the table a Get of a flushed key then reads it from', async () => {
    const levels = new Set<string>();
    for (const { db, before, events, answer, explanation } of await all('flush-level')) {
      expect(answer).toHaveLength(1);
      // The picture offers every level that holds files and the one below (LevelsPanel): the answer is among them.
      const deepest = Math.max(0, ...before.tables.map((t) => t.level));
      expect(Number(answer[0]!.slice(1))).toBeLessThanOrEqual(Math.max(1, deepest + 1));
      const written = events.find((e) => e.type === 'sstable.write');
      if (written?.type !== 'sstable.write') throw new Error('the flush wrote no table');
      expect(written.table.level).toBe(0);
      // The flushed memtable's newest key, read back: the file it comes from lies in the level answered.
      const key = text(written.table.largest);
      const read = await db.run([{ op: 'get', key }]);
      const end = read.find((e) => e.type === 'read.end');
      if (end?.type !== 'read.end' || !end.source) throw new Error('not found');
      const table = (await db.state()).tables.find((t) => t.file === end.source)!;
      expect(answer).toEqual([`L${table.level}`]);
      expect(explanation).toContain(`in ${answer[0]}`);
      levels.add(answer[0]!);
    }
    // Sometimes it stays in L0, sometimes a compaction takes it down.
    expect(levels.has('L0')).toBe(true);
    expect([...levels].some((l) => l !== 'L0')).toBe(true);
  });

  it('what a compaction drops: every version dropped is listed, and the keys answered are theirs', async () => {
    const sizes: number[] = [];
    for (const { question, before, db, events, answer } of await all('compaction-drops')) {
      const ends = events.filter((e) => e.type === 'compaction.end');
      expect(ends.length).toBeGreaterThan(0);
      let dropped = 0;
      for (const e of ends) {
        if (e.type !== 'compaction.end') continue;
        // The list the answer is read from is complete: it names every version the counts count.
        expect(e.dropped ?? []).toHaveLength(e.droppedShadowed + e.droppedTombstones);
        dropped += e.droppedShadowed + e.droppedTombstones;
      }
      // The entries stored before and after differ by exactly what was dropped.
      const entries = (tables: Array<{ entries: number }>) => tables.reduce((n, t) => n + t.entries, 0);
      expect(entries(before.tables) - entries((await db.state()).tables)).toBe(dropped);
      const choices = question.answerBy.by === 'choices' ? question.answerBy.choices.map((c) => c.id) : [];
      for (const key of answer) expect(choices).toContain(key);
      if (!question.setup.ops.some((op) => op.op === 'snapshot')) {
        // Without a snapshot, compacting everything to the bottom keeps only each key's newest version, and not
        // even that when it is a tombstone: a key loses a version where it has more than one, or ends deleted.
        const versions = new Map<string, number>();
        let flushed = new Map<string, string | null>();
        const deleted = new Set<string>();
        for (const op of question.setup.ops) {
          if (op.op === 'put' || op.op === 'delete') flushed.set(op.key, op.op === 'put' ? op.value : null);
          if (op.op === 'flush') {
            for (const [key, value] of flushed) {
              versions.set(key, (versions.get(key) ?? 0) + 1);
              if (value === null) deleted.add(key);
              else deleted.delete(key);
            }
            flushed = new Map();
          }
        }
        const expected = choices.filter((k) => (versions.get(k) ?? 0) > 1 || deleted.has(k));
        expect(answer).toEqual(expected);
      }
      sizes.push(answer.length);
    }
    expect(sizes.some((n) => n === 0) || sizes.some((n) => n < 3)).toBe(true);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(SEEDS.length / 2);
  });

  it('what survives a crash: acknowledged writes in durable and group mode, only the flushed ones in relaxed', async () => {
    const seen = new Set<string>();
    for (const { question, answer, explanation } of await all('crash-survivors')) {
      const durability = question.setup.settings.durability as string;
      const ops = question.setup.ops;
      const flush = ops.findIndex((op) => op.op === 'flush');
      // Relaxed writes wait in memory for the WAL's next flush, which only the memtable's flush forced here.
      const survived = durability === 'relaxed' ? (flush < 0 ? [] : ops.slice(0, flush)) : ops;
      const last = lastWrites(survived);
      const choices = question.answerBy.by === 'choices' ? question.answerBy.choices.map((c) => c.id) : [];
      expect(answer).toEqual(choices.filter((k) => typeof last.get(k) === 'string'));
      expect(explanation).toMatch(/^The (crash|power loss) took the memtable's \d+ entr/);
      seen.add(`${durability}:${answer.length === choices.length ? 'all' : answer.length === 0 ? 'none' : 'some'}`);
    }
    for (const expected of ['durable:all', 'relaxed:some', 'relaxed:none']) expect(seen).toContain(expected);
  });
});

describe('practice rounds', () => {
  it('every chapter has a round of five questions of at least two kinds', () => {
    for (const chapter of CHAPTERS) {
      expect(new Set(PRACTICE_KINDS[chapter.id]).size).toBeGreaterThanOrEqual(2);
      for (const seed of [1, 2, 3]) {
        const round = practiceRound(chapter.id, seed);
        expect(round).toHaveLength(QUESTIONS_PER_ROUND);
        expect(new Set(round.map((q) => q.kind))).toEqual(new Set(PRACTICE_KINDS[chapter.id]));
      }
    }
    const kinds = new Set(Object.values(PRACTICE_KINDS).flat());
    expect(kinds.size).toBe(4);
  });

  it('a question never tells its answer: no file, no level below L0, no listed key in its text', () => {
    for (const chapter of CHAPTERS)
      for (const seed of SEEDS)
        for (const question of practiceRound(chapter.id, seed)) {
          expect(question.prompt).not.toMatch(/\d{6}\.(sst|log)|L[1-9]/);
          if (question.answerBy.by === 'choices')
            for (const choice of question.answerBy.choices) expect(question.prompt).not.toContain(choice.id);
        }
  });

  it('the same seed draws the same round; another seed other keys and sizes', () => {
    const shape = (round: PracticeQuestion[]) =>
      JSON.stringify(
        round.map((q) => ({ prompt: q.prompt, setup: q.setup, actions: q.actions, answerBy: q.answerBy })),
      );
    for (const chapter of CHAPTERS) {
      expect(shape(practiceRound(chapter.id, 42))).toBe(shape(practiceRound(chapter.id, 42)));
      expect(shape(practiceRound(chapter.id, 42))).not.toBe(shape(practiceRound(chapter.id, 43)));
    }
    expect(shape(practiceRound('disk', 7))).not.toBe(shape(practiceRound('reads', 7)));
  });

  it('a whole round runs on the engine, each question on a database of its own', async () => {
    for (const question of practiceRound('compaction', 5)) {
      const { events, answer } = await run(question);
      expect(events.length).toBeGreaterThan(0);
      expect(Array.isArray(answer)).toBe(true);
    }
  });
});
