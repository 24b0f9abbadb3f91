// How far the player moves per tick. At Slow every step of an operation is shown, however many wait behind it: a
// Compact's own flush is not skipped on the way to its compaction (issue 20, item 3). At Normal a burst that would
// take more than two seconds to show is skipped to its newest operations, so a class clicking fast stays in step.
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8 } from '../../../engine';
import type { TimelineEvent } from '../../../web/model/timeline';
import { stride } from '../../../web/store/player';

/** The events of a Compact pressed with entries in the memtable and two tables in L0: a flush, then compactions. */
async function compactEvents(): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  const db = await LsmTree.open(new MemoryStorage(), {
    memtableBytes: 4096,
    blockSize: 256,
    onEvent: (event) => events.push(event as TimelineEvent),
  });
  for (let table = 0; table < 2; table++) {
    for (let i = 0; i < 4; i++) await db.put(utf8(`user:${table}${i}`), utf8('value'));
    await db.flush();
  }
  await db.put(utf8('user:99'), utf8('last'));
  const from = events.length;
  await db.compactRange();
  await db.close();
  return events.slice(from).filter((e) => e.type !== 'close');
}

/** Every position the player shows, ticking from the start of `history` at `speed` until it reaches the end. */
function ticks(history: TimelineEvent[], speed: 'slow' | 'normal'): number[] {
  const shown: number[] = [];
  for (let cursor = 0; cursor < history.length; ) {
    cursor += stride({ speed, history, base: 0, cursor }, history.length - cursor);
    shown.push(cursor);
  }
  return shown;
}

describe('the player', () => {
  it('shows every step of a Compact at Slow, its flush included', async () => {
    const history = await compactEvents();
    const types = history.map((e) => e.type);
    expect(types).toContain('flush.begin');
    expect(types).toContain('flush.end');
    expect(types.indexOf('flush.end')).toBeLessThan(types.indexOf('compaction.begin'));
    // One position after another: 1, 2, 3, … — no step jumped over.
    expect(ticks(history, 'slow')).toEqual(history.map((_, i) => i + 1));
  });

  it('at Normal skips a backlog too long to show in two seconds to its newest operation', async () => {
    const history = await compactEvents();
    const shown = ticks(history, 'normal');
    expect(shown.length).toBeLessThan(history.length);
    expect(shown.at(-1)).toBe(history.length);
  });
});
