// Every lesson run on the real engine (in Node, on MemoryStorage): its setup, then each step's actions, with the
// lesson's settings. The reveal's answer and every sentence of its explanation come from the events of that run,
// so they name the files and counts the engine really produced; run with other settings, the engine does something
// else and the text says that instead (issue 21, item 2).
import { describe, expect, it } from 'vitest';
import { LESSON_SETTINGS, LESSONS, lessonBySlug } from '../../../web/model/lessons';
import { scenarioEngine, walkLesson } from './scenario-engine';

const walk = walkLesson;

const lesson = (id: string) => lessonBySlug(id)!;

describe('lessons told from the engine’s events', () => {
  it('links name lessons by slug, and old numbered links still work', () => {
    const slugs = LESSONS.map((l) => l.id);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9-]+$/);
    expect(lessonBySlug('compaction')?.title).toBe('Leveled compaction');
    expect(lessonBySlug('5')?.id).toBe('compaction');
    expect(lessonBySlug('1')?.id).toBe('write-path');
    for (const bad of ['0', '7', '2.5', 'nope', '', null]) expect(lessonBySlug(bad)).toBeUndefined();
  });

  it('every lesson starts from its own setup with the lab’s classroom settings', () => {
    for (const l of LESSONS) expect(l.setup.settings).toMatchObject({ ...LESSON_SETTINGS, ...l.setup.settings });
  });

  it('1: the WAL record, its flush and then the memtable, with offsets from the events', async () => {
    const { reveals } = await walk(lesson('write-path'));
    const [{ outcome, explanation, events }] = reveals as [(typeof reveals)[0]];
    expect(outcome).toBe('wal');
    const append = events.find((e) => e.type === 'wal.append')!;
    expect(append.type === 'wal.append' && append.file).toMatch(/^\d{6}\.log$/);
    if (append.type !== 'wal.append') throw new Error();
    expect(explanation).toContain(`appended at byte ${append.offset} of ${append.file}`);
    expect(explanation).toMatch(
      /^First a \d+-byte record for user:1 .* then \d{6}\.log was flushed .* then user:1 went into the memtable/,
    );
  });

  it('2: the SSTable, the manifest record and the old WAL, by name', async () => {
    const { reveals } = await walk(lesson('flush'));
    const { outcome, explanation, events } = reveals[0]!;
    expect(outcome).toBe('removed');
    const begin = events.find((e) => e.type === 'flush.begin');
    const written = events.find((e) => e.type === 'sstable.write');
    if (begin?.type !== 'flush.begin' || written?.type !== 'sstable.write') throw new Error('no flush');
    // The setup's user:1 and the step's two keys: three entries.
    expect(explanation).toContain(`The flush wrote the memtable's 3 entries into ${written.table.file}`);
    expect(explanation).toContain('keys user:1 to user:3');
    expect(explanation).toContain(`Only after that was ${begin.wal}, the WAL that held those entries, deleted.`);
  });

  it('3: what the crash took and what recovery replayed', async () => {
    const { reveals } = await walk(lesson('crash'));
    const { outcome, explanation } = reveals[0]!;
    expect(outcome).toBe('yes');
    expect(explanation).toMatch(
      /^The crash took the memtable's 2 entries with it\. Recovery replayed 2 records from \d{6}\.log \(user:1 and user:4\) into a new memtable\. The Get found user:4 = Alan in the memtable/,
    );
  });

  it('4: every table the Get tried and what its filter said; without filters, the blocks it read', async () => {
    const { reveals } = await walk(lesson('read-path'));
    const { outcome, explanation, events } = reveals[0]!;
    const tables = events
      .filter((e) => e.type === 'read.sstable')
      .map((e) => (e.type === 'read.sstable' ? e.file : ''));
    expect(tables).toHaveLength(2);
    for (const file of tables) expect(explanation).toContain(file);
    expect(outcome).toBe('none');
    expect(explanation).toContain('Not found, with 0 data blocks read and 2 tables skipped by their bloom filters.');

    const noFilters = await walk(lesson('read-path'), { ...LESSON_SETTINGS, bloomBitsPerKey: 0 });
    expect(noFilters.reveals[0]!.outcome).toBe('two');
    expect(noFilters.reveals[0]!.explanation).toContain('Not found, with 2 data blocks read and 0 tables skipped');
    expect(noFilters.reveals[0]!.explanation).toContain('its sparse index named block 0, which was read: not there');
    expect(noFilters.reveals[0]!.explanation).not.toContain('bloom filter said');
  });

  it('5: the compaction’s inputs and outputs by name; with compaction off, that none ran', async () => {
    const { reveals } = await walk(lesson('compaction'));
    const { outcome, explanation, events } = reveals[0]!;
    expect(outcome).toBe('compact');
    const end = events.find((e) => e.type === 'compaction.end');
    if (end?.type !== 'compaction.end') throw new Error('no compaction');
    expect(end.inputs).toHaveLength(4);
    expect(explanation).toContain(`read ${end.inputs.slice(0, -1).join(', ')} and ${end.inputs.at(-1)} from L0`);
    expect(explanation).toContain(`wrote ${end.outputs.join(' and ')} into L1`);
    // The lesson goes on past this question (lessons-compaction-failure.test.ts): its inputs were deleted here.
    const removed = events.flatMap((e) => (e.type === 'sstable.remove' ? [e.file] : []));
    expect(removed.sort()).toEqual([...end.inputs].sort());

    const off = await walk(lesson('compaction'), { ...LESSON_SETTINGS, compaction: 'off' });
    expect(off.reveals[0]!.outcome).toBe('nothing');
    expect(off.reveals[0]!.explanation).toMatch(
      /^The flushes wrote \d{6}\.sst and \d{6}\.sst into L0\. No compaction began/,
    );
    expect(off.reveals[0]!.explanation).not.toContain('compaction read');
  });

  it('6: the setup puts user:10 in an SSTable; the tombstone and the value it hides, where they are', async () => {
    const l = lesson('tombstones');
    const db = await scenarioEngine(l.setup.settings);
    await db.run(l.setup.ops);
    const state = await db.state();
    expect(state.memtable).toHaveLength(0);
    expect(state.tables).toHaveLength(1);
    const table = state.tables[0]!.file;
    const { reveals } = await walk(l);
    const { outcome, explanation } = reveals[0]!;
    expect(outcome).toBe('memtable');
    expect(explanation).toMatch(
      /^The delete appended a tombstone for user:10 to \d{6}\.log and put it into the memtable\./,
    );
    expect(explanation).toContain('No SSTable was written or rewritten.');
    expect(explanation).toContain('The Get met the tombstone in the memtable and stopped: not found.');
    expect(explanation).toContain(`The value it hides, Edsger, still sits in ${table}`);
    // Then a compaction to the last level drops both, and says which versions it dropped.
    const reclaim = reveals[1]!;
    expect(reclaim.outcome).toBe('both');
    expect(reclaim.explanation).toMatch(/dropping 1 tombstone and 1 older version\./);
    expect(reclaim.explanation).toContain('The Get of user:10 found nothing.');
    const end = reclaim.events.find((e) => e.type === 'compaction.end');
    expect(end?.type === 'compaction.end' && end.outputs.every((f) => reclaim.explanation.includes(f))).toBe(true);
  });

  it('the read path: the files a Get reads a block of are the ones its read.block events name', async () => {
    const l = lesson('read-path');
    const db = await scenarioEngine(l.setup.settings);
    await db.run(l.setup.ops);
    let answer: string[] = [];
    for (const step of l.steps) {
      if (step.kind === 'explain') continue;
      const events = await db.run(step.actions);
      if (step.kind === 'pick') answer = step.answer(events);
    }
    // user:50 lives in the first table only: its filter says maybe, the newer one's (user:20 … user:60) says no.
    const tables = (await db.state()).tables.map((t) => t.file).sort();
    expect(answer).toEqual([tables[0]]);
  });

  it('5: its setup leaves two tables in L0, so the question’s trigger is two flushes away', async () => {
    const l = lesson('compaction');
    const db = await scenarioEngine(l.setup.settings);
    await db.run(l.setup.ops);
    const state = await db.state();
    expect(state.tables.filter((t) => t.level === 0)).toHaveLength(2);
  });

  it('each lesson run twice says the same', async () => {
    for (const l of LESSONS) {
      const a = (await walk(l)).reveals.map((r) => r.explanation);
      const b = (await walk(l)).reveals.map((r) => r.explanation);
      expect(b).toEqual(a);
    }
  });
});
