// The animation cannot lie: folding the events of any run (puts, deletes, write batches, gets, flushes, crashes and
// recoveries) with the UI's pure applyEvent gives exactly the engine's own state, LsmTree.describe().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LsmTree, MemoryStorage, utf8, WriteBatch } from '../../../engine';
import type { TimelineEvent } from '../../../web/model/timeline';
import { foldEvents, viewToState } from '../../../web/model/view';

type Step =
  | { op: 'put'; key: number; value: string }
  | { op: 'delete'; key: number }
  | { op: 'get'; key: number }
  | { op: 'batch'; writes: Array<{ key: number; value: string | null }> }
  | { op: 'flush' }
  | { op: 'crash' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.nat(30), value: fc.string({ maxLength: 12 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), key: fc.nat(30) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('batch' as const),
      writes: fc.array(fc.record({ key: fc.nat(30), value: fc.option(fc.string({ maxLength: 12 })) }), {
        minLength: 1,
        maxLength: 5,
      }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crash' as const }) },
);

describe('the view model folded from events', () => {
  it('equals the engine state after any run, crashes and recoveries included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), fc.integer({ min: 64, max: 600 }), async (steps, limit) => {
        const storage = new MemoryStorage();
        const events: TimelineEvent[] = [];
        const open = () =>
          LsmTree.open(storage, { memtableBytes: limit, blockSize: 64, onEvent: (e) => events.push(e) });
        let db = await open();
        for (const s of steps) {
          const keyOf = (n: number) => utf8(`key:${String(n).padStart(3, '0')}`);
          const key = keyOf(s.op === 'flush' || s.op === 'crash' || s.op === 'batch' ? 0 : s.key);
          if (s.op === 'batch') {
            const batch = new WriteBatch();
            for (const w of s.writes)
              w.value === null ? batch.delete(keyOf(w.key)) : batch.put(keyOf(w.key), utf8(w.value));
            await db.write(batch);
          } else if (s.op === 'put') await db.put(key, utf8(s.value));
          else if (s.op === 'delete') await db.delete(key);
          else if (s.op === 'get') await db.get(key);
          else if (s.op === 'flush') await db.flush();
          else {
            const lost = (await db.describe()).memtable.length;
            storage.crash();
            events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: lost });
            db = await open();
          }
        }
        expect(viewToState(foldEvents(events))).toEqual(await db.describe());
      }),
      { numRuns: 150 },
    );
  });

  it('shows the crash: the memtable view is empty, the files remain', async () => {
    const storage = new MemoryStorage();
    const events: TimelineEvent[] = [];
    const db = await LsmTree.open(storage, { memtableBytes: 100, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 8; i++) await db.put(utf8(`k${i}`), utf8('value'));
    const before = foldEvents(events);
    expect(before.tables.length).toBeGreaterThan(0);
    expect(before.memtable.entries.length).toBeGreaterThan(0);
    events.push({ type: 'crash', id: 0, kind: 'process', memtableEntries: before.memtable.entries.length });
    const after = foldEvents(events);
    expect(after.memtable.entries).toEqual([]);
    expect(after.crashed).toEqual({ lostEntries: before.memtable.entries.length, kind: 'process' });
    expect(after.tables).toEqual(before.tables);
    expect(after.wals).toEqual(before.wals);
  });
});
