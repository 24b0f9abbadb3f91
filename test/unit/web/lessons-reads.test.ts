// The Reads chapter's merge-iterator and snapshot lessons run on the real engine (in Node, on MemoryStorage): their
// answers and every sentence of their reveals come from the events of that run — the sources a scan merged, the
// steps it took, the version a snapshot kept and the one a compaction dropped once it was released.
import { describe, expect, it } from 'vitest';
import { type Lesson, lessonBySlug } from '../../../web/model/lessons';
import type { TimelineEvent } from '../../../web/model/timeline';
import { walkLesson } from './scenario-engine';

const walk = async (lesson: Lesson) => (await walkLesson(lesson)).reveals;

const of = <T extends TimelineEvent['type']>(events: readonly TimelineEvent[], type: T) =>
  events.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);

describe('the Reads chapter: merge iterator and snapshots', () => {
  it('merge-iterator: the memtable’s user:1 wins the merge; a tombstone hides user:2', async () => {
    const lesson = lessonBySlug('merge-iterator')!;
    expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
    expect(lesson.steps.length).toBeLessThanOrEqual(6);
    const [scan, afterDelete] = (await walk(lesson)) as [
      Awaited<ReturnType<typeof walk>>[0],
      Awaited<ReturnType<typeof walk>>[0],
    ];
    expect(scan.outcome).toBe('memtable');
    const sources = of(scan.events, 'scan.begin')[0]!.sources;
    expect(sources).toHaveLength(3);
    // The sources by name, and the steps as the engine took them.
    expect(scan.explanation).toContain(`(the memtable, ${sources[1]} and ${sources[2]})`);
    const older = sources[2]!;
    expect(scan.explanation).toMatch(
      new RegExp(`user:1 = Alan from the memtable \\(#\\d+\\), passing over #1 in ${older}`),
    );
    expect(scan.explanation).toContain(`user:3 = Grace from ${sources[1]}`);
    expect(scan.explanation).toContain(
      'It returned 3 pairs in key order; 2 older versions and 0 deleted keys were skipped.',
    );

    expect(afterDelete.outcome).toBe('two');
    expect(afterDelete.explanation).toMatch(
      /user:2: a tombstone in the memtable \(#\d+\) won, so the key was left out, passing over #\d+ in \d{6}\.sst/,
    );
    expect(afterDelete.explanation).toContain('It returned 2 pairs');
  });

  it('snapshots: Ada read at the snapshot, kept by the flush, dropped by the compaction once released', async () => {
    const lesson = lessonBySlug('snapshots')!;
    expect(lesson.steps.length).toBeLessThanOrEqual(6);
    const [read, flush, compact] = await walk(lesson);
    expect(read!.outcome).toBe('old');
    const at = of(read!.events, 'read.begin')[0]!.at!;
    expect(at).toBe(2);
    expect(read!.explanation).toBe(
      `The put of Alan took sequence number #3, after the snapshot's #2. The memtable kept the older version behind it (Ada #1, seen by snapshot #2). The Get at snapshot #2 answered Ada from the memtable (version #1).`,
    );

    expect(flush!.outcome).toBe('kept');
    const table = of(flush!.events, 'sstable.write')[0]!.table.file;
    expect(flush!.explanation).toContain(`${table} was written with 3 entries.`);
    expect(flush!.explanation).toContain(
      `The flush kept 1 older version for snapshot #2: user:1 = Ada #1 in ${table}.`,
    );

    expect(compact!.outcome).toBe('dropped');
    expect(compact!.explanation).toContain('The snapshot at #2 was released (none is left).');
    expect(compact!.explanation).toMatch(/The compaction read 3 entries and wrote 2, dropping user:1 #1: no reader/);
    expect(of(compact!.events, 'snapshot.kept')).toEqual([]);
  });
});
