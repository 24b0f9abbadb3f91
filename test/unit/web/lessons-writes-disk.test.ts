// The Writes and Disk chapters run on the real engine (in Node, on MemoryStorage under the crash lab's wrapper): each
// lesson's setup, then every step's actions. Each question's answer and each sentence of its reveal come from the
// events of that run, so the assertions compare the text with the events (file names, offsets, counts), and a run
// with other settings, where the engine does something else, must say that instead.
import { describe, expect, it, vi } from 'vitest';
import { utf8 } from '../../../engine';
import { CHAPTERS, LESSON_SETTINGS, type Lesson, lessonBySlug } from '../../../web/model/lessons';
import type { TimelineEvent } from '../../../web/model/timeline';
import { scenarioEngine } from './scenario-engine';

interface Reveal {
  step: number;
  kind: 'predict' | 'pick';
  /** The choice the engine proved right (predict), or the ids on the picture (pick), joined by commas. */
  answer: string;
  explanation: string;
  events: TimelineEvent[];
}

/** Runs a lesson through: its setup, then every step; each question's answer and explanation. */
async function walk(lesson: Lesson, settings: Record<string, unknown> = lesson.setup.settings) {
  const db = await scenarioEngine(settings);
  await db.run(lesson.setup.ops);
  const reveals: Reveal[] = [];
  for (const [step, s] of lesson.steps.entries()) {
    if (s.kind === 'explain') continue;
    const events = await db.run(s.actions);
    if (s.kind === 'predict')
      reveals.push({ step, kind: 'predict', answer: s.outcome(events), explanation: s.explanation(events), events });
    if (s.kind === 'pick')
      reveals.push({
        step,
        kind: 'pick',
        answer: s.answer(events).join(','),
        explanation: s.explanation(events),
        events,
      });
  }
  return { reveals, db };
}

const lesson = (id: string) => lessonBySlug(id)!;
const hex = (s: string) => Buffer.from(utf8(s)).toString('hex');
type Of<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
const every = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T) =>
  events.filter((e): e is Of<T> => e.type === type);
const one = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T) => {
  const found = every(events, type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

describe('the Writes and Disk chapters', () => {
  it('hold four lessons each, 3 to 6 steps, each with a question, a topic and a note', () => {
    for (const id of ['writes', 'disk']) {
      const chapter = CHAPTERS.find((c) => c.id === id)!;
      expect(chapter.lessons).toHaveLength(4);
      for (const l of chapter.lessons) {
        expect(l.steps.length, l.id).toBeGreaterThanOrEqual(3);
        expect(l.steps.length, l.id).toBeLessThanOrEqual(6);
        expect(l.steps.some((s) => s.kind === 'predict' || s.kind === 'pick')).toBe(true);
        expect(l.topic.length).toBeGreaterThan(10);
        expect(l.note).toMatch(/Misconception/);
        // The classroom settings, some changed on purpose (a bigger memtable where a flush must wait to be asked).
        expect(Object.keys(l.setup.settings)).toEqual(expect.arrayContaining(Object.keys(LESSON_SETTINGS)));
      }
      // One question per chapter is answered on the picture.
      expect(chapter.lessons.flatMap((l) => l.steps).some((s) => s.kind === 'pick')).toBe(true);
    }
    expect(CHAPTERS.find((c) => c.id === 'writes')!.lessons.map((l) => l.id)).toEqual([
      'write-path',
      'skip-list',
      'durability',
      'batch-checksum',
    ]);
    expect(CHAPTERS.find((c) => c.id === 'disk')!.lessons.map((l) => l.id)).toEqual([
      'flush',
      'blocks',
      'bloom',
      'manifest',
    ]);
  });

  it('write path: the WAL keeps arrival order, the memtable key order', async () => {
    const { reveals } = await walk(lesson('write-path'));
    expect(reveals.map((r) => r.answer)).toEqual(['wal', 'end']);
    const { explanation, events } = reveals[1]!;
    const [three, zero] = every(events, 'wal.append');
    expect(zero!.offset).toBeGreaterThan(three!.offset);
    expect(explanation).toContain(
      `user:3 at byte ${three!.offset} of ${three!.file} and user:0 at byte ${zero!.offset}`,
    );
    expect(explanation).toContain('In the memtable user:3 went right after user:1.');
    expect(explanation).toContain('In the memtable user:0 went first, ahead of every key there.');
  });

  it('skip list: the insert’s search path and the Get’s rows, as the events report them', async () => {
    const { reveals, db } = await walk(lesson('skip-list'));
    const [insert, get] = reveals as [Reveal, Reveal];
    const ins = one(insert.events, 'memtable.insert');
    const path = ins.path!;
    // The search moved right on an upper lane: that is what the answer says, and the explanation tells its stops.
    const upper = path.some((p, i) => i > 0 && p.lane > 0 && p.key !== null && path[i - 1]!.lane === p.lane);
    expect(insert.answer).toBe(upper ? 'skip' : 'walk');
    expect(insert.answer).toBe('skip');
    expect(insert.explanation).toMatch(/^The search for user:45's place stood at the head on lane \d/);
    expect(insert.explanation).toContain(`Of the 5 keys already there`);
    expect(insert.explanation).toContain(`own tower is ${ins.height} lane`);

    // The Get's search: whether it stood at user:20 is read off its path, and the text names every stop.
    const read = one(get.events, 'read.memtable');
    const stood = [...new Set(read.path!.flatMap((p) => (p.key === null ? [] : [p.key])))];
    expect(get.answer).toBe(stood.includes(hex('user:20')) ? 'yes' : 'no');
    expect(get.answer).toBe('no');
    expect(stood).toContain(hex('user:50'));
    const rows = (await db.state()).memtable.length;
    expect(stood.length).toBeLessThan(rows); // it did skip rows
    expect(get.explanation).toContain(`and found it: ${stood.length} rows of the memtable`);
    expect(get.explanation).not.toContain('user:20');
  });

  it('durability: a power loss takes relaxed writes, never group-committed ones', async () => {
    const { reveals } = await walk(lesson('durability'));
    const [relaxed, group] = reveals as [Reveal, Reveal];
    // The pick: the WAL records that come back are the ones recovery replayed, as `<file>@<offset>`.
    expect(relaxed.kind).toBe('pick');
    const replays = every(relaxed.events, 'recovery.replay');
    expect(relaxed.answer).toBe(replays.map((r) => `${r.file}@${r.offset}`).join(','));
    expect(relaxed.answer).toMatch(/^\d{6}\.log@0$/);
    expect(one(relaxed.events, 'crash').memtableEntries).toBe(3);
    expect(relaxed.explanation).toContain("The power loss wiped the memtable's 3 entries.");
    expect(relaxed.explanation).toContain(`On disk ${replays[0]!.file} held 34 bytes`);
    expect(relaxed.explanation).toContain('Recovery replayed 1 record: user:1 (byte 0).');
    expect(relaxed.explanation).toContain('2 writes the memtable held did not come back');

    expect(group.answer).toBe('yes');
    expect(every(group.events, 'recovery.replay')).toHaveLength(2);
    expect(group.explanation).toContain('Every write the memtable held came back');
    expect(group.explanation).toContain('The Get found user:4 = Alan.');
  });

  it('durability: a class that takes five minutes over the question still sees the relaxed writes lost', async () => {
    // A class predicts before the reveal (class mode), and a teacher talks: minutes pass between the relaxed puts and
    // the power cut. Relaxed mode's flush must not land in that time, or the lesson shows nothing lost.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const l = lesson('durability');
      const db = await scenarioEngine(l.setup.settings);
      await db.run(l.setup.ops);
      const relaxed = l.steps[1]!;
      const cut = l.steps[2]!;
      if (relaxed.kind !== 'try' || cut.kind !== 'pick') throw new Error('steps 2 and 3: the relaxed puts, the cut');
      await db.run(relaxed.actions);
      const before = db.events.length;
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await db.run([]); // hands on what the worker's batcher holds
      expect(every(db.events.slice(before), 'wal.flush')).toEqual([]);
      const events = await db.run(cut.actions);
      expect(every(events, 'recovery.replay')).toHaveLength(1);
      expect(cut.explanation(events)).toContain('2 writes the memtable held did not come back');
    } finally {
      vi.useRealTimers();
    }
  });

  it('durability: in durable mode throughout, the same power loss takes nothing, and the text says so', async () => {
    const l = lesson('durability');
    const db = await scenarioEngine(l.setup.settings);
    await db.run(l.setup.ops);
    // The relaxed step's puts, but durable: each flushed before it is acknowledged.
    const puts = await db.run([
      { op: 'put', key: 'user:2', value: 'Grace' },
      { op: 'put', key: 'user:3', value: 'Grace' },
    ]);
    const step = l.steps[2]!;
    if (step.kind !== 'pick') throw new Error('step 3 is the question on the picture');
    const events = await db.run(step.actions);
    const appended = ['000002.log@0', ...every(puts, 'wal.append').map((a) => `${a.file}@${a.offset}`)];
    expect(step.answer(events)).toEqual(appended);
    expect(step.explanation(events)).toContain('Recovery replayed 3 records');
    expect(step.explanation(events)).toContain('Every write the memtable held came back');
  });

  it('batch and checksum: one record; a flipped byte in it drops the whole batch as a torn tail', async () => {
    const { reveals } = await walk(lesson('batch-checksum'));
    const [batch, flipped] = reveals as [Reveal, Reveal];
    expect(batch.answer).toBe('one');
    const record = one(batch.events, 'wal.batch');
    expect(every(batch.events, 'wal.append')).toHaveLength(0);
    expect(every(batch.events, 'memtable.insert')).toHaveLength(3);
    expect(batch.explanation).toContain(
      `a single ${record.length}-byte record at byte ${record.offset} of ${record.file}, holding 3 writes (put user:2, delete user:1 and put user:3)`,
    );
    // The corrupt op names the file and a byte inside that record: the lesson's fixed offset must hit it.
    const corrupt = lesson('batch-checksum').steps[3]!;
    if (corrupt.kind !== 'predict' || corrupt.actions[0]!.op !== 'corrupt') throw new Error('no corrupt op');
    expect(corrupt.actions[0]).toMatchObject({ file: record.file });
    const at = (corrupt.actions[0] as { offset: number }).offset;
    expect(at).toBeGreaterThanOrEqual(record.offset);
    expect(at).toBeLessThan(record.offset + record.length);

    expect(flipped.answer).toBe('none');
    const torn = one(flipped.events, 'recovery.torn-tail');
    expect(torn.offset).toBe(record.offset);
    expect(every(flipped.events, 'recovery.replay').map((r) => r.offset)).toEqual([0]);
    expect(flipped.explanation).toContain(
      `it cut ${record.file} at byte ${record.offset}, dropping ${torn.droppedBytes} bytes`,
    );
    expect(flipped.explanation).toContain('The Get did not find user:3');
  });

  it('batch and checksum: without the flipped byte, recovery replays the batch whole', async () => {
    const l = lesson('batch-checksum');
    const db = await scenarioEngine(l.setup.settings);
    await db.run(l.setup.ops);
    const batch = l.steps[1]!;
    const flip = l.steps[3]!;
    if (batch.kind !== 'predict' || flip.kind !== 'predict') throw new Error('questions moved');
    await db.run(batch.actions);
    const events = await db.run(flip.actions.filter((a) => a.op !== 'corrupt'));
    expect(flip.outcome(events)).toBe('all');
    expect(flip.explanation(events)).toContain('a batch of 3 writes at byte 34');
    expect(flip.explanation(events)).toContain('No record failed its checksum.');
  });

  it('flush: the WAL goes after the commit; the table’s bytes; the pick’s level is where the flush wrote', async () => {
    const { reveals, db } = await walk(lesson('flush'));
    const [wal, bytes, level] = reveals as [Reveal, Reveal, Reveal];
    expect(wal.answer).toBe('removed');
    const table = one(bytes.events, 'sstable.write').table;
    expect(bytes.answer).toBe(table.dataBytes * 2 > table.size ? 'most' : 'less');
    expect(bytes.explanation).toContain(
      `${table.file} is ${table.size} bytes: the 3 entries take ${table.dataBytes} bytes`,
    );
    expect(bytes.explanation).toContain(`the other ${table.size - table.dataBytes} bytes`);

    expect(level.kind).toBe('pick');
    const flushed = one(level.events, 'sstable.write').table;
    expect(one(level.events, 'flush.begin').reason).toBe('threshold');
    expect(level.answer).toBe(`L${flushed.level}`);
    expect(level.answer).toBe('L0');
    expect(level.explanation).toContain(`wrote ${flushed.file} into L0`);
    const state = await db.state();
    expect(state.tables.find((t) => t.file === flushed.file)?.level).toBe(0);
  });

  it('blocks: the block count, the one block a Get reads, and deflate’s saving, from the table metas', async () => {
    const { reveals } = await walk(lesson('blocks'));
    const [blocks, get, compression] = reveals as [Reveal, Reveal, Reveal];
    const table = one(blocks.events, 'sstable.write').table;
    expect(table.entries).toBe(12);
    expect(blocks.answer).toBe(table.blocks >= 5 ? 'many' : table.blocks > 1 ? 'few' : 'one');
    expect(blocks.explanation).toContain(`holds 12 entries in ${table.blocks} data blocks, ${table.dataBytes} bytes`);

    expect(get.answer).toBe('one');
    const index = one(get.events, 'read.index');
    const block = one(get.events, 'read.block');
    expect(index.index.blocks).toBe(table.blocks);
    expect(block.block).toBe(index.index.chosen);
    expect(get.explanation).toContain(`sparse index has ${table.blocks} lines`);
    expect(get.explanation).toContain(
      `So block ${block.block} alone was read: ${block.blockSize} bytes at byte ${block.blockOffset}`,
    );

    const [plain, packed] = every(compression.events, 'sstable.write').map((w) => w.table);
    expect(compression.answer).toBe('deflate');
    expect(packed!.size).toBeLessThan(plain!.size);
    expect(compression.explanation).toContain(
      `${plain!.file} (no compression) is ${plain!.size} bytes; ${packed!.file} (deflate) is ${packed!.size} bytes`,
    );
  });

  it('bloom: the maybes counted from the read.bloom events, few at 10 bits per key, many at 2', async () => {
    const { reveals } = await walk(lesson('bloom'));
    const [ten, two] = reveals as [Reveal, Reveal];
    for (const r of [ten, two]) {
      const probes = every(r.events, 'read.bloom');
      expect(probes).toHaveLength(8);
      const maybe = probes.filter((p) => p.maybe).length;
      expect(r.answer).toBe(maybe === 0 ? 'never' : maybe <= 2 ? 'once' : 'often');
      expect(r.explanation).toContain(`"maybe" ${maybe} time`);
      expect(r.explanation).toContain(`(${probes[0]!.bloom.bits} bits`);
      // Every "maybe" for a missing key cost a block read, and the text counts them.
      const blocks = every(r.events, 'read.end').reduce((n, e) => n + e.blocksRead, 0);
      expect(blocks).toBe(maybe);
    }
    const maybes = (r: Reveal) => every(r.events, 'read.bloom').filter((p) => p.maybe).length;
    expect(maybes(two)).toBeGreaterThan(maybes(ten));
    expect(two.answer).toBe('often');
    expect(two.explanation).toMatch(/a measured false-positive rate of \d in 8/);
  });

  it('bloom: with no filters at all, no filter is asked, and the text says so', async () => {
    const { reveals } = await walk(lesson('bloom'), { ...lesson('bloom').setup.settings, bloomBitsPerKey: 0 });
    expect(reveals[0]!.answer).toBe('never');
    expect(reveals[0]!.explanation).toBe('No bloom filter was asked: no Get reached an SSTable with a filter.');
  });

  it('manifest: one appended record per flush and per compaction; recovery replays them all', async () => {
    const { reveals, db } = await walk(lesson('manifest'));
    const [flush, compact, recovery] = reveals as [Reveal, Reveal, Reveal];
    expect(flush.answer).toBe('append');
    const edit = one(flush.events, 'manifest.edit');
    expect(flush.explanation).toContain(
      `${/^8/.test(String(edit.length)) ? 'An' : 'A'} ${edit.length}-byte record was appended at byte ${edit.offset} of ${edit.file}, adding ${edit.added[0]!.file} to L0`,
    );
    expect(compact.answer).toBe('one');
    const swap = one(compact.events, 'manifest.edit');
    expect(compact.explanation).toContain(`removing ${swap.removed.join(' and ')}`);
    expect(compact.explanation).toContain(`Only after it was flushed were ${swap.removed.join(' and ')} deleted.`);

    expect(recovery.answer).toBe('replay');
    const manifest = one(recovery.events, 'recovery.manifest');
    expect(every(recovery.events, 'recovery.edit')).toHaveLength(manifest.records);
    expect(recovery.explanation).toContain(`replayed its ${manifest.records} records in order`);
    const live = (await db.state()).tables.map((t) => t.file);
    expect(live).toEqual(manifest.tables.map((t) => t.file));
    expect(recovery.explanation).toContain(`the current version: ${live[0]} in L1`);
  });

  it('each lesson run twice says the same', async () => {
    for (const id of [
      'write-path',
      'skip-list',
      'durability',
      'batch-checksum',
      'flush',
      'blocks',
      'bloom',
      'manifest',
    ]) {
      const a = (await walk(lesson(id))).reveals.map((r) => [r.answer, r.explanation]);
      const b = (await walk(lesson(id))).reveals.map((r) => [r.answer, r.explanation]);
      expect(b, id).toEqual(a);
    }
  });
});
