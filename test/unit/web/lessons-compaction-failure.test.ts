// The Compaction and Failure chapters run on the real engine (in Node, on MemoryStorage behind the worker's
// FaultyStorage and crash points): each lesson's setup, then each step's actions. Every answer and every file name,
// count and offset in a reveal is checked against the events of that run; run differently (other settings, no
// crash point), the engine does something else and the reveal says that instead.
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { LESSON_SETTINGS, type Lesson, lessonBySlug } from '../../../web/model/lessons';
import { bytesWritten, COMPACTION } from '../../../web/model/lessons/compaction';
import { explainCorruption, FAILURE } from '../../../web/model/lessons/failure';
import { codeContext, lineOf } from '../../../web/model/pseudocode';
import type { TimelineEvent } from '../../../web/model/timeline';
import { foldEvents } from '../../../web/model/view';
import { eventLog } from '../support/events';
import { scenarioEngine } from './scenario-engine';

interface Reveal {
  step: number;
  /** The predicted choice the engine proved right, or the ids a pick's answer names. */
  answer: string | string[];
  explanation: string;
  events: TimelineEvent[];
}

async function walk(lesson: Lesson, settings: Record<string, unknown> = lesson.setup.settings) {
  const db = await scenarioEngine(settings);
  const setupEvents = await db.run(lesson.setup.ops);
  const reveals: Reveal[] = [];
  for (const [step, s] of lesson.steps.entries()) {
    if (s.kind === 'explain') continue;
    const events = await db.run(s.actions);
    if (s.kind === 'predict')
      reveals.push({ step, answer: s.outcome(events), explanation: s.explanation(events), events });
    if (s.kind === 'pick') reveals.push({ step, answer: s.answer(events), explanation: s.explanation(events), events });
  }
  return { reveals, db, setupEvents };
}

const lesson = (id: string) => lessonBySlug(id)!;
const of = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T) =>
  events.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);
const one = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T) => {
  const found = of(events, type)[0];
  if (!found) throw new Error(`no ${type} event`);
  return found;
};

describe('the Compaction and Failure chapters', () => {
  it('hold four lessons each, of 3 to 6 steps with a question, a one-line topic and a teacher’s note', () => {
    for (const chapter of [COMPACTION, FAILURE]) {
      expect(chapter.lessons).toHaveLength(4);
      for (const l of chapter.lessons) {
        expect(l.steps.length, l.id).toBeGreaterThanOrEqual(3);
        expect(l.steps.length, l.id).toBeLessThanOrEqual(6);
        expect(l.steps.some((s) => s.kind === 'predict' || s.kind === 'pick')).toBe(true);
        // The first question is a prediction: it can be answered before the picture can be pointed at.
        expect(l.steps.find((s) => s.kind === 'predict' || s.kind === 'pick')?.kind, l.id).toBe('predict');
        expect(l.topic).not.toMatch(/\n/);
        expect(l.note).toMatch(/^Say: .*Misconception: /);
      }
    }
    expect(COMPACTION.lessons.map((l) => l.id)).toEqual(['compaction', 'tiered', 'amplification', 'compact-range']);
    expect(FAILURE.lessons.map((l) => l.id)).toEqual(['crash', 'crash-points', 'power-loss', 'corruption']);
    // One question in each chapter is answered on the picture.
    expect(COMPACTION.lessons.flatMap((l) => l.steps).filter((s) => s.kind === 'pick')).toHaveLength(2);
    expect(FAILURE.lessons.flatMap((l) => l.steps).filter((s) => s.kind === 'pick')).toHaveLength(1);
  });
});

describe('Compaction, told from the engine’s events', () => {
  it('leveled: the L0 trigger merges four tables; the pick is the L0 tables and only the overlapping L1 one', async () => {
    const { reveals } = await walk(lesson('compaction'));
    const [trigger, pick] = reveals as [Reveal, Reveal];
    expect(trigger.answer).toBe('compact');
    const first = one(trigger.events, 'compaction.end');
    expect(first.inputs).toHaveLength(4);
    expect(trigger.explanation).toContain(`wrote ${first.outputs.join(' and ')} into L1`);
    // L1 after the first compaction: two files, user:10–user:50 and user:60. Keys user:11..16 overlap the first only.
    expect(first.outputs).toHaveLength(2);
    const begin = one(pick.events, 'compaction.begin');
    const flushed = one(pick.events, 'flush.end').table;
    expect(begin.inputs).toContain(flushed);
    expect(pick.answer).toEqual(begin.inputs.filter((f) => f !== flushed));
    expect(pick.answer).toContain(first.outputs[0]);
    expect(pick.answer).not.toContain(first.outputs[1]);
    expect(pick.answer).toHaveLength(4);
    const fromL0 = begin.inputs.slice(0, 4);
    expect(pick.explanation).toContain(`It took all of L0 (${fromL0.slice(0, 3).join(', ')} and ${fromL0[3]})`);
    expect(pick.explanation).toContain(`From L1 it took only ${first.outputs[0]}, the table whose key range overlaps`);
    const end = one(pick.events, 'compaction.end');
    expect(pick.explanation).toContain(`It merged ${end.entriesRead} entries and wrote ${end.outputs.join(' and ')}`);
  });

  it('leveled: with compaction off, nothing is read and the pick’s answer is empty', async () => {
    const { reveals } = await walk(lesson('compaction'), { ...LESSON_SETTINGS, compaction: 'off' });
    expect(reveals[0]!.answer).toBe('nothing');
    expect(reveals[1]!.answer).toEqual([]);
    expect(reveals[1]!.explanation).toContain('No compaction began: L0 just grew.');
  });

  it('tiered: the same seeded workload, leveled then tiered, each run’s bytes summed from its events', async () => {
    const { reveals } = await walk(lesson('tiered'));
    const [runs, read] = reveals as [Reveal, Reveal];
    const ends = of(runs.events, 'workload.end');
    expect(ends).toHaveLength(2);
    const cut = runs.events.indexOf(ends[0]!);
    const leveled = bytesWritten(runs.events.slice(0, cut + 1));
    const tiered = bytesWritten(runs.events.slice(cut + 1));
    expect(of(runs.events.slice(0, cut), 'compaction.begin').every((b) => b.strategy === 'leveled')).toBe(true);
    expect(of(runs.events.slice(cut), 'compaction.begin').every((b) => b.strategy === 'tiered')).toBe(true);
    expect(tiered.compactionBytes).toBeLessThan(leveled.compactionBytes);
    expect(runs.answer).toBe('tiered');
    expect(runs.explanation).toContain(
      `The first run (leveled compaction) flushed ${leveled.flushes} tables (${leveled.flushBytes} bytes); its ${leveled.compactions} compactions`,
    );
    expect(runs.explanation).toContain(
      `The second run (tiered compaction) flushed ${tiered.flushes} tables (${tiered.flushBytes} bytes); its ${tiered.compactions} compactions into L0 wrote ${tiered.compactionBytes} bytes more`,
    );
    expect(runs.explanation).toContain(
      `The second run’s compactions wrote ${leveled.compactionBytes - tiered.compactionBytes} bytes fewer.`,
    );
    // The read pays: it looks in more than one table, each named in the reveal.
    const tables = of(read.events, 'read.sstable');
    expect(read.answer).toBe(tables.length > 1 ? 'several' : 'one');
    expect(read.answer).toBe('several');
    for (const t of tables) expect(read.explanation).toContain(`${t.file} in L${t.level}`);
  });

  it('amplification: write amplification from the workload’s bytes, space from compactRange, one table per read', async () => {
    const { reveals } = await walk(lesson('amplification'));
    const [write, space, read] = reveals as [Reveal, Reveal, Reveal];
    const w = bytesWritten(write.events);
    expect(w.flushes).toBeGreaterThan(10);
    expect(write.answer).toBe(w.compactionBytes >= w.flushBytes ? 'more' : 'less');
    expect(write.explanation).toContain(`The workload's ${w.flushes} flushes wrote ${w.flushBytes} bytes of SSTables`);
    expect(write.explanation).toContain(`write amplification ${w.amplification.toFixed(1)}×`);
    const s = bytesWritten(space.events);
    expect(s.compactions).toBeGreaterThan(0);
    expect(space.answer).toBe(s.compactionBytes * 2 < s.compactionRead ? 'half' : 'most');
    expect(space.explanation).toContain(`they read ${s.compactionRead} bytes of tables and wrote ${s.compactionBytes}`);
    expect(space.explanation).toContain(`${(s.compactionRead / s.compactionBytes).toFixed(1)} times`);
    expect(read.answer).toBe('one');
    const table = one(read.events, 'read.sstable');
    expect(read.explanation).toContain(`${table.file} in L${table.level}`);
  });

  it('compactRange: a snapshot keeps the versions it sees; released, the next compaction drops them', async () => {
    const { reveals } = await walk(lesson('compact-range'));
    const [kept, dropped] = reveals as [Reveal, Reveal];
    expect(kept.answer).toBe('kept');
    const end = one(kept.events, 'compaction.end');
    expect(end.keptForSnapshots).toBe(2);
    const snapshot = one(kept.events, 'snapshot.kept');
    expect(kept.explanation).toContain(
      `kept 2 older versions because the snapshot at ${snapshot.snapshots[0]} can still see them`,
    );
    // user:1's first version and user:2 (deleted before the snapshot) go; user:3 = v1 is read at the snapshot.
    expect(kept.explanation).toContain('user:1@1 (overwritten)');
    expect(kept.explanation).toContain(`The Get at the snapshot found user:3 = v1 in ${end.outputs[0]}`);
    expect(dropped.answer).toBe('dropped');
    const second = one(dropped.events, 'compaction.end');
    expect(second.keptForSnapshots).toBe(0);
    expect(dropped.explanation).toContain(
      `The snapshot at sequence number ${snapshot.snapshots[0]} was released (no snapshot is live now)`,
    );
    expect(dropped.explanation).toContain('user:3@3 (overwritten)');
    expect(dropped.explanation).toMatch(/user:4@\d+ \(a tombstone\)/);
    // The pick: compactRange writes into the deepest level the tree has (L1 here), not its last possible one.
    const [, , bottom] = reveals as [Reveal, Reveal, Reveal];
    const last = of(bottom.events, 'compaction.end').at(-1)!;
    expect(bottom.answer).toEqual([`L${last.outputLevel}`]);
    expect(bottom.answer).toEqual(['L1']);
    expect(bottom.explanation).toContain(`wrote ${last.outputs.join(' and ')} into L1`);
    expect(bottom.explanation).toContain('L1 already was the deepest level holding tables');
  });
});

describe('Failure, told from the engine’s events', () => {
  it('crash: the WAL replayed; the table written before its manifest record deleted as an orphan', async () => {
    const { reveals } = await walk(lesson('crash'));
    const [replay, orphan] = reveals as [Reveal, Reveal];
    expect(replay.answer).toBe('yes');
    expect(replay.explanation).toMatch(/Recovery replayed 2 records from \d{6}\.log \(user:1 and user:4\)/);
    expect(orphan.answer).toBe('deleted');
    const written = one(orphan.events, 'sstable.write').table.file;
    expect(one(orphan.events, 'crash.point').point).toBe('before-manifest');
    expect(of(orphan.events, 'manifest.edit')).toHaveLength(0);
    expect(orphan.explanation).toContain(`written ${written}, but no manifest record named it`);
    expect(orphan.explanation).toContain(`It deleted ${written}: an SSTable no manifest record names`);
    expect(orphan.explanation).toContain('The Get found user:4 = Alan in the memtable.');
  });

  it('crash: disarmed, the same flush commits and recovery keeps the table', async () => {
    const l = lesson('crash');
    const disarmed: Lesson = {
      ...l,
      steps: l.steps.map((s) =>
        s.kind === 'predict' ? { ...s, actions: s.actions.filter((a) => a.op !== 'arm') } : s,
      ),
    };
    const { reveals } = await walk(disarmed);
    expect(reveals[1]!.answer).toBe('kept');
    expect(reveals[1]!.explanation).not.toContain('deleted');
  });

  it('crash points: mid-SSTable and before the manifest, recovery deletes the file and replays the WAL', async () => {
    const { reveals } = await walk(lesson('crash-points'));
    const [mid, before, after] = reveals as [Reveal, Reveal, Reveal];
    const torn = one(mid.events, 'crash.point').torn!;
    expect(mid.answer).toBe('memtable');
    expect(mid.explanation).toContain(`leaving ${torn.file} cut off at ${torn.size} bytes`);
    expect(mid.explanation).toContain(`It deleted ${torn.file}`);
    expect(mid.explanation).toMatch(/It replayed 3 WAL records from \d{6}\.log \(user:1, user:2 and user:3\)/);
    expect(before.answer).toBe('deleted');
    expect(before.explanation).toContain(`It deleted ${one(before.events, 'sstable.write').table.file}`);
    // Run to the end, the flush commits: recovery replays nothing and the Get reads the table.
    expect(after.answer).toBe('sstable');
    const edit = one(after.events, 'manifest.edit');
    const table = edit.added[0]!.file;
    expect(after.explanation).toContain(`the manifest record at byte ${edit.offset} of ${edit.file} had committed it`);
    expect(after.explanation).toContain('It found no WAL record to replay.');
    expect(after.explanation).toContain(`The Get found user:2 = Grace in ${table}.`);
  });

  it('power loss: durable writes survive; a torn record is cut off where recovery stops; relaxed ones are lost', async () => {
    const { reveals } = await walk(lesson('power-loss'));
    const [durable, torn, relaxed] = reveals as [Reveal, Reveal, Reveal];
    expect(durable.answer).toBe('yes');
    expect(durable.explanation).toContain('The power went out.');
    expect(durable.explanation).toMatch(/replayed 3 WAL records from \d{6}\.log \(user:1, user:2 and user:3\)/);
    // The pick: the last record replayed, `file@offset`, just in front of the torn tail.
    const replays = of(torn.events, 'recovery.replay');
    const tail = one(torn.events, 'recovery.torn-tail');
    const lastReplay = replays.at(-1)!;
    expect(torn.answer).toEqual([`${lastReplay.file}@${lastReplay.offset}`]);
    expect(tail.file).toBe(lastReplay.file);
    expect(tail.offset).toBe(lastReplay.offset + lastReplay.length);
    expect(torn.explanation).toContain(
      `${tail.file} ended in an incomplete record at byte ${tail.offset}: recovery cut off those ${tail.droppedBytes} bytes there.`,
    );
    expect(one(torn.events, 'crash.point').kind).toBe('power');
    expect(relaxed.answer).toBe('no');
    expect(relaxed.explanation).toMatch(/2 writes \(user:5 and user:6\) went to \d{6}\.log; none of them were flushed/);
    expect(relaxed.explanation).toContain('The Get did not find user:6.');
  });

  it('power loss: the same seed loses the same, run after run', async () => {
    const a = await walk(lesson('power-loss'));
    const b = await walk(lesson('power-loss'));
    expect(b.reveals.map((r) => r.explanation)).toEqual(a.reveals.map((r) => r.explanation));
  });

  it('corruption: the flipped byte is reported with file and offset, never returned; other blocks still read', async () => {
    const { reveals, db, setupEvents } = await walk(lesson('corruption'));
    // The setup's one table is the file the lesson names, with more than one block.
    const table = one(setupEvents, 'sstable.write').table;
    expect(table.file).toBe('000004.sst');
    expect(table.blocks).toBeGreaterThan(1);
    const [damaged, intact, compaction] = reveals as [Reveal, Reveal, Reveal];
    const c = one(damaged.events, 'corruption');
    expect(damaged.answer).toBe('error');
    expect(of(damaged.events, 'read.end')).toHaveLength(0);
    expect(damaged.explanation).toContain(
      `The engine reported corruption in 000004.sst at byte ${c.offset} (${c.detail})`,
    );
    expect(damaged.explanation).toContain('The Get of user:01 failed with that typed error');
    expect(db.errors[0]).toMatchObject({ code: 'corruption', file: '000004.sst', offset: c.offset });
    expect(intact.answer).toBe('found');
    expect(intact.explanation).toContain('The Get of user:08 read 1 data block of 000004.sst');
    expect(compaction.answer).toBe('refuses');
    expect(of(compaction.events, 'compaction.end')).toHaveLength(0);
    expect(compaction.explanation).toContain('The compaction began on 000004.sst.');
    expect(compaction.explanation).toContain('it wrote no output');
  });

  it('corruption: the code panel shows the line where the checksum failed, in the get and in the compaction', async () => {
    const { reveals, setupEvents } = await walk(lesson('corruption'));
    const [damaged, , compaction] = reveals as [Reveal, Reveal, Reveal];
    // The picture as the player shows it at each corruption event (everything up to it folded), as Pseudocode asks.
    const lineAt = (before: TimelineEvent[], events: TimelineEvent[]) => {
      const upTo = events.slice(0, events.findIndex((e) => e.type === 'corruption') + 1);
      const view = foldEvents([...before, ...upTo]);
      const c = codeContext;
      return lineOf(upTo.at(-1)!, c.inFlush(view), c.inCompaction(view), c.inScan(view));
    };
    expect(lineAt(setupEvents, damaged.events)).toEqual({ section: 'read', line: 'r-read' });
    const beforeCompaction = [...setupEvents, ...reveals.slice(0, 2).flatMap((r) => r.events)];
    expect(lineAt(beforeCompaction, compaction.events)).toEqual({ section: 'compaction', line: 'c-merge' });
    // Then the compaction is over in the picture: failed, where, and no line runs on in it afterwards.
    const after = foldEvents([...beforeCompaction, ...compaction.events]);
    expect(after.compaction).toMatchObject({ done: false, failed: { file: '000004.sst' } });
    expect(codeContext.inCompaction(after)).toBe(false);
    const fail = one(compaction.events, 'compaction.fail');
    expect(lineOf(fail, false, true)).toEqual({ section: 'compaction', line: 'c-merge' });
  });
});

describe('A compaction that fails after writing outputs', () => {
  it('is explained from its events: the outputs it deleted are named, never "no output"', async () => {
    // Two overlapping ~1 MiB tables, read in 256 KiB runs, outputs of 64 KiB: several outputs are written before
    // the merge reaches the run of the second table holding a damaged byte.
    const storage = new MemoryStorage();
    const settings = { memtableBytes: 1 << 20, compaction: 'off' } as const;
    let db = await LsmTree.open(storage, settings);
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 1000; k++)
        await db.put(utf8(`key${String(k).padStart(4, '0')}`), utf8(`${'v'.repeat(1000)}${round}`));
      await db.flush();
    }
    const tables = (await db.describe()).tables.map((t) => t.file);
    await db.close();
    const file = await storage.open(tables[1]!);
    const at = 600_000;
    const byte = new Uint8Array(1);
    file.read(byte, { at });
    byte[0]! ^= 0xff;
    file.write(byte, { at });
    file.close();
    const log = eventLog();
    db = await LsmTree.open(storage, { ...settings, targetFileBytes: 64 << 10, onEvent: log.record });
    await expect(db.compactRange()).rejects.toMatchObject({ code: ErrorCode.Corruption });
    await db.close();
    const events = log.events as unknown as TimelineEvent[];
    const removed = log.of('sstable.remove').map((r) => r.file);
    expect(removed.length).toBeGreaterThan(1);
    const explanation = explainCorruption(events);
    expect(explanation).toContain(
      `it deleted what it had written (${removed.slice(0, -1).join(', ')} and ${removed.at(-1)})`,
    );
    expect(explanation).not.toContain('it wrote no output');
    // The picture: the outputs went again, the compaction is marked failed where the engine said.
    const view = foldEvents(events);
    const fail = log.of('compaction.fail')[0]!;
    expect(view.compaction?.failed).toEqual({ message: fail.message, file: fail.file, offset: fail.offset });
    for (const f of removed) expect(view.tables.some((t) => t.file === f)).toBe(false);
  });
});
